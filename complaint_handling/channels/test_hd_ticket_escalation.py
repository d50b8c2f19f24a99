"""A Helpdesk ticket (*HD Ticket*) escalates to a formal complaint the way an ERPNext Issue does
(issue 13 part 7): linked both ways, its complainant stored as a Complainant record, once per
ticket, only by who may, and the ticket shows the complaint's status.

Runs only on a site where the Helpdesk app is installed (an optional dependency, detected at run
time); elsewhere the class is skipped. The tickets are real HD Tickets, saved through Helpdesk's own
controller and permission hooks."""

import unittest

import frappe

from complaint_handling.channels import issue_escalation as escalation
from complaint_handling.rules.complaint import Status
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import INTAKE_USER, ComplaintTestCase, as_user, ensure_user, move

AGENT_USER = "ch-hd-agent@example.com"  # Helpdesk Agent and Intake Officer: may escalate
AGENT_ONLY_USER = "ch-hd-agent-only@example.com"  # Helpdesk Agent alone: may not
CUSTOMER = "_Test Complaint Helpdesk Customer"  # an HD Customer and an ERPNext Customer of that name
HD_ONLY_CUSTOMER = "_Test Complaint Helpdesk-only Customer"  # an HD Customer alone
EMAIL = "amara.okafor@example.org"


