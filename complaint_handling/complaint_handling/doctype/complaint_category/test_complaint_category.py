# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe

from complaint_handling.complaint_handling.doctype.complaint_category.complaint_category import (
	assignment_rule_name,
)
from complaint_handling.rules.complaint import Status
from complaint_handling.setup.install import seed_defaults
from complaint_handling.tests.utils import (
	HANDLER_2_USER,
	HANDLER_USER,
	INTAKE_USER,
	ComplaintTestCase,
	make_complaint,
	move,
)


class TestComplaintCategory(ComplaintTestCase):
	def test_every_seeded_category_has_its_rule(self):
		for category in frappe.get_all("Complaint Category", pluck="name"):
			self.assertTrue(frappe.db.exists("Assignment Rule", assignment_rule_name(category)), category)

	def test_rule_follows_the_category_handlers(self):
		category = frappe.get_doc({"doctype": "Complaint Category", "category_name": "Warranty"}).insert()
		rule = frappe.get_doc("Assignment Rule", assignment_rule_name("Warranty"))
		self.assertTrue(rule.disabled)  # round robin over nobody would fail

		category.set("users", [{"user": HANDLER_USER}, {"user": HANDLER_2_USER}])
		category.save()
		rule.reload()
		self.assertFalse(rule.disabled)
		self.assertEqual([row.user for row in rule.users], [HANDLER_USER, HANDLER_2_USER])

		# the admin's own edits to the rule survive an unrelated category edit
		rule.priority = 5
		rule.save()
		category.description = "Warranty claims"
		category.save()
		rule.reload()
		self.assertEqual(rule.priority, 5)

		category.set("users", [])
		category.save()
		rule.reload()
		self.assertTrue(rule.disabled)

		category.delete()
		self.assertFalse(frappe.db.exists("Assignment Rule", assignment_rule_name("Warranty")))

	def test_the_handler_todo_is_dated_when_the_complaint_must_be_resolved(self):
		category = f"Recall {frappe.generate_hash(length=6)}"
		frappe.get_doc(
			{"doctype": "Complaint Category", "category_name": category, "users": [{"user": HANDLER_USER}]}
		).insert()
		complaint = move(make_complaint(complaint_category=category), Status.REGISTERED, INTAKE_USER)
		todo = frappe.db.get_value(
			"ToDo",
			{"reference_type": "Complaint", "reference_name": complaint.name},
			["allocated_to", "date"],
		)
		self.assertEqual(todo, (HANDLER_USER, frappe.utils.getdate(complaint.resolve_by)))

	def test_seeding_again_overwrites_nothing(self):
		"""What bench migrate's patch or a second install would do: admin edits stay."""
		template = frappe.get_doc("Email Template", "Complaint Acknowledgement")
		template.subject = "Edited by the admin"
		template.save()
		frappe.db.set_value("Complaint Severity", "I", "title", "Critical")
		frappe.db.set_single_value("Complaint Settings", "naming_pattern", "C-{YYYY}-{#####}")
		workflow = frappe.get_doc("Workflow", "Complaint Workflow")
		workflow.transitions = [t for t in workflow.transitions if t.action != "Reject"]
		workflow.save()

		seed_defaults()

		self.assertEqual(
			frappe.db.get_value("Email Template", "Complaint Acknowledgement", "subject"),
			"Edited by the admin",
		)
		self.assertEqual(frappe.db.get_value("Complaint Severity", "I", "title"), "Critical")
		self.assertEqual(
			frappe.db.get_single_value("Complaint Settings", "naming_pattern"), "C-{YYYY}-{#####}"
		)
		actions = {t.action for t in frappe.get_doc("Workflow", "Complaint Workflow").transitions}
		self.assertNotIn("Reject", actions)
		self.assertEqual(frappe.db.count("Workflow", {"document_type": "Complaint"}), 1)
