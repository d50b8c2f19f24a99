"""The public complaint form and status page over HTTP, as Guest, under hostile input
(``channels.web_intake``, ``channels.status``; issue 13 parts 1 and 2).

Oversized fields and files, scripts, SQL-looking text, wrong tokens and enumeration attempts:
no answer may be a server error, no miss may say more than another, and the rate limits answer
429. Each test starts with the rate-limit counters of these methods at zero (every request here
comes from 127.0.0.1); the complaints filed here carry ``MARK`` and are removed afterwards.
"""

import json
import secrets

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.channels.status import REFERENCE_FAILURES
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import purge_complaints

MARK = "ch-public-test"
SUBMIT = "complaint_handling.channels.web_intake.submit"
LOOKUP = "complaint_handling.channels.status.lookup"
ADD = "complaint_handling.channels.status.add_information"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def setUpModule():
	h.server()
	h.ensure_users()


def tearDownModule():
	purge_public()


def reset_rate_limits() -> None:
	frappe.cache.delete_keys("rl:complaint_handling.channels")
	frappe.cache.delete_keys("complaint_web_intake:")
	frappe.cache.delete_keys(REFERENCE_FAILURES)


def purge_public() -> None:
	"""Remove every complaint these tests (or the browser tests) filed, with its party and files."""
	frappe.db.rollback()
	names = frappe.get_all(
		"Complaint", filters={"channel": "Web Form", "description": ("like", f"%{MARK}%")}, pluck="name"
	)
	parties = frappe.get_all("Complaint", filters={"name": ("in", names or [""])}, pluck="complainant")
	for name in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Complaint", "attached_to_name": ("in", names or [""])},
		pluck="name",
	):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)
	purge_complaints(names)
	for party in filter(None, parties):
		frappe.db.delete("Complainant", {"name": party})
	frappe.db.commit()


def form(**values) -> dict:
	return {
		"complainant_name": "Chen Jie",
		"email": f"public-{secrets.token_hex(4)}@example.org",
		"description": f"{MARK} {secrets.token_hex(4)}: the label on batch 7 was wrong.",
		"consent": "1",
		**values,
	}


def neutral(response) -> str:
	"""A refusal without its random exception id (Frappe's, per throw): what the caller learns."""
	js = h.payload(response) or {}
	messages = [json.loads(m) for m in json.loads(js.get("_server_messages") or "[]")]
	for message in messages:
		message.pop("__frappe_exc_id", None)
	return json.dumps([js.get("exc_type"), messages], sort_keys=True)


def guest():
	return h.client("guest")


def post(method: str, data: dict, files=None):
	return guest().request("POST", f"/api/method/{method}", data=h.encode(data), files=files)


class PublicTestCase(FrappeTestCase):
	def setUp(self):
		reset_rate_limits()

	def assertNoServerError(self, response, what=""):
		self.assertLess(response.status_code, 500, f"{what}: {h.body(response)[:500]}")


