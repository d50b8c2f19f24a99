"""Hostile input over HTTP (design point 5): wrong types, 40,000-character strings, unknown links,
bad child rows, bad dates, JSON objects where strings belong. Must give 4xx, never a 500 from the
app's code, and never leave half-saved rows behind.

A seeded generator (``CH_HTTP_FUZZ_SEED``, ``CH_HTTP_FUZZ_N``; default 1,000 requests) sends
requests to every ``@frappe.whitelist`` function of the app (found by reading its source) and POST/
PUT /api/resource for each of its DocTypes, as several personas. After each refused request the
database is checked for rows that persona created during it, and the PUT target for a change.
Run with ``pytest -s`` to see the counts.
"""

import ast
import json
import os
import random
import time
from collections import Counter
from functools import partial
from pathlib import Path

import frappe
import requests
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime, today

from complaint_handling.tests.http import harness as h

SEED = int(os.environ.get("CH_HTTP_FUZZ_SEED", "15015"))
COUNT = int(os.environ.get("CH_HTTP_FUZZ_N", "1000"))
PERSONAS = ("intake", "handler", "qm", "investigator", "panel", "auditor")
LONG = "x" * 40_000
WATCHED_CORE = (
	"ToDo",
	"Communication",
	"Email Queue",
	"Comment",
	"Version",
	"Stock Entry",
	"Notification Log",
)


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


def whitelisted() -> list[dict]:
	"""Every ``@frappe.whitelist`` function of the app, with its parameters (read from the source)."""
	package = h.APP_ROOT / "complaint_handling"
	found = []
	for path in sorted(package.rglob("*.py")):
		if "tests" in path.parts or path.name.startswith("test_"):
			continue
		module = ".".join(path.relative_to(h.APP_ROOT).with_suffix("").parts)
		tree = ast.parse(path.read_text(encoding="utf-8"))
		for node in tree.body:
			targets = [(node, None)] if isinstance(node, ast.FunctionDef) else []
			if isinstance(node, ast.ClassDef):
				targets = [(n, node.name) for n in node.body if isinstance(n, ast.FunctionDef)]
			for fn, cls in targets:
				if not any("whitelist" in ast.unparse(d) for d in fn.decorator_list):
					continue
				args = [a.arg for a in fn.args.args + fn.args.kwonlyargs if a.arg not in ("self", "cls")]
				doctype = None
				if cls:
					meta_json = path.with_suffix(".json")
					doctype = json.loads(meta_json.read_text())["name"] if meta_json.exists() else None
				found.append(
					{"method": f"{module}.{fn.name}", "args": args, "doctype": doctype, "name": fn.name}
				)
	return found


class Hostile:
	"""Seeded hostile values, shaped for a field when one is given."""

	def __init__(self, rng: random.Random):
		self.rng = rng

	def any(self):
		r = self.rng
		return r.choice(
			[
				LONG,
				"😀" * 5000,
				12345,
				-1,
				1.7976931348623157e308,
				True,
				None,
				[],
				[1, "two", None],
				{"a": {"b": ["c"]}},
				{"$gt": ""},
				"2024-13-45",
				"0000-00-00 00:00:00",
				"31/02/2024 25:61",
				"yesterday",
				f"no-such-record-{r.randrange(10**6)}",
				"' OR 1=1 -- ",
				"`name`; drop table `tabComplaint`",
				"<script>alert(1)</script>",
				"{{ frappe.session.user }}",
				"\x00\x01\x02",
				"\n" * 3000,
				"NaN",
				2**70,
				"[]",
				"{}",
				"Administrator",
				{"doctype": "User", "name": "Administrator"},
			]
		)

	def for_field(self, df):
		r = self.rng
		if r.random() < 0.3:
			return self.any()
		t = df.fieldtype
		if t in ("Table", "Table MultiSelect"):
			return r.choice(
				[
					[{"bogus_field": LONG}],
					["not a row"],
					[None],
					[[1, 2]],
					{"not": "a list"},
					[{"doctype": "User", "name": "Administrator", "enabled": 0}],
					[
						{
							"name": f"foreign-row-{r.randrange(10**6)}",
							"parent": "Administrator",
							"parenttype": "User",
						}
					],
					[{f: self.any() for f in ("user", "status", "clock", "extend_to", "reason", "due_date")}],
					[{} for _ in range(r.randrange(1, 300))],
				]
			)
		if t in ("Date", "Datetime", "Time"):
			return r.choice(
				[
					"2024-02-30",
					"2024-13-01 10:00",
					"99999-01-01",
					"-1",
					"now",
					{"date": "x"},
					20240101,
					"1970-01-01 00:00:00",
					"2999-12-31 23:59:59",
				]
			)
		if t in ("Link", "Dynamic Link"):
			return r.choice(
				[f"no-such-{r.randrange(10**6)}", LONG, {"name": "x"}, ["a"], 0, "%", "Administrator"]
			)
		if t in ("Int", "Float", "Currency", "Percent", "Check"):
			return r.choice(["abc", "1e999", [], {}, 2**70, -(2**63), "NaN", None, "12abc"])
		if t == "Select":
			return r.choice(["Not An Option", LONG, 7, ["Draft"], {"x": 1}])
		return r.choice([LONG, {"a": 1}, ["a", "b"], 12, None, "\x00", "<img src=x onerror=alert(1)>"])


