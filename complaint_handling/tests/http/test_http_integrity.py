"""Self-grant, forgery and recusal over HTTP (design points 2-4).

Each attack must be refused with a 4xx whose message is readable text (not a traceback), and the
row must be unchanged afterwards, re-read from the database. Every attack has a control next to
it: the same persona making an ordinary change to the same document succeeds, so a refusal is
about the field, not a blanket lack of write access or a workflow state that allows no edits.
Attacks that succeed are undone, so one failure does not spill into the next test.
"""

import json

import frappe
from frappe.desk.form.assign_to import add as assign
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, now_datetime, today

from complaint_handling.tests.http import harness as h


def setUpModule():
	h.fixtures()


def tearDownModule():
	global _targets
	_targets = None
	h.release()


_targets: dict | None = None


def targets() -> dict:
	"""Documents the attacks may damage, each in a state where its attacker may edit it."""
	global _targets
	if _targets:
		return _targets
	fx = h.fixtures()
	frappe.set_user("Administrator")
	frappe.flags.mute_emails = True
	t = {}
	t["Complaint"] = fx.new_complaint(
		"forgery",
		status="Under Investigation",
		deadline_extensions=[
			{
				"clock": "Resolution",
				"extend_to": add_days(now_datetime(), 30),
				"reason": "Waiting for the lab.",
			}
		],
	)
	t["Complaint Investigation"] = fx.docs["Complaint Investigation"]
	capa = frappe.get_doc(
		{
			"doctype": "CAPA",
			"title": f"{h.TAG} {fx.run} capa forgery",
			"capa_type": "Corrective",
			"company": fx.company,
			"responsible": fx.user("handler"),
			"raised_on": today(),
			"problem_statement": "<p>Label misprint.</p>",
			"complaints": [{"complaint": t["Complaint"]}],
			"actions": [
				{
					"action": "Shorten the calibration interval.",
					"action_owner": fx.user("handler"),
					"due_date": add_days(today(), 30),
					"status": "Open",
				}
			],
		}
	).insert(ignore_permissions=True)
	frappe.db.set_value(
		"CAPA", capa.name, {"status": "Open", "workflow_state": "Open"}, update_modified=False
	)
	t["CAPA"] = capa.name
	decided = fx.new_complaint("appeal forgery", status="Responded")
	appeal = fx.new_appeal(decided, h.canary_party("forgery"), [fx.user("panel")])
	frappe.db.set_value(
		"Complaint Appeal",
		appeal,
		{
			"status": "Accepted",
			"workflow_state": "Accepted",
			"acceptance_decided_by": "Administrator",
			"acceptance_decided_on": now_datetime(),
			"decision_due": add_days(now_datetime(), 20),
		},
		update_modified=False,
	)
	t["Complaint Appeal"] = appeal
	policy = frappe.get_doc("Complaint SLA Policy", fx.docs["Complaint SLA Policy"]).as_dict()
	for key in ("name", "creation", "modified", "owner", "modified_by"):
		policy.pop(key, None)
	for row in policy.get("escalation_steps", []):
		row.pop("name", None)
	t["alt_policy"] = (
		frappe.get_doc({**policy, "policy_name": f"ch-http-{fx.run}-policy", "enabled": 0})
		.insert(ignore_permissions=True)
		.name
	)
	frappe.db.commit()
	frappe.flags.mute_emails = False
	for doctype in ("Complaint", "CAPA", "Complaint Appeal"):
		frappe.clear_document_cache(doctype, t[doctype])
	_targets = t
	return t