class TestPublicForm(PublicTestCase):
	def test_each_page_tells_its_script_its_language(self):
		"""The pages' scripts send the page's language with every request, so that refusals come in
		the language the visitor chose, not their browser's."""
		for route in ("complaint", "complaint-status", "complaint-survey"):
			for lang, browser in (("zh", "en-US,en"), ("en", "zh-CN,zh")):
				with self.subTest(route=route, lang=lang):
					r = guest().get(f"/{route}", {"_lang": lang}, headers={"Accept-Language": browser})
					self.assertEqual(r.status_code, 200)
					self.assertIn(f'data-lang="{lang}"', r.text)
					self.assertNotIn("{{", r.text)  # Frappe leaves an unknown name as it was

	def test_a_guest_files_a_complaint_with_a_file_and_gets_a_reference_and_a_link(self):
		data = form(phone="+44 20 7946 0000", organisation="Chen Ltd")
		r = post(SUBMIT, data, files=[("files", ("report.pdf", PDF, "application/pdf"))])
		self.assertEqual(r.status_code, 200, h.body(r)[:500])
		answer = h.data_of(r)
		name, link = answer["reference"], answer["tracking_link"]
		self.assertIn("/complaint-status#t=", link)
		frappe.db.rollback()
		row = frappe.db.get_value(
			"Complaint",
			name,
			[
				"channel",
				"status",
				"complainant",
				"complainant_email",
				"complainant_phone",
				"complainant_name",
			],
			as_dict=True,
		)
		self.assertEqual((row.channel, row.status), ("Web Form", "Draft"))
		self.assertEqual(
			(row.complainant_email, row.complainant_phone, row.complainant_name), (None, None, None)
		)
		self.assertEqual(frappe.db.get_value("Complainant", row.complainant, "email"), data["email"])
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Complaint", "attached_to_name": name},
			fields=["is_private"],
		)
		self.assertEqual([f.is_private for f in files], [1])
		# the link works, over HTTP too
		token = link.split("#t=", 1)[1]
		view = h.data_of(post(LOOKUP, {"token": token}))
		self.assertEqual((view["reference"], view["status"]), (name, "Received"))

	def test_guest_never_reaches_complaints_through_rest(self):
		c = guest()
		for response in (
			c.post("Complaint", {"subject": "x", "description": "x", "channel": "Web Form"}),
			c.resource_list("Complaint"),
			c.resource_list("Complainant"),
			c.call("frappe.client.insert", doc=json.dumps({"doctype": "Complaint", "subject": "x"})),
		):
			with self.subTest(url=response.url):
				self.assertIn(response.status_code, (401, 403, 417), h.body(response)[:300])

	def test_the_token_hash_is_not_readable_by_staff_through_rest(self):
		name = h.data_of(post(SUBMIT, form()))["reference"]
		frappe.db.rollback()
		stored = frappe.db.get_value("Complaint", name, "tracking_token_hash")
		self.assertTrue(stored)
		for persona in ("qm", "intake", "auditor"):
			c = h.client(persona)
			for response in (
				c.resource("Complaint", name),
				c.resource_list(
					"Complaint", fields=["name", "tracking_token_hash"], filters=[["name", "=", name]]
				),
				c.resource_list("Complaint", fields=["*"], filters=[["name", "=", name]]),
			):
				with self.subTest(persona=persona, url=response.url):
					self.assertNoServerError(response)
					self.assertNotIn(stored, h.body(response))

	def test_hostile_fields_are_refused_or_stored_as_text(self):
		cases = {
			"huge description": form(description=MARK + "x" * 200_000),
			"huge name": form(complainant_name="n" * 10_000),
			"script name": form(complainant_name="<script>alert(1)</script>"),
			"list email": {**form(), "email": ["a@example.org", "b@example.org"]},
			"dict description": {**form(), "description": {"$gt": ""}},
			"no email": {k: v for k, v in form().items() if k != "email"},
			"bad email": form(email="x@@example..org"),
			"two emails": form(email="a@example.org,b@example.org"),
			"null bytes": form(description=f"{MARK} \x00\x01\x02 broken"),
			"future date": form(occurred_on="2999-12-31"),
			"not a date": form(occurred_on="'; select sleep(5); --"),
			"no consent": form(consent=""),
		}
		for label, data in cases.items():
			with self.subTest(label):
				as_json = isinstance(data.get("email"), list) or isinstance(data.get("description"), dict)
				r = guest().call_json(SUBMIT, **data) if as_json else post(SUBMIT, data)
				self.assertNoServerError(r, label)
				if label not in ("script name", "null bytes"):
					self.assertIsNone(h.refusal_problem(r), label)
		reset_rate_limits()
		sql = f"{MARK} '; DROP TABLE `tabComplaint`; -- <img src=x onerror=alert(1)>"
		r = post(SUBMIT, form(description=sql, location="<b>Lab</b> 2"))
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		frappe.db.rollback()
		stored = frappe.db.get_value("Complaint", h.data_of(r)["reference"], ["description", "location"])
		self.assertIn("DROP TABLE", stored[0])
		self.assertNotIn("<img", stored[0])
		self.assertIn("&lt;img", stored[0])  # what was typed, escaped once: shown as typed
		self.assertNotIn("&amp;lt;", stored[0])
		self.assertEqual(stored[1], "Lab 2")

	def test_hostile_files_are_refused(self):
		cases = {
			"too large": [("files", ("big.pdf", b"%PDF-" + b"0" * (6 * 1024 * 1024), "application/pdf"))],
			"larger than any request": [
				("files", ("huge.pdf", b"%PDF-" + b"0" * (30 * 1024 * 1024), "application/pdf"))
			],
			"html": [("files", ("page.html", b"<script>alert(1)</script>", "text/html"))],
			"exe as pdf": [("files", ("invoice.pdf", b"MZ\x90\x00" + b"0" * 100, "application/pdf"))],
			"svg": [("files", ("x.svg", b"<svg onload=alert(1)>", "image/svg+xml"))],
			"four files": [("files", (f"r{i}.pdf", PDF, "application/pdf")) for i in range(4)],
			"empty": [("files", ("empty.pdf", b"", "application/pdf"))],
		}
		before = self.count()
		for label, files in cases.items():
			with self.subTest(label):
				r = post(SUBMIT, form(), files=files)
				self.assertNoServerError(r, label)
				self.assertTrue(400 <= r.status_code < 500, f"{label}: {r.status_code} {h.body(r)[:200]}")
		self.assertEqual(self.count(), before)

	def test_a_double_submission_is_one_complaint(self):
		data = form()
		first, second = post(SUBMIT, data), post(SUBMIT, data)
		self.assertEqual(h.data_of(first)["reference"], h.data_of(second)["reference"])
		self.assertTrue(h.data_of(second)["duplicate"])
		self.assertIsNone(h.data_of(second)["tracking_link"])

	def test_the_honeypot_files_nothing(self):
		before = self.count()
		r = post(SUBMIT, form(website="http://spam.example"))
		self.assertEqual((r.status_code, h.data_of(r)), (200, {"received": True}))
		self.assertEqual(self.count(), before)

	def test_rate_limits_answer_429_per_email_then_per_ip(self):
		# honeypot submissions count against the limits and file nothing
		email = f"limit-{secrets.token_hex(3)}@example.org"
		codes = [post(SUBMIT, form(email=email, website="x")).status_code for _ in range(6)]
		self.assertEqual(codes, [200] * 5 + [429])
		codes = [post(SUBMIT, form(website="x")).status_code for _ in range(5)]
		self.assertEqual(codes, [200] * 4 + [429])  # ten from this address within the hour

	def count(self) -> int:
		frappe.db.rollback()
		return frappe.db.count("Complaint", {"channel": "Web Form"})