def settings_snapshot() -> dict:
	"""Complaint Settings as stored: its Singles rows and its child rows."""
	frappe.db.rollback()
	meta = frappe.get_meta("Complaint Settings")
	return {
		"singles": frappe.db.sql(
			"select field, value from `tabSingles` where doctype = 'Complaint Settings'", as_dict=True
		),
		"tables": {
			df.options: frappe.db.sql(
				f"select * from `tab{df.options}` where parent = 'Complaint Settings'", as_dict=True
			)
			for df in meta.get_table_fields()
		},
	}


def settings_restore(snapshot: dict) -> None:
	frappe.db.rollback()
	frappe.db.sql("delete from `tabSingles` where doctype = 'Complaint Settings'")
	for row in snapshot["singles"]:
		frappe.db.sql(
			"insert into `tabSingles` (doctype, field, value) values ('Complaint Settings', %s, %s)",
			(row.field, row.value),
		)
	for child, rows in snapshot["tables"].items():
		frappe.db.sql(f"delete from `tab{child}` where parent = 'Complaint Settings'")
		for row in rows:
			columns = ", ".join(f"`{k}`" for k in row)
			frappe.db.sql(
				f"insert into `tab{child}` ({columns}) values ({', '.join(['%s'] * len(row))})",
				tuple(row.values()),
			)
	frappe.db.commit()
	frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
	frappe.clear_cache(doctype="Complaint Settings")


def stored(doctype: str, name: str, field: str):
	frappe.db.rollback()
	if frappe.get_meta(doctype).issingle:
		rows = frappe.db.sql(
			"select value from `tabSingles` where doctype = %s and field = %s", (doctype, field)
		)
		return rows[0][0] if rows else None
	return frappe.db.sql(f"select `{field}` from `tab{doctype}` where name = %s", name)[0][0]


def store(doctype: str, name: str, field: str, value) -> None:
	if frappe.get_meta(doctype).issingle:
		frappe.db.sql(
			"update `tabSingles` set value = %s where doctype = %s and field = %s", (value, doctype, field)
		)
	else:
		frappe.db.sql(f"update `tab{doctype}` set `{field}` = %s where name = %s", (value, name))
	frappe.db.commit()
	frappe.clear_document_cache(doctype, name)