ATTACKERS = {
	"Complaint": "handler",
	"Complaint Investigation": "investigator",
	"CAPA": "handler",
	"Complaint Appeal": "panel",
}
HARMLESS = {  # an ordinary edit each attacker may make: the control
	"Complaint": ("location", "Laboratory 2"),
	"Complaint Investigation": ("evidence_notes", "Photos of the retained sample."),
	"CAPA": ("root_cause", "Calibration interval too long."),
	"Complaint Appeal": ("remedy_sought", "A re-test by an independent laboratory."),
}
# design point 3: fields the app stamps
STAMPED = {
	"Complaint": [
		"status",
		"workflow_state",
		"acknowledged_on",
		"responded_on",
		"closed_on",
		"validity_decided_by",
		"validity_decided_on",
		"response_approved_by",
		"closure_approved_by",
		"reopen_count",
		"sla_policy",
		"next_sla_check",
		"acknowledge_by",
		"respond_by",
		"resolve_by",
		"acknowledgement_sla_status",
		"response_sla_status",
		"resolution_sla_status",
		"working_hours_to_acknowledge",
		"working_hours_to_respond",
		"working_hours_to_close",
	],
	"Complaint Investigation": ["approved_by", "approved_on", "status", "workflow_state"],
	"CAPA": ["status", "workflow_state"],
	"Complaint Appeal": [
		"status",
		"workflow_state",
		"decided_by",
		"decided_on",
		"acceptance_decided_by",
		"acceptance_decided_on",
		"window_closes_on",
		"acceptance_due",
		"decision_due",
		"implementation_due",
		"late_consent_by",
	],
}
STAMPED_ROWS = {
	# (parent DocType, table, "new" row values or "existing" row changes)
	"complaint_sla_pause_new_row": (
		"Complaint",
		"sla_pauses",
		"new",
		{"paused_on": "2001-02-03 04:05:06", "resumed_on": "2001-02-04 04:05:06"},
	),
	"complaint_extension_status": ("Complaint", "deadline_extensions", "existing", {"status": "Approved"}),
	"complaint_extension_decided_by": (
		"Complaint",
		"deadline_extensions",
		"existing",
		{"decided_by": "@attacker"},
	),
	"complaint_extension_decided_on": (
		"Complaint",
		"deadline_extensions",
		"existing",
		{"decided_on": "2001-02-03 04:05:06"},
	),
	"complaint_extension_new_approved_row": (
		"Complaint",
		"deadline_extensions",
		"new",
		{
			"clock": "Resolution",
			"extend_to": "2099-01-01 00:00:00",
			"reason": "Self-approved.",
			"status": "Approved",
			"decided_by": "@attacker",
			"decided_on": "2001-02-03 04:05:06",
		},
	),
	"capa_effectiveness_check_verified_by": (
		"CAPA",
		"effectiveness_checks",
		"new",
		{
			"checked_on": "@today",
			"result": "Effective",
			"verified_by": "@attacker",
			"recorded_on": "2001-02-03 04:05:06",
		},
	),
}


# a workflow state each attacker cannot reach by any action of theirs (the status follows it)
FORGED_STATE = {
	"Complaint": "Closed",
	"Complaint Investigation": "Approved",
	"CAPA": "Closed",
	"Complaint Appeal": "Closed",
}


def forged_value(doctype: str, field: str, current, attacker: str):
	df = frappe.get_meta(doctype).get_field(field)
	if field == "workflow_state":
		return FORGED_STATE[doctype]
	if df.fieldtype == "Datetime":
		return "2001-02-03 04:05:06"
	if df.fieldtype == "Date":
		return "2001-02-03"
	if df.fieldtype == "Int":
		return (current or 0) + 7
	if df.fieldtype == "Float":
		return (current or 0) + 7.5
	if df.fieldtype == "Check":
		return 0 if current else 1
	if df.fieldtype == "Link" and df.options == "User":
		return attacker
	if df.fieldtype == "Link" and df.options == "Complaint SLA Policy":
		return targets()["alt_policy"]
	if df.fieldtype == "Select":
		options = [o for o in (df.options or "").split("\n") if o and o != current]
		return options[-1]
	return "forged"


def plain(value):
	return "" if value is None else str(value)


def full_doc(doctype: str, name: str) -> dict:
	frappe.db.rollback()
	frappe.clear_document_cache(doctype, name)
	return json.loads(frappe.as_json(frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)))


def as_the_form_sends(value):
	"""``value`` (a document as the form loaded it) as the desk's form posts it back: JavaScript
	writes a whole number without its fraction, 0 for 0.0 and 8 for 8.0."""
	if isinstance(value, float) and value.is_integer():
		return int(value)
	if isinstance(value, list):
		return [as_the_form_sends(item) for item in value]
	if isinstance(value, dict):
		return {key: as_the_form_sends(item) for key, item in value.items()}
	return value


def rows_of(doctype: str, name: str, table: str) -> list[dict]:
	return full_doc(doctype, name).get(table) or []


def snapshot(doctype: str, name: str) -> dict:
	"""The stored record, child rows included, to compare and to restore."""
	return full_doc(doctype, name)


def restore(doctype: str, name: str, before: dict) -> None:
	"""Put back what an attack changed, directly in the database."""
	frappe.db.rollback()
	meta = frappe.get_meta(doctype)
	now = full_doc(doctype, name)
	scalars = {
		df.fieldname: before.get(df.fieldname)
		for df in meta.fields
		if df.fieldtype not in frappe.model.table_fields
		and df.fieldtype not in frappe.model.no_value_fields
		and plain(before.get(df.fieldname)) != plain(now.get(df.fieldname))
	}
	if scalars:
		frappe.db.set_value(doctype, name, scalars, update_modified=False)
	for df in meta.get_table_fields():
		old = {row["name"]: row for row in before.get(df.fieldname) or []}
		for row in now.get(df.fieldname) or []:
			if row["name"] not in old:
				frappe.db.delete(df.options, {"name": row["name"]})
				continue
			changed = {
				k: old[row["name"]].get(k)
				for k in row
				if k not in ("modified", "modified_by")
				and plain(row.get(k)) != plain(old[row["name"]].get(k))
			}
			if changed:
				frappe.db.set_value(df.options, row["name"], changed, update_modified=False)
		kept = {row["name"] for row in now.get(df.fieldname) or []}
		for row_name, row in old.items():
			if row_name not in kept:
				child = frappe.get_doc({**row, "doctype": df.options})
				child.db_insert()
	frappe.db.commit()
	frappe.clear_document_cache(doctype, name)