class TestStatusLookup(PublicTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		reset_rate_limits()
		cls.data = form()
		answer = h.data_of(post(SUBMIT, cls.data))
		cls.name, cls.token = answer["reference"], answer["tracking_link"].split("#t=", 1)[1]

	def test_every_miss_is_the_same_404(self):
		prefix = self.name.rsplit("-", 1)[0] if "-" in self.name else self.name[:-3]
		misses = [
			{"token": secrets.token_urlsafe(32)},
			{"token": self.token[:-2]},
			{"token": "' OR 1=1 -- "},
			{"token": "x" * 100_000},
			{"token": "令牌" * 20},
			{"reference": self.name, "email": "attacker@example.org"},
			{"reference": self.name, "email": "' OR '1'='1"},
			{"reference": f"{self.name}' OR '1'='1", "email": self.data["email"]},
			{"reference": "%", "email": self.data["email"]},
			{"reference": self.name},
			{},
			# enumeration: neighbouring numbers with the right address of another complaint
			*(
				{"reference": reference, "email": self.data["email"]}
				for i in range(1, 15)
				if (reference := f"{prefix}-{i:03d}") != self.name
			),
		]
		bodies = set()
		for miss in misses:
			r = post(LOOKUP, miss)
			with self.subTest(miss=str(miss)[:80]):
				self.assertEqual(r.status_code, 404, h.body(r)[:300])
				bodies.add(neutral(r))
		self.assertEqual(len(bodies), 1, bodies)

	def test_the_view_shows_nothing_internal(self):
		frappe.db.rollback()
		doc = frappe.get_doc("Complaint", self.name)
		doc.add_comment("Comment", "INTERNAL-CANARY comment")
		frappe.db.commit()
		r = post(LOOKUP, {"reference": self.name, "email": self.data["email"].upper()})
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		text = h.body(r)
		for internal in (
			"INTERNAL-CANARY",
			'"complainant"',
			"involved",
			"tracking_token",
			"validity",
			"severity",
			self.data["email"],  # their own address is not echoed either
		):
			self.assertNotIn(internal, text)

	def test_adding_hostile_information_is_text_or_refused(self):
		r = post(ADD, {"token": self.token, "information": "<script>alert(1)</script> ' OR 1=1"})
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertNotIn("<script>", h.body(r))
		for data, files in (
			({"token": self.token, "information": "x" * 20_000}, None),
			({"token": self.token, "information": ""}, None),
			({"token": self.token}, [("files", ("a.html", b"<html>", "text/html"))]),
			({"token": secrets.token_urlsafe(32), "information": "hello"}, None),
		):
			r = post(ADD, data, files=files)
			self.assertNoServerError(r)
			self.assertTrue(400 <= r.status_code < 500, h.body(r)[:300])

	def test_lookups_are_rate_limited(self):
		codes = [post(LOOKUP, {"token": secrets.token_urlsafe(32)}).status_code for _ in range(61)]
		self.assertEqual(codes[:60], [404] * 60)
		self.assertEqual(codes[60], 429)
		# limited per address, whatever is asked: the right token is refused too now
		self.assertEqual(post(LOOKUP, {"token": self.token}).status_code, 429)
