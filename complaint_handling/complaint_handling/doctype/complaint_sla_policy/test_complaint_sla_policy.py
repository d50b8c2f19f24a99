# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe

from complaint_handling.setup import defaults
from complaint_handling.tests.utils import QM_USER, ComplaintTestCase, make_complaint


def policy(**values):
	return frappe.get_doc(
		{"doctype": "Complaint SLA Policy", **defaults.SLA_POLICY, "policy_name": "Trial", **values}
	)


class TestComplaintSLAPolicy(ComplaintTestCase):
	def test_bad_policies_say_what_to_fix(self):
		cases = [
			({"acknowledge_within": 0}, "more than zero"),
			({"respond_within": -4}, "Within"),
			({"respond_remind_before": 48}, "shorter than the deadline"),
			({"resolve_within_major": 1, "resolve_remind_before": 1}, "major complaints"),
			({"resolve_within": 2.5}, "whole numbers"),
			({"escalation_steps": [{"escalate_to": "Role"}]}, "Role"),
			(
				{
					"escalation_steps": [
						{"escalate_to": "Role", "role": defaults.QUALITY_MANAGER, "after_hours": 8},
						{"escalate_to": "Assignee", "after_hours": 2},
					]
				},
				"order the steps",
			),
		]
		for values, message in cases:
			with self.subTest(values=values), self.assertRaisesRegex(frappe.ValidationError, message):
				policy(**values).insert()

	def test_escalation_to_a_disabled_user_is_refused(self):
		disabled = frappe.get_doc(
			{
				"doctype": "User",
				"email": "ch-gone@example.com",
				"first_name": "Gone",
				"enabled": 0,
				"send_welcome_email": 0,
			}
		).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "disabled"):
			policy(escalation_steps=[{"escalate_to": "User", "user": disabled.name}]).insert()
		policy(escalation_steps=[{"escalate_to": "User", "user": QM_USER}]).insert()

	def test_most_specific_policy_applies_and_changes_take_effect(self):
		policy(policy_name="Class I", severity="I", resolve_within=2).insert()
		self.assertEqual(make_complaint(severity="I").sla_policy, "Class I")
		self.assertEqual(make_complaint(severity="II").sla_policy, "Standard")

		frappe.db.set_value("Complaint SLA Policy", "Class I", "enabled", 0)
		frappe.get_doc("Complaint SLA Policy", "Class I").save()  # clears the policy cache
		self.assertEqual(make_complaint(severity="I").sla_policy, "Standard")


class TestWorkingHoursSettings(ComplaintTestCase):
	def test_bad_working_hours(self):
		for rows, message in (
			([{"weekday": "Monday", "start_time": "17:00:00", "end_time": "09:00:00"}], "end before"),
			(
				[
					{"weekday": "Monday", "start_time": "09:00:00", "end_time": "13:00:00"},
					{"weekday": "Monday", "start_time": "12:00:00", "end_time": "17:00:00"},
				],
				"overlap",
			),
		):
			settings = frappe.get_single("Complaint Settings")
			settings.set("working_hours", rows)
			with self.subTest(message=message), self.assertRaisesRegex(frappe.ValidationError, message):
				settings.save()