def differences(before: dict, after: dict, fields=None) -> list[str]:
	keys = fields or [k for k in before if k not in ("modified", "modified_by")]
	out = []
	for key in keys:
		b, a = before.get(key), after.get(key)
		if isinstance(b, list) or isinstance(a, list):
			strip = lambda rows: [  # noqa: E731
				{k: plain(v) for k, v in r.items() if k not in ("modified", "modified_by")}
				for r in rows or []
			]
			if strip(b) != strip(a):
				out.append(f"{key}: rows changed")
		elif plain(b) != plain(a):
			out.append(f"{key}: {plain(b)!r} -> {plain(a)!r}")
	return out


class Attack(FrappeTestCase):
	def attempt(self, doctype: str, name: str, label: str, send, watch=None):
		"""Run ``send()`` (returns a response or list), then insist on a proper refusal and an
		unchanged record; undo whatever got through."""
		before = snapshot(doctype, name)
		responses = send()
		responses = responses if isinstance(responses, list) else [responses]
		after = snapshot(doctype, name)
		changed = differences(before, after, watch)
		if changed:
			restore(doctype, name, before)
		problems = [f"{label}: {p}" for r in responses if (p := h.refusal_problem(r))]
		if changed:
			problems.append(f"{label}: stored record changed ({'; '.join(changed)})")
		return problems

	def channels(self, persona, doctype, name, change: dict, label: str, watch=None) -> list[str]:
		"""The same change through set_value, PUT /api/resource and frappe.client.save."""
		c = h.client(persona)
		problems = []
		problems += self.attempt(
			doctype,
			name,
			f"{label} via frappe.client.set_value",
			lambda: c.call("frappe.client.set_value", doctype=doctype, name=name, fieldname=change),
			watch,
		)
		problems += self.attempt(
			doctype, name, f"{label} via PUT /api/resource", lambda: c.put(doctype, name, change), watch
		)

		def save():
			doc = full_doc(doctype, name)
			doc.update(change)
			return c.call("frappe.client.save", doc=doc)

		problems += self.attempt(doctype, name, f"{label} via frappe.client.save", save, watch)
		return problems

	def control(self, doctype: str):
		t = targets()
		name = t[doctype]
		field, value = HARMLESS[doctype]
		c = h.client(ATTACKERS[doctype])
		before = snapshot(doctype, name)
		r = c.put(doctype, name, {field: value})
		restore(doctype, name, before)
		self.assertEqual(
			r.status_code,
			200,
			f"control: {ATTACKERS[doctype]} cannot make an ordinary edit ({field}) of {doctype} {name}, "
			f"so the refusals below prove nothing: {h.body(r)[:400]}",
		)
		# the form's own save: the whole document back, numbers as JavaScript writes them
		loaded = c.get("/api/method/frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name})
		doc = as_the_form_sends(h.payload(loaded)["docs"][0])
		doc[field] = value
		r = c.call("frappe.desk.form.save.savedocs", doc=doc, action="Save")
		restore(doctype, name, before)
		self.assertEqual(
			r.status_code,
			200,
			f"control: {ATTACKERS[doctype]} cannot save an ordinary edit ({field}) of {doctype} {name} "
			f"from the form: {h.body(r)[:400]}",
		)


# ------------------------------------------------------------------ forgery (design point 3)


class TestForgedStamps(Attack):
	def forge(self, doctype: str, field: str):
		if not frappe.get_meta(doctype).has_field(field):
			self.skipTest(f"{doctype} has no field {field}")
		name = targets()[doctype]
		persona = ATTACKERS[doctype]
		current = frappe.db.get_value(doctype, name, field)
		value = forged_value(doctype, field, current, h.PERSONAS[persona].email)
		problems = self.channels(
			persona, doctype, name, {field: value}, f"{persona} sets {field}={value!r}", [field]
		)
		self.assertFalse(problems, "\n".join(problems))

	def forge_rows(self, key: str):
		doctype, table, mode, values = STAMPED_ROWS[key]
		name = targets()[doctype]
		persona = ATTACKERS[doctype]
		attacker = h.PERSONAS[persona].email
		values = {
			k: attacker if v == "@attacker" else today() if v == "@today" else v for k, v in values.items()
		}
		c = h.client(persona)
		rows = rows_of(doctype, name, table)
		child = frappe.get_meta(doctype).get_field(table).options
		if mode == "existing":
			if not rows:
				self.fail(f"fixture {doctype} {name} has no {table} row to tamper with")
			tampered = [{**rows[0], **values}, *rows[1:]]
		else:
			tampered = [*rows, values]
		label = f"{persona} writes {table} {mode} row {values}"
		problems = []
		if mode == "existing":
			for field, value in values.items():
				problems += self.attempt(
					doctype,
					name,
					f"{label} via frappe.client.set_value on {child}",
					lambda field=field, value=value: c.call(
						"frappe.client.set_value",
						doctype=child,
						name=rows[0]["name"],
						fieldname=field,
						value=value,
					),
					[table],
				)
		else:
			problems += self.attempt(
				doctype,
				name,
				f"{label} via frappe.client.set_value",
				lambda: c.call(
					"frappe.client.set_value", doctype=doctype, name=name, fieldname={table: tampered}
				),
				[table],
			)
		problems += self.attempt(
			doctype, name, f"{label} via PUT", lambda: c.put(doctype, name, {table: tampered}), [table]
		)

		def save():
			doc = full_doc(doctype, name)
			doc[table] = tampered
			return c.call("frappe.client.save", doc=doc)

		problems += self.attempt(doctype, name, f"{label} via frappe.client.save", save, [table])
		self.assertFalse(problems, "\n".join(problems))


def _forge(doctype, field):
	return lambda self: self.forge(doctype, field)


def _forge_rows(key):
	return lambda self: self.forge_rows(key)


def _control(doctype):
	return lambda self: self.control(doctype)


for _doctype, _fields in STAMPED.items():
	setattr(TestForgedStamps, f"test_control_{h.slug(_doctype)}_ordinary_edit", _control(_doctype))
	for _field in _fields:
		setattr(TestForgedStamps, f"test_forge_{h.slug(_doctype)}__{_field}", _forge(_doctype, _field))
for _key in STAMPED_ROWS:
	setattr(TestForgedStamps, f"test_forge_rows_{_key}", _forge_rows(_key))


# ------------------------------------------------------------------ self-grant (design point 2)


class TestSelfGrant(Attack):
	def no_new_rows(self, doctype: str, filters: dict, label: str) -> list[str]:
		frappe.db.rollback()
		rows = frappe.get_all(doctype, filters=filters, pluck="name")
		if rows:
			h.delete_rows(doctype, rows)
			frappe.db.commit()
			return [f"{label}: created {doctype} {rows}"]
		return []

	def test_investigator_without_case_cannot_create_investigation(self):
		fx = h.fixtures()
		me = fx.user("investigator-nocase")
		c = h.client("investigator-nocase")
		r = c.post("Complaint Investigation", {"complaint": fx.docs["Complaint"], "investigator": me})
		r2 = c.call(
			"frappe.client.insert",
			doc={"doctype": "Complaint Investigation", "complaint": fx.other_complaint, "investigator": me},
		)
		problems = [f"POST: {p}" for p in [h.refusal_problem(r)] if p]
		problems += [f"frappe.client.insert: {p}" for p in [h.refusal_problem(r2)] if p]
		problems += self.no_new_rows("Complaint Investigation", {"investigator": me}, "investigator-nocase")
		self.assertFalse(problems, "\n".join(problems))

	def test_investigator_cannot_open_investigation_of_another_complaint(self):
		fx = h.fixtures()
		me = fx.user("investigator")
		r = h.client("investigator").post(
			"Complaint Investigation", {"complaint": fx.other_complaint, "investigator": me}
		)
		problems = [p for p in [h.refusal_problem(r)] if p]
		problems += self.no_new_rows(
			"Complaint Investigation", {"investigator": me, "complaint": fx.other_complaint}, "investigator"
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_investigator_cannot_repoint_investigation_to_another_complaint(self):
		fx = h.fixtures()
		self.control("Complaint Investigation")
		problems = self.channels(
			"investigator",
			"Complaint Investigation",
			fx.docs["Complaint Investigation"],
			{"complaint": fx.other_complaint},
			"investigator moves the investigation to another complaint",
			["complaint"],
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_investigator_cannot_hand_investigation_to_someone_else(self):
		fx = h.fixtures()
		problems = self.channels(
			"investigator",
			"Complaint Investigation",
			fx.docs["Complaint Investigation"],
			{"investigator": fx.user("investigator-nocase")},
			"investigator hands the investigation over",
			["investigator"],
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_panel_member_cannot_repoint_appeal_to_another_complaint(self):
		fx = h.fixtures()
		self.control("Complaint Appeal")
		problems = self.channels(
			"panel",
			"Complaint Appeal",
			targets()["Complaint Appeal"],
			{"complaint": fx.other_complaint},
			"panel member moves the appeal to another complaint",
			["complaint"],
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_panel_member_cannot_change_the_panel(self):
		fx = h.fixtures()
		name = targets()["Complaint Appeal"]
		rows = rows_of("Complaint Appeal", name, "panel")
		added = [*rows, {"user": fx.user("investigator-nocase")}]
		problems = self.channels(
			"panel",
			"Complaint Appeal",
			name,
			{"panel": added},
			"panel member adds a user to the panel",
			["panel"],
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_panel_member_cannot_join_another_panel(self):
		fx = h.fixtures()
		me = fx.user("panel")
		c = h.client("panel")
		other = fx.other_appeal
		row = {"parent": other, "parenttype": "Complaint Appeal", "parentfield": "panel", "user": me}
		responses = [
			c.post("Complaint Appeal Panel Member", row),
			c.call("frappe.client.insert", doc={"doctype": "Complaint Appeal Panel Member", **row}),
			c.put("Complaint Appeal", other, {"panel": [{"user": me}]}),
			c.call(
				"frappe.client.set_value",
				doctype="Complaint Appeal",
				name=other,
				fieldname={"panel": [{"user": me}]},
			),
		]
		problems = [p for r in responses if (p := h.refusal_problem(r))]
		frappe.db.rollback()
		joined = frappe.get_all(
			"Complaint Appeal Panel Member", filters={"parent": other, "user": me}, pluck="name"
		)
		if joined:
			frappe.db.delete("Complaint Appeal Panel Member", {"name": ("in", joined)})
			frappe.db.commit()
			problems.append(f"panel member joined the panel of {other}")
		self.assertFalse(problems, "\n".join(problems))

	def test_panel_member_cannot_file_an_appeal_with_themselves_on_the_panel(self):
		fx = h.fixtures()
		me = fx.user("panel")
		r = h.client("panel").post(
			"Complaint Appeal",
			{
				"complaint": fx.other_complaint,
				"company": fx.company,
				"appellant_name": "Someone",
				"filed_on": str(add_to_date(now_datetime(), minutes=-5)),
				"grounds": "<p>Grounds.</p>",
				"panel": [{"user": me}],
			},
		)
		problems = [p for p in [h.refusal_problem(r)] if p]
		frappe.db.rollback()
		made = frappe.get_all("Complaint Appeal", filters={"owner": me}, pluck="name")
		if made:
			h.delete_rows("Complaint Appeal", made)
			frappe.db.commit()
			problems.append(f"panel member created appeal(s) {made}")
		self.assertFalse(problems, "\n".join(problems))

	def test_scoped_users_still_see_only_their_case(self):
		"""After the attempts above, the scoped personas see exactly their fixture case."""
		fx = h.fixtures()
		for persona, expected in (("investigator", fx.docs["Complaint"]), ("panel", fx.docs["Complaint"])):
			r = h.client(persona).resource_list(
				"Complaint",
				fields=["name"],
				filters=[["name", "in", [fx.docs["Complaint"], fx.other_complaint]]],
			)
			self.assertEqual(r.status_code, 200, h.body(r)[:300])
			self.assertEqual([row["name"] for row in h.data_of(r)], [expected], persona)
		r = h.client("investigator-nocase").resource_list(
			"Complaint", fields=["name"], filters=[["name", "in", [fx.docs["Complaint"], fx.other_complaint]]]
		)
		self.assertIn(r.status_code, (200, 403))
		self.assertEqual(h.data_of(r) or [], [] if r.status_code == 200 else h.data_of(r) or [])


# ------------------------------------------------------------------ recusal (design point 4)


class TestRecusal(Attack):
	def involved_complaint(self) -> tuple[str, str]:
		fx = h.fixtures()
		frappe.set_user("Administrator")
		name = fx.new_complaint(
			"recusal",
			status="Acknowledged",
			involved_persons=[{"user": fx.user("handler-involved"), "relation": "Handled the Matter"}],
		)
		frappe.db.commit()
		row = frappe.db.get_value("Complaint Involved Person", {"parent": name}, "name")
		return name, row

	def refuse_removal(self, persona: str):
		name, row = self.involved_complaint()
		c = h.client(persona)
		watch = ["involved_persons"]
		problems = []
		problems += self.attempt(
			"Complaint",
			name,
			"PUT involved_persons=[]",
			lambda: c.put("Complaint", name, {"involved_persons": []}),
			watch,
		)

		def save():
			doc = full_doc("Complaint", name)
			doc["involved_persons"] = []
			return c.call("frappe.client.save", doc=doc)

		problems += self.attempt("Complaint", name, "frappe.client.save without the row", save, watch)
		problems += self.attempt(
			"Complaint",
			name,
			"frappe.client.set_value involved_persons=[]",
			lambda: c.call(
				"frappe.client.set_value", doctype="Complaint", name=name, fieldname={"involved_persons": []}
			),
			watch,
		)
		problems += self.attempt(
			"Complaint",
			name,
			"frappe.client.set_value involved_until=yesterday on the row",
			lambda: c.call(
				"frappe.client.set_value",
				doctype="Complaint Involved Person",
				name=row,
				fieldname="involved_until",
				value=add_days(today(), -1),
			),
			watch,
		)
		problems += self.attempt(
			"Complaint",
			name,
			"frappe.client.delete of the row",
			lambda: c.call("frappe.client.delete", doctype="Complaint Involved Person", name=row),
			watch,
		)
		problems += self.attempt(
			"Complaint",
			name,
			"DELETE /api/resource/Complaint Involved Person",
			lambda: c.request("DELETE", f"/api/resource/Complaint Involved Person/{row}"),
			watch,
		)
		self.assertFalse(problems, f"{persona}:\n" + "\n".join(problems))

	def test_involved_handler_cannot_remove_themselves(self):
		self.refuse_removal("handler-involved")

	def test_other_handler_cannot_remove_an_involved_person(self):
		self.refuse_removal("handler")

	def reject(self, involved: bool):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		people = [{"user": fx.user("qm"), "relation": "Handled the Matter"}] if involved else []
		name = fx.new_complaint("recusal", status="Acknowledged", involved_persons=people)
		frappe.db.commit()
		r = h.client("qm").call(
			"frappe.model.workflow.apply_workflow",
			doc={"doctype": "Complaint", "name": name},
			action="Reject",
		)
		return r, name

	def test_involved_quality_manager_hears_of_recusal_before_missing_fields(self):
		# the validity a rejection needs is missing too: the recusal is what they must hear first
		r, name = self.reject(involved=True)
		self.assertEqual(r.status_code, 403, h.body(r)[:400])
		message = " ".join(h.server_messages(r))
		self.assertIn("involved", message)
		self.assertNotIn("fill in", message)
		self.assertEqual(h.fresh_value("Complaint", name, "status"), "Acknowledged")

	def test_control_uninvolved_quality_manager_is_asked_for_validity(self):
		r, name = self.reject(involved=False)
		self.assertEqual(r.status_code, 417, h.body(r)[:400])
		self.assertIn("fill in", " ".join(h.server_messages(r)))
		self.assertEqual(h.fresh_value("Complaint", name, "status"), "Acknowledged")

	def test_control_quality_manager_removes_with_reason(self):
		if not frappe.get_meta("Complaint").has_field("involvement_change_reason"):
			self.skipTest("Complaint has no involvement_change_reason field")
		name, _row = self.involved_complaint()
		r = h.client("qm").put(
			"Complaint",
			name,
			{"involved_persons": [], "involvement_change_reason": "Left the company in 2019."},
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:400])
		self.assertEqual(h.fresh_rows("Complaint", name, "involved_persons"), [])


class TestApprovalAfterUnassigning(Attack):
	"""A handler who was assigned a complaint and unassigns themselves may still not approve it."""

	def pending(self) -> str:
		fx = h.fixtures()
		frappe.set_user("Administrator")
		frappe.flags.mute_emails = True
		name = fx.new_complaint("approval", status="Pending Approval")
		assign(
			{
				"assign_to": [fx.user("approver")],
				"doctype": "Complaint",
				"name": name,
				"description": "Handle",
			},
			ignore_permissions=True,
		)
		frappe.db.commit()
		frappe.flags.mute_emails = False
		return name

	def approve(self, persona: str, name: str):
		return h.client(persona).call(
			"frappe.model.workflow.apply_workflow",
			doc={"doctype": "Complaint", "name": name},
			action="Approve Response",
		)

	def refuse_after(self, undo):
		name = self.pending()
		c = h.client("approver")
		me = h.PERSONAS["approver"].email
		undo(c, name, me)
		problems = self.attempt(
			"Complaint",
			name,
			"Approve Response",
			lambda: self.approve("approver", name),
			["status", "response_approved_by"],
		)
		self.assertFalse(problems, "\n".join(problems))

	def test_unassigned_handler_cannot_approve(self):
		def unassign(c, name, me):
			r = c.call("frappe.desk.form.assign_to.remove", doctype="Complaint", name=name, assign_to=me)
			self.assertEqual(r.status_code, 200, f"unassigning failed: {h.body(r)[:300]}")

		self.refuse_after(unassign)

	def test_handler_who_deleted_the_assignment_cannot_approve(self):
		def delete(c, name, me):
			frappe.db.rollback()
			for todo in frappe.get_all(
				"ToDo", filters={"reference_name": name, "allocated_to": me}, pluck="name"
			):
				c.request("DELETE", f"/api/resource/ToDo/{todo}")
				c.call("frappe.client.delete", doctype="ToDo", name=todo)

		self.refuse_after(delete)

	def test_handler_who_closed_the_assignment_cannot_approve(self):
		def close(c, name, me):
			c.call("frappe.desk.form.assign_to.close", doctype="Complaint", name=name, assign_to=me)

		self.refuse_after(close)

	def test_control_uninvolved_quality_manager_approves(self):
		name = self.pending()
		r = self.approve("qm", name)
		self.assertEqual(r.status_code, 200, h.body(r)[:400])
		self.assertEqual(h.fresh_value("Complaint", name, "status"), "Responded")


# ------------------------------------------------------------------ what was decided is kept


class TestKeptRecord(Attack):
	"""What was recorded, decided or approved stays as it was (``rules.stamped_fields.KEPT``), for
	the roles who may otherwise write the record: an accreditation auditor's tampering attempts,
	each through set_value, PUT /api/resource and frappe.client.save."""

	def refuse_everywhere(self, personas, doctype, name, change, label):
		problems = []
		for persona in personas:
			problems += self.channels(persona, doctype, name, change, f"{persona}: {label}", list(change))
		self.assertFalse(problems, "\n".join(problems))

	def test_received_on_is_kept_once_registered(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		name = fx.new_complaint("kept receipt", status="Acknowledged")
		frappe.db.commit()
		earlier = str(add_days(frappe.db.get_value("Complaint", name, "received_on"), -2))
		self.refuse_everywhere(
			("intake", "handler", "qm"), "Complaint", name, {"received_on": earlier}, "moves Received On"
		)

	def test_control_a_draft_takes_another_receipt(self):
		name = h.fixtures().new_complaint("draft receipt")
		frappe.db.commit()
		earlier = str(add_days(frappe.db.get_value("Complaint", name, "received_on"), -1))
		r = h.client("intake").put("Complaint", name, {"received_on": earlier})
		self.assertEqual(r.status_code, 200, h.body(r)[:400])

	def test_the_approved_reply_is_kept(self):
		name = h.fixtures().new_complaint("kept reply", status="Responded")
		frappe.db.commit()
		for label, change in (
			("rewrites the approved reply", {"resolution": "<p>Nothing is owed.</p>"}),
			(
				"reverses the validity decision",
				{"validity": "Not Substantiated", "validity_reason": "The retained sample agrees."},
			),
		):
			self.refuse_everywhere(("handler", "qm"), "Complaint", name, change, label)

	def test_a_step_recorded_by_hand_lies_between_receipt_and_now(self):
		fx = h.fixtures()
		name = fx.new_complaint("hand stamped", status="Registered")
		frappe.db.set_value("Complaint", name, "acknowledged_on", None)
		frappe.db.commit()
		received = frappe.db.get_value("Complaint", name, "received_on")
		for moment in (add_to_date(received, hours=-1), add_days(now_datetime(), 2)):
			problems = self.attempt(
				"Complaint",
				name,
				f"acknowledged on {moment}",
				lambda moment=moment: h.client("handler").put(
					"Complaint", name, {"acknowledged_on": str(moment)}
				),
				["acknowledged_on"],
			)
			self.assertFalse(problems, "\n".join(problems))

	def test_the_approved_investigation_is_kept_and_not_deleted(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		complaint = fx.new_complaint("kept investigation", status="Under Investigation")
		investigation = frappe.get_doc(
			{
				"doctype": "Complaint Investigation",
				"complaint": complaint,
				"investigator": fx.user("investigator-nocase"),
				"root_cause": "The seal of the lot failed.",
				"conclusion": "Substantiated",
				"conclusion_summary": "The seal failed.",
			}
		).insert(ignore_permissions=True)
		frappe.db.set_value(
			"Complaint Investigation",
			investigation.name,
			{"status": "Approved", "workflow_state": "Approved"},
		)
		frappe.db.commit()
		self.refuse_everywhere(
			("qm",),
			"Complaint Investigation",
			investigation.name,
			{"conclusion": "Not Substantiated", "root_cause": "Nothing failed."},
			"rewrites the approved findings",
		)
		self.refuse_everywhere(
			("qm",),
			"Complaint Investigation",
			investigation.name,
			{"investigator": fx.user("handler")},
			"names another investigator of the approved findings",
		)
		c = h.client("qm")
		for send in (
			lambda: c.request("DELETE", f"/api/resource/Complaint Investigation/{investigation.name}"),
			lambda: c.call(
				"frappe.client.delete", doctype="Complaint Investigation", name=investigation.name
			),
		):
			r = send()
			self.assertEqual(r.status_code, 403, h.body(r)[:300])
		self.assertTrue(frappe.db.exists("Complaint Investigation", investigation.name))

	def test_the_panels_decision_is_kept(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		complaint = fx.new_complaint("kept appeal", status="Closed")
		party = {"name": "Appellant Kept", "organisation": "", "email": "kept@example.org", "phone": ""}
		appeal = fx.new_appeal(complaint, party, [])
		frappe.db.set_value(
			"Complaint Appeal",
			appeal,
			{
				"status": "Decided",
				"workflow_state": "Decided",
				"outcome": "Upheld",
				"decision_reasons": "<p>The retained sample agrees with our report.</p>",
			},
		)
		frappe.db.commit()
		self.refuse_everywhere(
			("qm",), "Complaint Appeal", appeal, {"outcome": "Overturned"}, "rewrites the decision"
		)

	def new_capa(self, title: str, action_owner: str, **values):
		"""A CAPA with one action of ``action_owner`` due today, inserted as Administrator."""
		fx = h.fixtures()
		return frappe.get_doc(
			{
				"doctype": "CAPA",
				"company": fx.company,
				"title": f"{h.TAG} {title}",
				"capa_type": "Corrective",
				"responsible": fx.user("qm"),
				"raised_on": today(),
				"problem_statement": "Seals fail in transit.",
				"actions": [
					{"action": "Change the seal.", "action_owner": action_owner, "due_date": today()}
				],
				**values,
			}
		).insert(ignore_permissions=True)

	def test_an_effectiveness_check_is_kept_and_never_removed(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		capa = self.new_capa(
			"kept checks",
			fx.user("handler"),
			effectiveness_checks=[{"checked_on": today(), "result": "Ineffective"}],
		)
		frappe.db.commit()
		problems = []
		for label, edit in (
			("changes the result", lambda rows: rows[0].update(result="Effective")),
			("removes the check", lambda rows: rows.clear()),
		):

			def save(edit=edit):
				doc = full_doc("CAPA", capa.name)
				edit(doc["effectiveness_checks"])
				return h.client("qm").call("frappe.client.save", doc=doc)

			problems += self.attempt("CAPA", capa.name, label, save, ["effectiveness_checks"])
		self.assertFalse(problems, "\n".join(problems))

	def test_a_done_action_keeps_its_owner_and_whoever_completed_it_verifies_nothing(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		capa = self.new_capa(
			"done action",
			fx.user("action-owner"),
			actions=[
				{"action": "Change the seal.", "action_owner": fx.user("action-owner"), "due_date": today()},
				{
					"action": "Train the packers.",
					"action_owner": fx.user("action-owner"),
					"due_date": today(),
				},
			],
		)
		frappe.db.set_value("CAPA", capa.name, {"status": "Open", "workflow_state": "Open"})
		frappe.db.commit()
		qm = h.client("qm")

		def save_as(client, edit):
			doc = full_doc("CAPA", capa.name)
			edit(doc)
			return client.call("frappe.client.save", doc=doc)

		# the quality manager marks the employee's action done in the form
		r = save_as(
			qm, lambda doc: doc["actions"][0].update(status="Done", evidence="Seal changed on line 2.")
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:400])
		frappe.db.rollback()  # read what the server committed
		self.assertEqual(
			frappe.db.get_value("CAPA Action", {"parent": capa.name, "idx": 1}, "completed_by"), fx.user("qm")
		)
		problems = self.attempt(
			"CAPA",
			capa.name,
			"re-points the done action",
			lambda: save_as(qm, lambda doc: doc["actions"][0].update(action_owner=fx.user("handler"))),
			["actions"],
		)
		check = {"checked_on": today(), "result": "Effective"}
		problems += self.attempt(
			"CAPA",
			capa.name,
			"verifies an action they completed",
			lambda: save_as(qm, lambda doc: doc["effectiveness_checks"].append(dict(check))),
			["effectiveness_checks"],
		)

		def reopen_and_verify(doc):
			doc["actions"][0].update(status="Open")
			doc["effectiveness_checks"].append(dict(check))

		problems += self.attempt(
			"CAPA",
			capa.name,
			"reopens the action and verifies in one save",
			lambda: save_as(qm, reopen_and_verify),
			["actions", "effectiveness_checks"],
		)
		problems += self.attempt(
			"CAPA",
			capa.name,
			"removes the done action",
			lambda: save_as(qm, lambda doc: doc["actions"].pop(0)),
			["actions"],
		)
		tomorrow = {"checked_on": add_days(today(), 1), "result": "Effective"}
		problems += self.attempt(
			"CAPA",
			capa.name,
			"dates a check tomorrow",
			lambda: save_as(
				h.client("approver"), lambda doc: doc["effectiveness_checks"].append(dict(tomorrow))
			),
			["effectiveness_checks"],
		)
		self.assertFalse(problems, "\n".join(problems))
		# control: a quality manager who took no part verifies it
		r = save_as(h.client("approver"), lambda doc: doc["effectiveness_checks"].append(dict(check)))
		self.assertEqual(r.status_code, 200, h.body(r)[:400])