class TestHDTicketEscalation(ComplaintTestCase):
	@classmethod
	def setUpClass(cls):
		if "helpdesk" not in frappe.get_installed_apps():
			raise unittest.SkipTest("Helpdesk is not installed on this site")
		super().setUpClass()
		ensure_user(AGENT_USER, ["Agent", defaults.INTAKE])
		ensure_user(AGENT_ONLY_USER, ["Agent"])
		frappe.db.commit()

	def make_ticket(self, customer=CUSTOMER, **values):
		if customer == CUSTOMER and not frappe.db.exists("Customer", CUSTOMER):
			frappe.get_doc(
				{"doctype": "Customer", "customer_name": CUSTOMER, "customer_type": "Company"}
			).insert(ignore_permissions=True)
		if not frappe.db.exists("HD Customer", customer):
			frappe.get_doc({"doctype": "HD Customer", "customer_name": customer}).insert(
				ignore_permissions=True
			)
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Amara",
				"last_name": "Okafor",
				"email_ids": [{"email_id": EMAIL, "is_primary": 1}],
				"phone_nos": [{"phone": "+234 1 555 0199", "is_primary_mobile_no": 1}],
				"links": [{"link_doctype": "HD Customer", "link_name": customer}],
			}
		).insert(ignore_permissions=True)
		return frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": "Seal of drum 7 of lot 24-311 broken on arrival",
				"description": "<p>The drum's seal was broken and the contents discoloured.</p>",
				"raised_by": EMAIL,
				"contact": contact.name,
				"customer": customer,
				**values,
			}
		).insert(ignore_permissions=True)

	def test_the_link_field_is_seeded_on_hd_ticket_and_after_helpdesk_is_installed(self):
		filters = {"dt": "HD Ticket", "fieldname": defaults.ESCALATION_LINK_FIELD}
		field = frappe.get_doc("Custom Field", frappe.db.get_value("Custom Field", filters))
		self.assertEqual(
			(field.fieldtype, field.options, field.read_only, field.insert_after),
			("Link", "Complaint", 1, "ticket_type"),
		)
		self.assertIn("HD Ticket", escalation.source_doctypes())
		# Helpdesk installed after this app: Frappe's after_app_install hooks add the field
		frappe.db.delete("Custom Field", filters)
		frappe.clear_cache(doctype="HD Ticket")
		self.assertFalse(frappe.get_meta("HD Ticket").has_field(defaults.ESCALATION_LINK_FIELD))
		for hook in frappe.get_hooks("after_app_install"):
			frappe.get_attr(hook)("helpdesk")
		frappe.clear_cache(doctype="HD Ticket")
		self.assertEqual(frappe.db.count("Custom Field", filters), 1)
		self.assertTrue(frappe.get_meta("HD Ticket").has_field(defaults.ESCALATION_LINK_FIELD))

	def test_escalating_links_both_ways_and_stores_the_complainant(self):
		ticket = self.make_ticket()
		with as_user(AGENT_USER):
			self.assertEqual(
				escalation.escalation_state("HD Ticket", str(ticket.name)),
				{"complaint": None, "status": None, "can_escalate": True},
			)
			result = escalation.escalate("HD Ticket", str(ticket.name))
		self.assertTrue(result["created"])
		complaint = frappe.get_doc("Complaint", result["complaint"])
		self.assertEqual(
			(complaint.reference_doctype, complaint.reference_name), ("HD Ticket", str(ticket.name))
		)
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket.name, "complaint"), complaint.name)
		self.assertEqual(complaint.subject, ticket.subject)
		self.assertIn("seal was broken", complaint.description)
		self.assertEqual(
			(complaint.customer, complaint.channel, complaint.status), (CUSTOMER, "Email", "Draft")
		)
		self.assertEqual(complaint.owner, AGENT_USER)
		party = frappe.get_doc("Complainant", complaint.complainant)
		self.assertEqual(
			(party.party_name, party.email, party.organisation, party.phone),
			("Amara Okafor", EMAIL, CUSTOMER, "+234 1 555 0199"),
		)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_doctype": "HD Ticket",
					"reference_name": str(ticket.name),
					"comment_type": "Info",
				},
			)
		)
		# the ticket's form shows the complaint and its status, as it moves on
		with as_user(AGENT_USER):
			state = escalation.escalation_state("HD Ticket", str(ticket.name))
		self.assertEqual(state, {"complaint": complaint.name, "status": "Draft", "can_escalate": False})
		complaint.db_set({"complaint_category": "Product Quality", "severity": "II"})
		move(complaint, Status.REGISTERED, INTAKE_USER)
		with as_user(AGENT_USER):
			state = escalation.escalation_state("HD Ticket", str(ticket.name))
		self.assertEqual(state["status"], Status.REGISTERED)

	def test_a_second_escalation_returns_the_first_complaint(self):
		ticket = self.make_ticket()
		with as_user(AGENT_USER):
			first = escalation.escalate("HD Ticket", str(ticket.name))
			second = escalation.escalate("HD Ticket", str(ticket.name))
		self.assertEqual(second, {"complaint": first["complaint"], "created": False})
		self.assertEqual(
			frappe.db.count(
				"Complaint", {"reference_doctype": "HD Ticket", "reference_name": str(ticket.name)}
			),
			1,
		)
		frappe.db.set_value("HD Ticket", ticket.name, "complaint", None)
		with as_user(AGENT_USER):
			third = escalation.escalate("HD Ticket", str(ticket.name))
		self.assertEqual(third["complaint"], first["complaint"])
		self.assertEqual(frappe.db.get_value("HD Ticket", ticket.name, "complaint"), first["complaint"])

	def test_only_who_may_create_complaints_and_read_the_ticket(self):
		ticket = self.make_ticket()
		with as_user(AGENT_ONLY_USER):
			self.assertFalse(escalation.escalation_state("HD Ticket", str(ticket.name))["can_escalate"])
			self.assertRaises(frappe.PermissionError, escalation.escalate, "HD Ticket", str(ticket.name))
		# may create complaints, is no agent and not the ticket's contact: Helpdesk hides the ticket
		with as_user(INTAKE_USER):
			self.assertRaises(frappe.PermissionError, escalation.escalate, "HD Ticket", str(ticket.name))
			self.assertRaises(
				frappe.PermissionError, escalation.escalation_state, "HD Ticket", str(ticket.name)
			)
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket.name, "complaint"))
		self.assertFalse(
			frappe.db.exists(
				"Complaint", {"reference_doctype": "HD Ticket", "reference_name": str(ticket.name)}
			)
		)

	def test_deleting_the_draft_frees_the_ticket(self):
		ticket = self.make_ticket()
		with as_user(AGENT_USER):
			complaint = escalation.escalate("HD Ticket", str(ticket.name))["complaint"]
		frappe.delete_doc("Complaint", complaint)
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket.name, "complaint"))
		with as_user(AGENT_USER):
			self.assertTrue(escalation.escalation_state("HD Ticket", str(ticket.name))["can_escalate"])
			self.assertTrue(escalation.escalate("HD Ticket", str(ticket.name))["created"])

	def test_a_portal_ticket_of_a_helpdesk_only_customer(self):
		ticket = self.make_ticket(customer=HD_ONLY_CUSTOMER, via_customer_portal=1)
		with as_user(AGENT_USER):
			complaint = frappe.get_doc(
				"Complaint", escalation.escalate("HD Ticket", str(ticket.name))["complaint"]
			)
		# no ERPNext Customer of that name: none on the complaint, the HD Customer as organisation
		self.assertEqual(complaint.channel, "Portal")
		self.assertFalse(complaint.customer)
		party = frappe.get_doc("Complainant", complaint.complainant)
		self.assertEqual((party.party_name, party.organisation), ("Amara Okafor", HD_ONLY_CUSTOMER))

	def test_a_ticket_an_agent_opened_for_a_contact(self):
		# Helpdesk fills an empty "raised by" with the session user's address: here the agent's
		contact = self.make_ticket().contact
		with as_user(AGENT_USER):
			ticket = frappe.get_doc(
				{
					"doctype": "HD Ticket",
					"subject": "Damaged pallet",
					"contact": contact,
					"customer": CUSTOMER,
				}
			).insert()
			self.assertEqual(ticket.raised_by, AGENT_USER)
			complaint = frappe.get_doc(
				"Complaint", escalation.escalate("HD Ticket", str(ticket.name))["complaint"]
			)
		self.assertEqual(complaint.channel, "Internal")
		party = frappe.get_doc("Complainant", complaint.complainant)
		self.assertEqual((party.party_name, party.email), ("Amara Okafor", EMAIL))
		# a ticket that names no one but the agent: no complainant to take, nothing is saved
		with as_user(AGENT_USER):
			ticket = frappe.get_doc({"doctype": "HD Ticket", "subject": "Phone call"}).insert()
			self.assertRaises(frappe.ValidationError, escalation.escalate, "HD Ticket", str(ticket.name))
		self.assertFalse(frappe.db.get_value("HD Ticket", ticket.name, "complaint"))
		self.assertFalse(
			frappe.db.exists(
				"Complaint", {"reference_doctype": "HD Ticket", "reference_name": str(ticket.name)}
			)
		)
