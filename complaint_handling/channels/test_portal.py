"""The customer portal on a real site (``channels.portal``, ``www/my-complaints``): website users of
customer A list, open, file and appeal A's complaints; a user of customer B gets nothing of A's on
any path. Over HTTP: ``tests/http/test_http_portal.py``; in a browser: ``tests/browser/test_portal.py``.
"""

import frappe
from frappe.utils import add_days, now_datetime

from complaint_handling.channels import portal
from complaint_handling.rules.complaint import Status
from complaint_handling.tests.utils import (
	INTAKE_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	ensure_user,
	make_complaint,
	move,
	respond,
)

# committed once, like the role users of tests/utils.py; tests never change them
CUSTOMER_A = "_CH Portal Customer A"
CUSTOMER_B = "_CH Portal Customer B"
USER_A = "ch-portal-a@example.com"
USER_A2 = "ch-portal-a2@example.com"  # a colleague at A, linked through A's Portal Users table
USER_B = "ch-portal-b@example.com"
PHONE_A = "+86 21 5555 0102"


def ensure_customer(name: str) -> str:
	existing = frappe.db.get_value("Customer", {"customer_name": name})
	if existing:
		return existing
	return (
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": name,
				"customer_type": "Company",
				"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0})
				or "All Customer Groups",
				"territory": frappe.db.get_value("Territory", {"is_group": 0}) or "All Territories",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def ensure_contact(user: str, customer: str, phone: str | None = None) -> None:
	"""The Contact of ``user`` (Frappe makes one with each User) linked to ``customer`` by
	Administrator (a desk user), as a sales user records a customer's contact."""
	name = frappe.db.get_value("Contact", {"email_id": user})
	contact = frappe.get_doc("Contact", name) if name else frappe.new_doc("Contact")
	if not name:
		contact.first_name = user.split("@")[0]
		contact.append("email_ids", {"email_id": user, "is_primary": 1})
	if phone and not contact.phone_nos:
		contact.append("phone_nos", {"phone": phone, "is_primary_mobile_no": 1})
	if not any(link.link_doctype == "Customer" and link.link_name == customer for link in contact.links):
		contact.append("links", {"link_doctype": "Customer", "link_name": customer})
	contact.save(ignore_permissions=True)


def ensure_portal_fixtures() -> dict:
	"""Customers A and B and their website users (role Customer), committed. Returns the names."""
	previous = frappe.session.user
	frappe.set_user("Administrator")
	try:
		a, b = ensure_customer(CUSTOMER_A), ensure_customer(CUSTOMER_B)
		for user, name in ((USER_A, "Ada Portal"), (USER_A2, "Alan Portal"), (USER_B, "Bea Portal")):
			ensure_user(user, ["Customer"], name, user_type="Website User")
		ensure_contact(USER_A, a, PHONE_A)
		ensure_contact(USER_B, b)
		customer = frappe.get_doc("Customer", a)
		if USER_A2 not in {row.user for row in customer.get("portal_users", [])}:
			customer.append("portal_users", {"user": USER_A2})
			customer.save(ignore_permissions=True)
		frappe.db.commit()
	finally:
		frappe.set_user(previous)
	return {"a": a, "b": b}


def decided_complaint(customer: str, **values):
	"""A complaint of ``customer`` walked to Responded: its decision can be appealed."""
	return respond(make_complaint(customer=customer, **values))


class PortalTestCase(ComplaintTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.customers = ensure_portal_fixtures()

	def tearDown(self):
		frappe.cache.delete_keys("rl:complaint_handling.channels.portal")
		super().tearDown()

	@property
	def a(self):
		return self.customers["a"]

	@property
	def b(self):
		return self.customers["b"]


class TestWhoSeesWhat(PortalTestCase):
	def test_the_customers_of_a_user_come_from_their_contact_or_the_portal_users_table(self):
		with as_user(USER_A):
			self.assertEqual(portal.portal_customers(), [self.a])
		with as_user(USER_A2):
			self.assertEqual(portal.portal_customers(), [self.a])  # ERPNext's Portal Users table
		with as_user(USER_B):
			self.assertEqual(portal.portal_customers(), [self.b])
		for user in ("Guest", QM_USER, "Administrator"):
			with as_user(user):
				self.assertEqual(portal.portal_customers(), [], user)

	def test_a_contact_a_website_user_makes_claims_no_customer(self):
		# Frappe lets every user create Contacts of their own (role All), links included
		with as_user(USER_B):
			frappe.get_doc(
				{
					"doctype": "Contact",
					"first_name": "Bea Again",
					"email_ids": [{"email_id": USER_B, "is_primary": 1}],
					"links": [{"link_doctype": "Customer", "link_name": self.a}],
				}
			).insert()
			self.assertEqual(portal.portal_customers(), [self.b])

	def test_without_the_customer_role_there_is_no_portal(self):
		# (saving the User would not do: ERPNext gives the role back to a customer's contact)
		frappe.db.delete("Has Role", {"parent": USER_B, "role": "Customer"})
		frappe.clear_cache(user=USER_B)
		self.addCleanup(frappe.clear_cache, user=USER_B)
		with as_user(USER_B):
			self.assertEqual(portal.portal_customers(), [])
			with self.assertRaises(frappe.PermissionError):
				portal.require_portal_user()

	def test_a_disabled_customer_shows_nothing(self):
		frappe.db.set_value("Customer", self.b, "disabled", 1)
		with as_user(USER_B):
			self.assertEqual(portal.portal_customers(), [])

	def test_the_list_shows_only_the_customers_complaints_with_their_public_status(self):
		mine = make_complaint(customer=self.a, subject="Portal A: label wrong")
		decided = decided_complaint(self.a, subject="Portal A: decided")
		theirs = make_complaint(customer=self.b, subject="Portal B: seal broken")
		nobody = make_complaint(subject="No customer at all")
		with as_user(USER_A):
			rows = {row["reference"]: row for row in portal.complaints(portal.portal_customers())}
		self.assertIn(mine.name, rows)
		self.assertNotIn(theirs.name, rows)
		self.assertNotIn(nobody.name, rows)
		self.assertEqual(rows[mine.name]["status"], "Received")
		self.assertEqual(rows[decided.name]["status"], "Answered")
		self.assertEqual(
			set(rows[mine.name]),
			{"reference", "subject", "customer", "status", "status_label", "received_on", "route"},
		)
		with as_user(USER_B):
			rows = {row["reference"] for row in portal.complaints(portal.portal_customers())}
		self.assertEqual(rows & {mine.name, decided.name, nobody.name}, set())
		self.assertIn(theirs.name, rows)

	def test_the_page_of_a_complaint_is_its_public_view_and_another_customers_is_not_found(self):
		doc = decided_complaint(self.a, subject="Portal A: decided page")
		doc.add_comment("Comment", "internal-canary: the handler suspects the carrier")
		with as_user(USER_A):
			view = portal.complaint_view(portal.find_complaint(doc.name))
		self.assertEqual((view["reference"], view["status"]), (doc.name, "Answered"))
		self.assertTrue(view["appeal"]["allowed"])
		self.assertNotIn("resolution", view)
		self.assertNotIn("internal-canary", frappe.as_json(view))
		self.assertNotIn("validity", frappe.as_json(view).lower())
		# the letters sent to the complainant are theirs to read: the formal reply among them
		self.assertIn("Credit note issued", frappe.as_json(view["letters"]))
		with as_user(USER_B):
			self.assertIsNone(portal.find_complaint(doc.name))
			with self.assertRaises(frappe.DoesNotExistError) as foreign:
				portal.portal_complaint(doc.name)
			with self.assertRaises(frappe.DoesNotExistError) as missing:
				portal.portal_complaint("TS-I-99-999")
		self.assertEqual(str(foreign.exception), str(missing.exception))

	def test_a_portal_user_reaches_no_complaint_through_frappes_own_paths(self):
		doc = make_complaint(customer=self.a)
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "evidence-a.txt",
				"attached_to_doctype": "Complaint",
				"attached_to_name": doc.name,
				"is_private": 1,
				"content": b"evidence of A",
			}
		).insert(ignore_permissions=True)
		communication = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": f"Re: {doc.name}",
				"content": "<p>Our answer</p>",
				"recipients": "complainant@example.org",
				"reference_doctype": "Complaint",
				"reference_name": doc.name,
			}
		).insert(ignore_permissions=True)
		file = frappe.get_doc("File", {"attached_to_name": doc.name, "file_name": "evidence-a.txt"})
		for user in (USER_A, USER_B):
			with as_user(user):
				self.assertFalse(frappe.has_permission("Complaint", "read", doc=doc.name), user)
				self.assertFalse(frappe.has_website_permission(frappe.get_doc("Complaint", doc.name)), user)
				self.assertFalse(file.has_permission("read"), user)
				self.assertFalse(frappe.has_permission("Communication", "read", doc=communication.name), user)
				with self.assertRaises(frappe.PermissionError):
					frappe.get_list("Complaint", fields=["name"])
				self.assertNotIn(
					communication.name, frappe.get_list("Communication", pluck="name", limit_page_length=0)
				)