class TestHostileInput(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx = h.fixtures()
		frappe.set_user("Administrator")
		frappe.flags.mute_emails = True
		cls.targets = {
			"Complaint": fx.new_complaint("fuzz"),
			"Complaint Investigation": fx.docs["Complaint Investigation"],
			"CAPA": fx.docs["CAPA"],
			"Complaint Appeal": fx.docs["Complaint Appeal"],
		}
		party = fx.party_of("Complaint", cls.targets["Complaint"])
		if party:
			cls.targets[h.party_doctype("Complaint")] = party
		frappe.db.commit()
		frappe.flags.mute_emails = False
		cls.doctypes = h.app_doctypes(tables=False)
		cls.watched = [*h.app_doctypes(tables=True), *WATCHED_CORE]
		cls.settings = settings_snapshot()

	@classmethod
	def tearDownClass(cls):
		# a quality manager may change the settings, and some fuzzed PUTs do: put them back
		settings_restore(cls.settings)
		super().tearDownClass()

	def base_payload(self, doctype: str) -> dict:
		fx = h.fixtures()
		return {
			"Complaint": {
				"subject": "Fuzzed complaint",
				"company": fx.company,
				"channel": "Email",
				"description": "<p>Fuzz.</p>",
				"complainant_name": "Fuzz Person",
				"complainant_email": "fuzz@example.org",
				"complaint_category": fx.category,
			},
			"Complaint Investigation": {
				"complaint": fx.docs["Complaint"],
				"investigator": fx.user("investigator"),
			},
			"CAPA": {
				"title": "Fuzzed CAPA",
				"capa_type": "Corrective",
				"company": fx.company,
				"responsible": fx.user("handler"),
				"raised_on": today(),
				"problem_statement": "<p>Fuzz.</p>",
			},
			"Complaint Appeal": {
				"complaint": fx.other_complaint,
				"company": fx.company,
				"appellant_name": "Fuzz Appellant",
				"filed_on": str(now_datetime()),
				"grounds": "<p>Fuzz.</p>",
			},
			**{dt: {"party_name": "Fuzz Party", "email": "p@example.org"} for dt in h.party_doctypes()},
			"Complaint Category": {"category_name": f"ch-http-{fx.run}-cat"},
			"Complaint Severity": {"code": f"CHHTTP{fx.run}", "title": "Fuzz"},
		}.get(doctype, {})

	def mutate(self, rng, hostile, doctype: str, payload: dict) -> dict | list | str:
		if rng.random() < 0.05:
			return rng.choice([[payload], "not json", [], 7, {"data": payload}])
		meta = frappe.get_meta(doctype)
		fields = [
			df
			for df in meta.fields
			if df.fieldtype not in frappe.model.no_value_fields
			or df.fieldtype in ("Table", "Table MultiSelect")
		]
		payload = dict(payload)
		for df in rng.sample(fields, min(len(fields), rng.randint(1, 3))):
			payload[df.fieldname] = hostile.for_field(df)
		if rng.random() < 0.1:
			payload[
				rng.choice(["name", "owner", "docstatus", "doctype", "modified", "flags", "__islocal"])
			] = hostile.any()
		return payload

	def test_hostile_requests(self):
		rng = random.Random(SEED)
		hostile = Hostile(rng)
		methods = whitelisted()
		statuses, kinds = Counter(), Counter()
		app_500s, other_500s, half_saved = [], Counter(), []
		started = now_datetime()
		for i in range(COUNT):
			persona = rng.choice(PERSONAS)
			c = h.client(persona)
			user = h.PERSONAS[persona].email
			roll = rng.random()
			target = None
			if roll < 0.3 and methods:
				m = rng.choice(methods)
				args = {}
				for arg in m["args"]:
					choice = rng.random()
					if choice < 0.3:
						args[arg] = rng.choice(list(self.targets.values()))
					elif choice < 0.4:
						args[arg] = ""
					else:
						args[arg] = hostile.any()
				kind = f"method {m['name']}"
				if m["doctype"]:
					send = partial(
						c.call_json,
						"run_doc_method",
						dt=m["doctype"],
						dn=self.targets.get(m["doctype"], "x"),
						method=m["name"],
						args=json.dumps(args, default=str),
					)
				elif rng.random() < 0.5:
					send = partial(c.call_json, m["method"], **args)
				else:
					send = partial(c.request, "POST", f"/api/method/{m['method']}", data=h.encode(args))
			elif roll < 0.65:
				doctype = rng.choice(self.doctypes)
				if frappe.get_meta(doctype).issingle:
					continue
				body = self.mutate(rng, hostile, doctype, self.base_payload(doctype))
				kind = f"POST {doctype}"
				send = partial(c.post, doctype, body)
			else:
				doctype = rng.choice([*self.targets, "Complaint Settings"])
				name = self.targets.get(doctype, doctype)
				body = self.mutate(rng, hostile, doctype, {})
				kind = f"PUT {doctype}"
				target = (doctype, name)
				send = partial(c.put, doctype, name, body)

			frappe.db.rollback()
			before = frappe.db.get_value(*target, "modified") if target else None
			t0 = now_datetime()
			try:
				r = send()
			except (ValueError, requests.exceptions.InvalidJSONError):
				continue  # the client could not even encode this body: not a request
			except requests.RequestException as e:  # the server died or hung: a finding too
				statuses["no response"] += 1
				other_500s[f"{kind}: {type(e).__name__}"] += 1
				continue
			statuses[r.status_code] += 1
			kinds[kind.split(" ")[0]] += 1
			if r.status_code >= 500:
				tb = h.traceback_text(r)
				if "complaint_handling" in tb or (h.payload(r) or {}).get("_exc_source", "").startswith(
					"complaint_handling"
				):
					app_500s.append(
						f"#{i} {persona} {kind}: {(h.payload(r) or {}).get('exception', '')[:200]}"
					)
				else:
					other_500s[f"{kind}: {(h.payload(r) or {}).get('exception', h.body(r)[:80])[:120]}"] += 1
			if r.status_code < 400:
				continue
			frappe.db.rollback()
			for doctype in self.watched:
				if frappe.get_meta(doctype).issingle or not frappe.db.table_exists(doctype):
					continue
				rows = frappe.get_all(doctype, filters={"owner": user, "creation": (">=", t0)}, pluck="name")
				if rows:
					half_saved.append(f"#{i} {persona} {kind} -> {r.status_code} left {doctype} {rows}")
			if target and frappe.db.get_value(*target, "modified") != before:
				half_saved.append(f"#{i} {persona} {kind} -> {r.status_code} changed {target}")

		frappe.db.rollback()
		error_logs = frappe.get_all(
			"Error Log",
			filters={"creation": (">=", started), "error": ("like", "%complaint_handling%")},
			fields=["name", "method"],
		)
		summary = {
			"seed": SEED,
			"requests": sum(statuses.values()),
			"by_kind": dict(kinds),
			"statuses": {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))},
			"app_500s": len(app_500s),
			"app_error_logs": len(error_logs),
			"other_500s": sum(other_500s.values()),
			"half_saved": len(half_saved),
		}
		print("\nFUZZ SUMMARY", json.dumps(summary, indent=1))
		for line in app_500s[:20] + half_saved[:20]:
			print("  ", line)
		for line, n in other_500s.most_common(10):
			print(f"   framework 500 x{n}: {line}")
		Path(os.environ.get("CH_HTTP_FUZZ_REPORT", "/tmp/ch-http-fuzz-summary.json")).write_text(
			json.dumps(
				{
					**summary,
					"app_500_samples": app_500s[:50],
					"half_saved_samples": half_saved[:50],
					"framework_500s": dict(other_500s),
				},
				indent=1,
			)
		)
		self.assertGreaterEqual(summary["requests"], min(COUNT, 1000) * 0.95)
		self.assertEqual(app_500s, [], "500s from the app's code")
		self.assertEqual(error_logs, [], "Error Log entries from the app's code")
		self.assertEqual(half_saved, [], "rows saved by refused requests")

	def test_wrong_types_refused_on_every_doctype(self):
		"""A number field given text or an object, a text field given an object or a list: 4xx and
		nothing stored, on every DocType of the app (Frappe alone coerces "abc" to 0 and saves)."""
		fx = h.fixtures()
		frappe.set_user("Administrator")
		run = fx.run
		masters = {
			"Complaint Category": {"category_name": f"ch-http-{run}-typed"},
			"Complaint Severity": {"code": f"CHHTTPW{run}", "title": "HTTP test", "rank": 9},
		}
		policy = frappe.get_doc("Complaint SLA Policy", fx.docs["Complaint SLA Policy"]).as_dict()
		for key in ("name", "creation", "modified", "owner", "modified_by"):
			policy.pop(key, None)
		policy["escalation_steps"] = [
			{k: v for k, v in row.items() if k not in ("name", "parent")}
			for row in policy.get("escalation_steps", [])
		]
		masters["Complaint SLA Policy"] = {**policy, "policy_name": f"ch-http-{run}-typed", "enabled": 0}
		targets = {
			doctype: (
				frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True).name,
				"qm",
			)
			for doctype, values in masters.items()
		}
		frappe.db.commit()
		targets.update(
			{
				"Complaint": (self.targets["Complaint"], "intake"),
				"Complaint Investigation": (self.targets["Complaint Investigation"], "investigator"),
				"CAPA": (self.targets["CAPA"], "qm"),
				"Complaint Appeal": (self.targets["Complaint Appeal"], "intake"),
				"Complaint Settings": ("Complaint Settings", "qm"),
			}
		)
		for party_dt in h.party_doctypes():
			if party_dt in self.targets:
				targets[party_dt] = (self.targets[party_dt], "intake")
		problems = []
		for doctype in [*h.app_doctypes(tables=False), "Complaint Settings"]:
			if doctype not in targets:
				continue
			name, persona = targets[doctype]
			meta = frappe.get_meta(doctype)
			editable = [df for df in meta.fields if not df.read_only and not df.hidden and not df.permlevel]
			number = next((df for df in editable if df.fieldtype in ("Int", "Float")), None)
			text = next((df for df in editable if df.fieldtype == "Data" and not df.options), None)
			c = h.client(persona)
			for df, value in ((number, "abc"), (number, {"a": 1}), (text, {"a": 1}), (text, ["x", "y"])):
				if not df:
					continue
				before = stored(doctype, name, df.fieldname)
				r = c.put(doctype, name, {df.fieldname: value})
				after = stored(doctype, name, df.fieldname)
				label = f"{persona} PUT {doctype}.{df.fieldname}={value!r}"
				if not 400 <= r.status_code < 500:
					problems.append(f"{label}: HTTP {r.status_code}")
				if after != before:
					problems.append(f"{label}: stored {before!r} -> {after!r}")
					store(doctype, name, df.fieldname, before)
		self.assertFalse(problems, "\n".join(problems))

	def test_values_the_database_would_refuse(self):
		"""Found by the fuzz run: a date dateutil reads but MariaDB does not store ("-1") and a name
		longer than the column. Each is a 417 that names what to fix, and nothing is stored."""
		name = self.targets["Complaint"]
		before = stored("Complaint", name, "expiry_date")
		for value in ("-1", "2026-02-30", "0999-12-31", "29.11.2026"):
			r = h.client("intake").put("Complaint", name, {"expiry_date": value})
			self.assertEqual(r.status_code, 417, f"expiry_date={value!r}: {r.text[:300]}")
			self.assertIn("is not a valid", r.text)
			self.assertEqual(stored("Complaint", name, "expiry_date"), before)
		r = h.client("intake").put("Complaint", name, {"expiry_date": "2027-03-31"})
		self.assertEqual(r.status_code, 200, r.text[:300])
		store("Complaint", name, "expiry_date", before)

		long_name = "X" * 200
		r = h.client("handler").post(
			"Complaint Investigation", {**self.base_payload("Complaint Investigation"), "name": long_name}
		)
		self.assertEqual(r.status_code, 417, r.text[:300])
		self.assertIn("at most 140 characters", r.text)
		self.assertFalse(frappe.db.exists("Complaint Investigation", long_name))

		# Frappe's REST update would save the "parent" named in the body after the document
		party = h.fixtures().party_of("Complaint", name)
		for body in (
			{"parenttype": 5},
			{"parenttype": "Complaint", "parent": name},
			{"owner": 5},
			{"idx": None},
			{"idx": 10**20},
		):
			r = h.client("intake").put("Complainant", party, body)
			self.assertEqual(r.status_code, 417, f"{body}: {r.text[:300]}")
			self.assertTrue(
				any(m in r.text for m in ("belong to rows of a table", "must be text", "whole number")),
				r.text[:300],
			)

	def test_forty_thousand_characters(self):
		fx = h.fixtures()
		c = h.client("intake")
		base = self.base_payload("Complaint")
		results = {}
		for field in ("subject", "complainant_email", "complainant_name"):
			started = time.perf_counter()
			r = c.post(
				"Complaint",
				{**base, field: ("a" * 39_988 + "@example.org") if field == "complainant_email" else LONG},
			)
			results[field] = (r.status_code, round(time.perf_counter() - started, 3))
		print("\n40,000-character POST /api/resource/Complaint (status, seconds):", results)
		frappe.db.rollback()
		made = frappe.get_all(
			"Complaint", filters={"owner": fx.user("intake"), "subject": ("like", "Fuzzed%")}, pluck="name"
		)
		self.assertEqual(made, [], "a 40,000-character value was saved")
		for field, (status, seconds) in results.items():
			self.assertTrue(400 <= status < 500, f"{field}: HTTP {status}")
			self.assertLess(seconds, 10, f"{field}: {seconds}s")
