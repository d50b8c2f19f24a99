# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe.desk.form import assign_to
from frappe.utils import add_days, add_years, getdate

from complaint_handling.engine.workflow import transition_to
from complaint_handling.rules.complaint import Status, Validity
from complaint_handling.tests.utils import (
	HANDLER_2_USER,
	HANDLER_USER,
	INTAKE_USER,
	QM_2_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	reload,
	set_category_handlers,
)

RULE = "Complaint: Product Quality"


def involved(user=None, relation="Subject of Complaint", **row):
	return [{"user": user, "relation": relation, **row}]


def move(doc, status, user):
	with as_user(user):
		return transition_to(reload(doc), status)


def assign(doc, user):
	assign_to.add({"assign_to": [user], "doctype": doc.doctype, "name": doc.name})


def ready_for_approval(complaint):
	complaint = move(complaint, Status.REGISTERED, INTAKE_USER)
	complaint = move(complaint, Status.ACKNOWLEDGED, HANDLER_2_USER)
	complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_2_USER)
	complaint = reload(complaint)
	complaint.validity, complaint.resolution = Validity.ACCEPTED, "Credited"
	complaint.save()
	return move(complaint, Status.PENDING_APPROVAL, HANDLER_2_USER)


class TestRecusal(ComplaintTestCase):
	def test_involved_person_cannot_be_assigned_by_hand(self):
		complaint = make_complaint(involved_persons=involved(HANDLER_USER))
		with self.assertRaisesRegex(frappe.PermissionError, "Subject of Complaint"):
			assign(complaint, HANDLER_USER)
		assign(complaint, HANDLER_2_USER)

	def test_assignment_rule_passes_over_an_involved_handler(self):
		set_category_handlers("Product Quality", [HANDLER_USER, HANDLER_2_USER])
		frappe.db.set_value(
			"Assignment Rule", RULE, "last_user", HANDLER_2_USER
		)  # round robin: HANDLER_USER next
		frappe.clear_document_cache("Assignment Rule", RULE)

		complaint = move(
			make_complaint(involved_persons=involved(HANDLER_USER)), Status.REGISTERED, INTAKE_USER
		)
		self.assertEqual(frappe.parse_json(reload(complaint)._assign), [HANDLER_2_USER])

	def test_rule_with_only_involved_handlers_registers_and_says_why(self):
		set_category_handlers("Product Quality", [HANDLER_USER])
		complaint = make_complaint(involved_persons=involved(HANDLER_USER, "Conflict of Interest"))
		# routing never stops intake: registered, unassigned, and the reason is on the complaint
		complaint = move(complaint, Status.REGISTERED, INTAKE_USER)
		self.assertEqual(complaint.status, Status.REGISTERED)
		self.assertFalse(frappe.parse_json(reload(complaint)._assign or "[]"))
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_name": complaint.name,
					"comment_type": "Info",
					"content": ("like", "%Conflict of Interest%"),
				},
			)
		)

	def test_assigned_handler_cannot_be_listed_as_involved(self):
		complaint = make_complaint()
		assign(complaint, HANDLER_USER)
		complaint = reload(complaint)
		complaint.extend("involved_persons", involved(HANDLER_USER))
		with self.assertRaisesRegex(frappe.PermissionError, "stay assigned"):
			complaint.save()

	def test_involved_quality_manager_cannot_approve(self):
		complaint = ready_for_approval(
			make_complaint(involved_persons=involved(QM_USER, "Decided the Matter"))
		)
		with self.assertRaisesRegex(frappe.PermissionError, "Decided the Matter"):
			move(complaint, Status.RESPONDED, QM_USER)
		self.assertEqual(move(complaint, Status.RESPONDED, QM_2_USER).status, Status.RESPONDED)

	def test_handler_cannot_approve_own_case(self):
		complaint = make_complaint()
		assign(complaint, QM_USER)  # a quality manager who handled the case
		complaint = ready_for_approval(complaint)
		with self.assertRaisesRegex(frappe.PermissionError, "someone else must approve"):
			move(complaint, Status.RESPONDED, QM_USER)
		complaint = move(complaint, Status.RESPONDED, QM_2_USER)
		with self.assertRaisesRegex(frappe.PermissionError, "someone else must approve"):
			move(complaint, Status.CLOSED, QM_USER)

	def test_involved_person_cannot_decide_validity(self):
		complaint = make_complaint(involved_persons=involved(HANDLER_USER))
		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			complaint = reload(complaint)
			complaint.validity = Validity.ACCEPTED
			complaint.save()

	def test_ended_involvement_no_longer_counts(self):
		yesterday = add_days(getdate(), -1)
		complaint = make_complaint(involved_persons=involved(HANDLER_USER, involved_until=yesterday))
		assign(complaint, HANDLER_USER)
		self.assertEqual(frappe.parse_json(reload(complaint)._assign), [HANDLER_USER])

	def test_employee_involvement_applies_to_their_user(self):
		employee = frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": "Recused",
				"gender": frappe.get_all("Gender", pluck="name", limit=1)[0],
				"date_of_birth": add_years(getdate(), -30),
				"date_of_joining": add_years(getdate(), -2),
				"company": default_company(),
				"user_id": HANDLER_USER,
			}
		).insert()
		complaint = make_complaint(
			involved_persons=[{"employee": employee.name, "relation": "Handled the Matter"}]
		)
		self.assertEqual(complaint.involved_persons[0].person_name, employee.employee_name)
		with self.assertRaisesRegex(frappe.PermissionError, "Handled the Matter"):
			assign(complaint, HANDLER_USER)

	def test_involved_row_needs_a_person(self):
		with self.assertRaisesRegex(frappe.MandatoryError, "row 1"):
			make_complaint(involved_persons=[{"relation": "Other"}])