class TestFilingAComplaint(PortalTestCase):
	def file(self, user=USER_A, **values):
		with as_user(user):
			return portal.file_complaint(
				**{
					"description": "The certificate of analysis for lot 12 names the wrong method.",
					"product": "Reagent kit 50",
					"consent": "1",
					**values,
				}
			)

	def test_the_form_is_filled_from_the_users_contact_and_customer(self):
		with as_user(USER_A):
			values = portal.prefill(portal.portal_customers())
		self.assertEqual(
			(values["complainant_name"], values["email"], values["phone"]), ("Ada Portal", USER_A, PHONE_A)
		)
		self.assertEqual([c["name"] for c in values["customers"]], [self.a])

	def test_a_portal_complaint_is_a_draft_of_the_customer_with_a_complainant(self):
		answer = self.file(phone="+86 21 5555 0199")
		doc = frappe.get_doc("Complaint", answer["reference"])
		self.assertEqual(
			(doc.status, doc.channel, doc.customer, doc.owner), (Status.DRAFT, "Portal", self.a, USER_A)
		)
		self.assertEqual(answer["route"], f"/my-complaints/{doc.name}?filed=complaint")
		stored = frappe.db.get_value(
			"Complaint", doc.name, ["complainant_name", "complainant_email", "complainant_organisation"]
		)
		self.assertEqual(stored, (None, None, None))
		party = frappe.db.get_value(
			"Complainant", doc.complainant, ["party_name", "email", "phone", "organisation"]
		)
		self.assertEqual(party, ("Ada Portal", USER_A, "+86 21 5555 0199", CUSTOMER_A))
		self.assertIn("Reagent kit 50", doc.subject)
		with as_user(USER_A):
			self.assertIn(
				doc.name, {row["reference"] for row in portal.complaints(portal.portal_customers())}
			)

	def test_the_same_text_twice_is_one_complaint(self):
		first, second = self.file(), self.file()
		self.assertEqual(first["reference"], second["reference"])
		self.assertTrue(second["duplicate"])

	def test_another_customer_is_refused_and_nothing_is_saved(self):
		before = frappe.db.count("Complaint")
		with self.assertRaises(frappe.ValidationError):
			self.file(user=USER_B, customer=self.a)
		with self.assertRaises(frappe.ValidationError):
			self.file(customer="No Such Customer")
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_hostile_values_are_refused_with_a_message_and_nothing_is_saved(self):
		before = (frappe.db.count("Complaint"), frappe.db.count("Complainant"))
		for values in (
			{"description": ""},
			{"description": "x" * 20_000},
			{"consent": ""},
			{"email": "not an address"},
			{"phone": "call me maybe"},
			{"occurred_on": "2999-01-01"},
			{"complainant_name": "n" * 1_000},
		):
			with self.subTest(values=list(values)), self.assertRaises(frappe.ValidationError):
				self.file(**values)
		self.assertEqual((frappe.db.count("Complaint"), frappe.db.count("Complainant")), before)

	def test_markup_is_stored_as_text(self):
		answer = self.file(description="<script>alert(1)</script> the seal was broken")
		description = frappe.db.get_value("Complaint", answer["reference"], "description")
		self.assertNotIn("<script", description)
		self.assertIn("&lt;script&gt;", description)

	def test_guest_and_unlinked_users_cannot_file(self):
		for user in ("Guest", QM_USER):
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.file(user=user)


