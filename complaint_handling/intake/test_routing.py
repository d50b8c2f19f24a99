# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""Routing never stops intake: the category's Assignment Rule passes over whoever cannot take a
complaint, keeps its round robin fair, and when nobody is left the complaint registers unassigned,
says why and the quality managers are told."""

from unittest.mock import patch

import frappe
from frappe.desk.form import assign_to
from frappe.utils import add_days, add_years, getdate

from complaint_handling.engine.workflow import transition_to
from complaint_handling.intake import routing
from complaint_handling.rules.complaint import Status
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	HANDLER_2_USER,
	HANDLER_USER,
	INTAKE_USER,
	QM_2_USER,
	QM_USER,
	SALES_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	reload,
	set_category_handlers,
)

CATEGORY = "Product Quality"
RULE = f"Complaint: {CATEGORY}"


def make_user(email: str, enabled: int = 1) -> str:
	"""A handler created for one test (rolled back with it)."""
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": email.split("@")[0],
			"enabled": enabled,
			"send_welcome_email": 0,
			"roles": [{"role": defaults.HANDLER}],
		}
	).insert(ignore_permissions=True)
	return email


def set_rule(**values) -> None:
	frappe.db.set_value("Assignment Rule", RULE, values)
	frappe.clear_document_cache("Assignment Rule", RULE)


def register(**values):
	"""A complaint of the category, registered through the workflow by the intake officer."""
	doc = make_complaint(**values)
	with as_user(INTAKE_USER):
		transition_to(reload(doc), Status.REGISTERED)
	return reload(doc)


def assignees(doc) -> list[str]:
	return frappe.parse_json(reload(doc)._assign or "[]")


def routing_comments(doc) -> list[str]:
	return frappe.get_all(
		"Comment",
		filters={
			"reference_doctype": "Complaint",
			"reference_name": doc.name,
			"comment_type": "Info",
			"content": ("like", "Not assigned automatically%"),
		},
		pluck="content",
	)


def alerted(doc) -> set[str]:
	return set(
		frappe.get_all(
			"Notification Log", filters={"document_name": doc.name, "type": "Alert"}, pluck="for_user"
		)
	)


def involved(user, relation="Subject of Complaint"):
	return [{"user": user, "relation": relation}]


class TestRouting(ComplaintTestCase):
	def test_the_rule_is_the_apps(self):
		self.assertIsInstance(frappe.get_doc("Assignment Rule", RULE), routing.ComplaintAssignmentRule)

	def test_disabled_handler_is_never_assigned(self):
		disabled = make_user("ch-route-disabled@example.com", enabled=0)
		set_category_handlers(CATEGORY, [disabled, HANDLER_USER, HANDLER_2_USER])
		set_rule(last_user=None)

		got = [assignees(register()) for _ in range(3)]

		self.assertEqual(got, [[HANDLER_USER], [HANDLER_2_USER], [HANDLER_USER]])
		self.assertFalse(frappe.db.exists("ToDo", {"allocated_to": disabled}))

	def test_disabled_handler_is_passed_over_by_load_balancing(self):
		# the disabled user has no open assignments, so plain load balancing would pick them first
		disabled = make_user("ch-route-disabled@example.com", enabled=0)
		set_category_handlers(CATEGORY, [disabled, HANDLER_USER])
		set_rule(rule="Load Balancing")

		self.assertEqual(assignees(register()), [HANDLER_USER])

	def test_every_handler_involved_registers_unassigned_says_why_and_alerts(self):
		set_category_handlers(CATEGORY, [HANDLER_USER])

		complaint = register(involved_persons=involved(HANDLER_USER))

		self.assertEqual(complaint.status, Status.REGISTERED)
		self.assertEqual(assignees(complaint), [])
		# not even a cancelled ToDo: that would count them as having handled the case
		self.assertFalse(frappe.db.exists("ToDo", {"reference_name": complaint.name}))
		[why] = routing_comments(complaint)
		self.assertIn(RULE, why)
		self.assertIn("Subject of Complaint", why)
		self.assertIn(frappe.utils.get_fullname(HANDLER_USER), why)
		self.assertTrue({QM_USER, QM_2_USER} <= alerted(complaint))

		complaint.description += " More detail from the complainant."
		complaint.save()  # the rule tries again and fails the same way: said once
		self.assertEqual(len(routing_comments(complaint)), 1)

	def test_every_handler_disabled_registers_unassigned(self):
		disabled = make_user("ch-route-disabled@example.com", enabled=0)
		set_category_handlers(CATEGORY, [disabled])

		complaint = register()

		self.assertEqual(complaint.status, Status.REGISTERED)
		self.assertEqual(assignees(complaint), [])
		[why] = routing_comments(complaint)
		self.assertIn("disabled", why)
		self.assertIn(QM_USER, alerted(complaint))

	def test_recusal_keeps_the_round_robin_order(self):
		third = make_user("ch-route-third@example.com")
		set_category_handlers(CATEGORY, [HANDLER_USER, HANDLER_2_USER, third])
		set_rule(last_user=third)  # HANDLER_USER's turn next

		first = register(involved_persons=involved(HANDLER_USER))
		self.assertEqual(frappe.db.get_value("Assignment Rule", RULE, "last_user"), HANDLER_2_USER)
		second = register()
		third_case = register()

		# HANDLER_2_USER does not get a second one in a row while the third handler waits
		self.assertEqual(
			[assignees(first), assignees(second), assignees(third_case)],
			[[HANDLER_2_USER], [third], [HANDLER_USER]],
		)

	def test_unreadable_handler_skipped_when_sharing_is_disabled(self):
		# Frappe refuses to assign someone who may not read the document unless it can share it
		frappe.db.set_single_value("System Settings", "disable_document_sharing", 1)
		self.addCleanup(self.forget_system_settings)
		self.forget_system_settings()
		set_category_handlers(CATEGORY, [SALES_USER, HANDLER_USER])
		set_rule(last_user=None)

		self.assertEqual(assignees(register()), [HANDLER_USER])

	def forget_system_settings(self):
		frappe.clear_document_cache("System Settings", "System Settings")
		if hasattr(frappe.local, "system_settings"):  # Frappe keeps it for the whole process
			del frappe.local.system_settings

	def test_a_failing_rule_does_not_block_registration(self):
		set_category_handlers(CATEGORY, [HANDLER_USER])
		set_rule(description="{{ name ")  # an admin's broken template

		complaint = register()

		self.assertEqual(complaint.status, Status.REGISTERED)
		self.assertEqual(assignees(complaint), [])
		[why] = routing_comments(complaint)
		self.assertIn("failed", why)
		self.assertIn(QM_USER, alerted(complaint))

	def test_closed_assignment_of_someone_since_involved_is_not_reopened(self):
		set_category_handlers(CATEGORY, [HANDLER_USER])
		complaint = register()
		self.assertEqual(assignees(complaint), [HANDLER_USER])
		with as_user(HANDLER_USER):
			assign_to.close("Complaint", complaint.name, HANDLER_USER)

		# Frappe reopens closed assignments on every save; this one's holder is now involved
		complaint = reload(complaint)
		complaint.extend("involved_persons", involved(HANDLER_USER, "Handled the Matter"))
		complaint.save()

		self.assertEqual(
			frappe.get_all("ToDo", {"reference_name": complaint.name}, pluck="status"), ["Closed"]
		)
		[why] = routing_comments(complaint)
		self.assertIn("Handled the Matter", why)

	def test_closed_assignment_of_someone_since_disabled_is_not_reopened(self):
		leaver = make_user("ch-route-leaver@example.com")
		set_category_handlers(CATEGORY, [leaver])
		complaint = register()
		with as_user(leaver):
			assign_to.close("Complaint", complaint.name, leaver)
		frappe.db.set_value("User", leaver, "enabled", 0)

		reload(complaint).save()

		self.assertEqual(
			frappe.get_all("ToDo", {"reference_name": complaint.name}, pluck="status"), ["Closed"]
		)
		self.assertIn("disabled", routing_comments(complaint)[0])

	def test_reopening_by_hand_for_an_involved_person_is_refused(self):
		set_category_handlers(CATEGORY, [HANDLER_USER])
		complaint = register()
		with as_user(HANDLER_USER):
			assign_to.close("Complaint", complaint.name, HANDLER_USER)
		complaint = reload(complaint)
		complaint.extend("involved_persons", involved(HANDLER_USER))
		complaint.save()

		todo = frappe.get_doc("ToDo", {"reference_name": complaint.name})
		todo.status = "Open"
		with self.assertRaisesRegex(frappe.PermissionError, "Subject of Complaint"):
			todo.save()  # a person choosing, not routing: the recusal error

	def test_leave_is_known_only_with_hrms(self):
		on_holiday = make_user("ch-route-holiday@example.com")
		on_leave = make_user("ch-route-leave@example.com")
		holidays = self.holiday_list_with_today()
		self.employee(on_holiday, holiday_list=holidays)
		leave_employee = self.employee(on_leave)
		today = getdate()

		self.assertFalse(routing.hrms_installed())  # this bench has ERPNext only
		self.assertEqual(routing.away([on_holiday, on_leave], today), {})

		with (
			patch.object(routing, "hrms_installed", return_value=True),
			patch.object(routing, "on_approved_leave", return_value={leave_employee}),
		):
			self.assertEqual(
				routing.away([on_holiday, on_leave, HANDLER_USER], today),
				{on_holiday: "on holiday", on_leave: "on leave"},
			)
			set_category_handlers(CATEGORY, [on_holiday, on_leave, HANDLER_USER])
			set_rule(last_user=None)
			self.assertEqual(assignees(register()), [HANDLER_USER])

	def holiday_list_with_today(self) -> str:
		today = getdate()
		return (
			frappe.get_doc(
				{
					"doctype": "Holiday List",
					"holiday_list_name": "_Test Complaint Routing Off",
					"from_date": add_days(today, -10),
					"to_date": add_days(today, 10),
					"holidays": [{"holiday_date": today, "description": "Day off"}],
				}
			)
			.insert()
			.name
		)

	def employee(self, user: str, **values) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "Employee",
					"first_name": user.split("@")[0],
					"gender": frappe.get_all("Gender", pluck="name", limit=1)[0],
					"date_of_birth": add_years(getdate(), -30),
					"date_of_joining": add_years(getdate(), -2),
					"company": default_company(),
					"user_id": user,
					**values,
				}
			)
			.insert()
			.name
		)
