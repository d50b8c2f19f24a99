"""An ERPNext Issue escalates to a formal complaint (issue 13 part 7): linked both ways, its
complainant stored as a Complainant record, once per Issue, only by who may, never half saved."""

from unittest.mock import patch

import frappe

from complaint_handling.channels import issue_escalation as escalation
from complaint_handling.setup import defaults
from complaint_handling.setup.install import seed_escalation_fields
from complaint_handling.tests.utils import INTAKE_USER, ComplaintTestCase, as_user, ensure_user

SUPPORT_USER = "ch-support@example.com"  # Support Team and Intake Officer: may escalate
SUPPORT_ONLY_USER = "ch-support-only@example.com"  # Support Team alone: may not
CUSTOMER = "_Test Complaint Escalation Customer"


class TestIssueEscalation(ComplaintTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_user(SUPPORT_USER, ["Support Team", defaults.INTAKE])
		ensure_user(SUPPORT_ONLY_USER, ["Support Team"])
		frappe.db.commit()

	def make_issue(self, **values):
		if not frappe.db.exists("Customer", CUSTOMER):
			frappe.get_doc(
				{"doctype": "Customer", "customer_name": CUSTOMER, "customer_type": "Company"}
			).insert(ignore_permissions=True)
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Zhang",
				"last_name": "Min",
				"email_ids": [{"email_id": "zhang.min@example.org", "is_primary": 1}],
				"phone_nos": [{"phone": "+86 21 5555 0101", "is_primary_mobile_no": 1}],
				"links": [{"link_doctype": "Customer", "link_name": CUSTOMER}],
			}
		).insert(ignore_permissions=True)
		return frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": "Wrong certificate of analysis with lot 24-117",
				"description": "<p>The certificate shows another lot's assay.</p>",
				"raised_by": "zhang.min@example.org",
				"customer": CUSTOMER,
				"contact": contact.name,
				**values,
			}
		).insert(ignore_permissions=True)

	def test_the_link_field_is_seeded_once_and_kept(self):
		name = frappe.db.get_value("Custom Field", {"dt": "Issue", "fieldname": "complaint"})
		self.assertTrue(name)
		field = frappe.get_doc("Custom Field", name)
		self.assertEqual((field.fieldtype, field.options, field.read_only), ("Link", "Complaint", 1))
		frappe.db.set_value("Custom Field", name, "label", "Formal Complaint")
		seed_escalation_fields()
		self.assertEqual(frappe.db.get_value("Custom Field", name, "label"), "Formal Complaint")
		self.assertEqual(frappe.db.count("Custom Field", {"dt": "Issue", "fieldname": "complaint"}), 1)

	def test_escalating_links_both_ways_and_stores_the_complainant(self):
		issue = self.make_issue()
		with as_user(SUPPORT_USER):
			self.assertTrue(escalation.escalation_state("Issue", issue.name)["can_escalate"])
			result = escalation.escalate("Issue", issue.name)
		self.assertTrue(result["created"])
		complaint = frappe.get_doc("Complaint", result["complaint"])
		self.assertEqual((complaint.reference_doctype, complaint.reference_name), ("Issue", issue.name))
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "complaint"), complaint.name)
		self.assertEqual(complaint.subject, issue.subject)
		self.assertIn("another lot's assay", complaint.description)
		self.assertEqual(
			(complaint.customer, complaint.channel, complaint.status), (CUSTOMER, "Email", "Draft")
		)
		self.assertEqual(complaint.owner, SUPPORT_USER)
		# the contact lives in the Complainant record, not on the case
		self.assertFalse(frappe.db.get_value("Complaint", complaint.name, "complainant_email"))
		party = frappe.get_doc("Complainant", complaint.complainant)
		self.assertEqual(
			(party.party_name, party.email, party.organisation, party.phone),
			("Zhang Min", "zhang.min@example.org", CUSTOMER, "+86 21 5555 0101"),
		)
		with as_user(SUPPORT_USER):
			state = escalation.escalation_state("Issue", issue.name)
		self.assertEqual(state, {"complaint": complaint.name, "status": "Draft", "can_escalate": False})
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": "Issue", "reference_name": issue.name, "comment_type": "Info"},
			)
		)

	def test_a_second_escalation_returns_the_first_complaint(self):
		issue = self.make_issue()
		with as_user(SUPPORT_USER):
			first = escalation.escalate("Issue", issue.name)
			second = escalation.escalate("Issue", issue.name)
		self.assertEqual(second, {"complaint": first["complaint"], "created": False})
		self.assertEqual(
			frappe.db.count("Complaint", {"reference_doctype": "Issue", "reference_name": issue.name}), 1
		)
		# a link cleared by hand is found again through the complaint's reference
		frappe.db.set_value("Issue", issue.name, "complaint", None)
		with as_user(SUPPORT_USER):
			third = escalation.escalate("Issue", issue.name)
		self.assertEqual(third["complaint"], first["complaint"])
		self.assertEqual(frappe.db.get_value("Issue", issue.name, "complaint"), first["complaint"])

	def test_only_who_may_create_complaints_and_read_the_issue(self):
		issue = self.make_issue()
		with as_user(SUPPORT_ONLY_USER):
			self.assertFalse(escalation.escalation_state("Issue", issue.name)["can_escalate"])
			self.assertRaises(frappe.PermissionError, escalation.escalate, "Issue", issue.name)
		with as_user(INTAKE_USER):  # may create complaints, may not read Issues
			self.assertRaises(frappe.PermissionError, escalation.escalate, "Issue", issue.name)
			self.assertRaises(frappe.PermissionError, escalation.escalation_state, "Issue", issue.name)
		self.assertFalse(frappe.db.get_value("Issue", issue.name, "complaint"))
		self.assertFalse(frappe.db.exists("Complaint", {"reference_name": issue.name}))

	def test_a_failure_saves_nothing(self):
		issue = self.make_issue()
		parties = frappe.db.count("Complainant")
		with (
			as_user(SUPPORT_USER),
			patch.object(escalation, "note_escalation", side_effect=frappe.ValidationError("boom")),
		):
			self.assertRaises(frappe.ValidationError, escalation.escalate, "Issue", issue.name)
		self.assertFalse(frappe.db.exists("Complaint", {"reference_name": issue.name}))
		self.assertFalse(frappe.db.get_value("Issue", issue.name, "complaint"))
		self.assertEqual(frappe.db.count("Complainant"), parties)

	def test_an_issue_without_contact_is_named_after_its_sender(self):
		issue = frappe.get_doc(
			{"doctype": "Issue", "subject": "Late delivery", "raised_by": "someone@example.net"}
		).insert(ignore_permissions=True)
		with as_user(SUPPORT_USER):
			complaint = escalation.escalate("Issue", issue.name)["complaint"]
		party = frappe.db.get_value("Complaint", complaint, "complainant")
		self.assertEqual(frappe.db.get_value("Complainant", party, "party_name"), "someone@example.net")
		self.assertEqual(frappe.db.get_value("Complaint", complaint, "description"), "Late delivery")

	def test_deleting_the_draft_frees_the_issue(self):
		issue = self.make_issue()
		with as_user(SUPPORT_USER):
			complaint = escalation.escalate("Issue", issue.name)["complaint"]
		frappe.delete_doc("Complaint", complaint)
		self.assertFalse(frappe.db.get_value("Issue", issue.name, "complaint"))

	def test_helpdesk_only_when_installed(self):
		installed = "helpdesk" in frappe.get_installed_apps()
		self.assertEqual("HD Ticket" in escalation.source_doctypes(), installed)
		self.assertIn("Issue", escalation.source_doctypes())
		if not installed:
			self.assertRaises(frappe.ValidationError, escalation.escalate, "HD Ticket", "1")
		self.assertRaises(frappe.ValidationError, escalation.escalate, "Sales Invoice", "x")

	def test_an_issue_raised_by_a_staff_member_for_a_customer(self):
		issue = self.make_issue(raised_by=SUPPORT_ONLY_USER)
		with as_user(SUPPORT_USER):
			complaint = escalation.escalate("Issue", issue.name)["complaint"]
		self.assertEqual(frappe.db.get_value("Complaint", complaint, "channel"), "Internal")
		party = frappe.db.get_value("Complaint", complaint, "complainant")
		self.assertEqual(
			frappe.db.get_value("Complainant", party, ["party_name", "email"]),
			("Zhang Min", "zhang.min@example.org"),
		)