class TestAppealing(PortalTestCase):
	def appeal(self, complaint, user=USER_A, **values):
		with as_user(user):
			return portal.file_appeal(
				complaint=complaint,
				**{
					"grounds": "The retained sample was never re-tested.",
					"remedy_sought": "Re-test it.",
					**values,
				},
			)

	def test_an_appeal_within_the_window_is_filed_with_the_user_as_appellant(self):
		doc = decided_complaint(self.a)
		answer = self.appeal(doc.name)
		appeal = frappe.get_doc("Complaint Appeal", answer["appeal"])
		self.assertEqual(
			(appeal.complaint, appeal.customer, appeal.status, appeal.filed_late),
			(doc.name, self.a, "Draft", 0),
		)
		self.assertIn("never re-tested", appeal.grounds)
		self.assertEqual(appeal.remedy_sought, "Re-test it.")
		self.assertEqual(
			frappe.db.get_value(
				"Appellant", appeal.appellant, ["party_name", "email", "phone", "organisation"]
			),
			("Ada Portal", USER_A, PHONE_A, CUSTOMER_A),
		)
		self.assertEqual(frappe.db.get_value("Complaint Appeal", appeal.name, "appellant_email"), None)
		with as_user(USER_A):
			view = portal.complaint_view(portal.find_complaint(doc.name))
		self.assertEqual([a["name"] for a in view["appeals"]], [appeal.name])
		self.assertFalse(view["appeal"]["allowed"])
		# the intake officer registers it: the window is checked again, and holds
		appeal = move(appeal, "Received", INTAKE_USER)
		self.assertEqual(appeal.status, "Received")

	def test_a_second_appeal_while_one_is_open_is_refused(self):
		doc = decided_complaint(self.a)
		self.appeal(doc.name)
		with self.assertRaises(frappe.ValidationError) as refused:
			self.appeal(doc.name)
		self.assertIn("being handled", str(refused.exception))

	def test_after_the_window_the_appeal_is_refused_saying_when_it_closed(self):
		doc = decided_complaint(self.a)
		frappe.db.set_value("Complaint", doc.name, "responded_on", add_days(now_datetime(), -60))
		before = frappe.db.count("Complaint Appeal")
		with self.assertRaises(frappe.ValidationError) as refused:
			self.appeal(doc.name)
		self.assertIn("closed on", str(refused.exception))
		self.assertEqual(frappe.db.count("Complaint Appeal"), before)

	def test_a_complaint_without_a_decision_cannot_be_appealed(self):
		doc = make_complaint(customer=self.a)
		with self.assertRaises(frappe.ValidationError) as refused:
			self.appeal(doc.name)
		self.assertIn("no decision", str(refused.exception))

	def test_another_customers_complaint_is_not_found_as_a_missing_one_is(self):
		doc = decided_complaint(self.a)
		messages = []
		for name in (doc.name, "TS-I-99-999", "", "x" * 500):
			with self.assertRaises(frappe.DoesNotExistError) as refused:
				self.appeal(name, user=USER_B)
			messages.append(str(refused.exception))
		self.assertEqual(len(set(messages)), 1)
		self.assertFalse(frappe.db.exists("Complaint Appeal", {"complaint": doc.name}))

	def test_grounds_are_required_and_held_to_their_length(self):
		doc = decided_complaint(self.a)
		for grounds in ("", "   ", "g" * 20_000):
			with self.subTest(length=len(grounds)), self.assertRaises(frappe.ValidationError):
				self.appeal(doc.name, grounds=grounds)
		self.assertFalse(frappe.db.exists("Complaint Appeal", {"complaint": doc.name}))

	def test_a_closed_complaint_can_be_appealed_until_its_window_closes(self):
		doc = move(decided_complaint(self.a), Status.CLOSED, QM_USER)
		with as_user(USER_A):
			window = portal.appeal_window(portal.find_complaint(doc.name))
		self.assertTrue(window["allowed"])
		self.assertTrue(window["closes_on"])
