# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt

from complaint_handling.rules.working_time import WORKING_DAYS
from complaint_handling.security import boundary
from complaint_handling.service_levels.policies import clear_policy_cache

CLOCK_SECTIONS = {
	"acknowledge": "Acknowledge Receipt",
	"respond": "First Response",
	"resolve": "Resolution",
}


class ComplaintSLAPolicy(Document):
	def before_validate(self):
		boundary.guard(self)

	def validate(self):
		for prefix, label in CLOCK_SECTIONS.items():
			self.validate_clock(prefix, _(label))
		self.validate_escalation_steps()

	def on_update(self):
		clear_policy_cache()

	def on_trash(self):
		clear_policy_cache()

	def validate_clock(self, prefix: str, label: str):
		within, remind = flt(self.get(f"{prefix}_within")), flt(self.get(f"{prefix}_remind_before"))
		unit = self.get(f"{prefix}_unit")
		amounts = [within, remind]
		if within <= 0:
			frappe.throw(_("{0}: Within must be more than zero.").format(label), title=_("Invalid Duration"))
		if remind >= within:
			frappe.throw(
				_("{0}: Remind Before ({1}) must be shorter than the deadline itself ({2} {3}).").format(
					label, remind, within, _(unit)
				),
				title=_("Invalid Reminder"),
			)
		if prefix == "resolve" and flt(self.resolve_within_major):
			amounts.append(flt(self.resolve_within_major))
			if remind >= flt(self.resolve_within_major):
				frappe.throw(
					_(
						"{0}: Remind Before ({1}) must be shorter than the deadline for major complaints ({2})."
					).format(label, remind, self.resolve_within_major),
					title=_("Invalid Reminder"),
				)
		if unit == WORKING_DAYS and any(amount != int(amount) for amount in amounts):
			frappe.throw(
				_("{0}: working days must be whole numbers.").format(label), title=_("Invalid Duration")
			)

	def validate_escalation_steps(self):
		previous = 0
		for step in self.escalation_steps:
			if step.escalate_to == "Role" and not step.role:
				frappe.throw(
					_("Escalation step {0}: choose the Role to escalate to.").format(step.idx),
					frappe.MandatoryError,
				)
			if step.escalate_to == "User":
				if not step.user:
					frappe.throw(
						_("Escalation step {0}: choose the User to escalate to.").format(step.idx),
						frappe.MandatoryError,
					)
				if not frappe.db.get_value("User", step.user, "enabled"):
					frappe.throw(
						_("Escalation step {0}: user {1} is disabled; choose someone who can act.").format(
							step.idx, step.user
						),
						title=_("Disabled User"),
					)
			if flt(step.after_hours) < previous:
				frappe.throw(
					_(
						"Escalation step {0} comes before step {1}: order the steps by their hours after the breach."
					).format(step.idx, step.idx - 1),
					title=_("Invalid Escalation"),
				)
			previous = flt(step.after_hours)
