# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling.security import boundary

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class ComplaintCategory(Document):
	def before_validate(self):
		boundary.guard(self)

	def on_update(self):
		sync_assignment_rule(self)

	def on_trash(self):
		if rule := assignment_rule_name(self.name):
			if frappe.db.exists("Assignment Rule", rule):
				frappe.delete_doc("Assignment Rule", rule, ignore_permissions=True)


def assignment_rule_name(category: str) -> str:
	return f"Complaint: {category}"


def sync_assignment_rule(category: ComplaintCategory) -> None:
	"""Each category routes through an Assignment Rule of its own, created once.

	The category's handler list is the routing admins edit: when it changes, the rule's users
	follow it. Everything else on the rule (conditions, priority, days) is the admin's.
	"""
	users = [row.user for row in category.users]
	name = assignment_rule_name(category.name)
	if not frappe.db.exists("Assignment Rule", name):
		rule = frappe.new_doc("Assignment Rule")
		rule.name = name
		rule.update(
			{
				"document_type": "Complaint",
				"description": _("Complaint {{ name }}: {{ subject }}"),
				# status values are code-owned, so the condition survives workflow edits
				"assign_condition": f'complaint_category == {category.name!r} and status == "Registered"',
				"unassign_condition": f"complaint_category != {category.name!r}",
				"close_condition": 'status in ("Closed", "Rejected")',
				"rule": "Round Robin",
				# the handler's ToDo is dated when the complaint must be resolved
				"due_date_based_on": "resolve_by",
				"priority": 0,
				"disabled": 0 if users else 1,
				"users": [{"user": user} for user in users],
				"assignment_days": [{"day": day} for day in WEEKDAYS],
			}
		)
		rule.insert(ignore_permissions=True)
		return

	before = category.get_doc_before_save()
	if before is not None and users == [row.user for row in before.users]:
		return
	rule = frappe.get_doc("Assignment Rule", name)
	was_empty = not rule.users
	rule.set("users", [{"user": user} for user in users])
	if not users:
		rule.disabled = 1  # round robin over nobody would fail on every complaint
	elif was_empty:
		rule.disabled = 0
	rule.save(ignore_permissions=True)
