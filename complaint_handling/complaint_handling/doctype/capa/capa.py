# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, today

from complaint_handling.capa import actions, deadlines
from complaint_handling.engine.workflow import guard_ended_record, require_fields, sync_status
from complaint_handling.rules.capa import (
	ENDED,
	INEFFECTIVE,
	ActionStatus,
	CapaStatus,
	closure_problems,
	verification_problems,
)
from complaint_handling.security import boundary

PROBLEMS = {
	"no action done": "at least one action must be done",
	"open actions": "every action must be done or cancelled first: {open}",
	"no action done since the ineffective check": "a check found the actions ineffective: add new actions and complete them",
	"no effectiveness check": "record an effectiveness check",
	"last check not effective": "the last effectiveness check must find the actions effective",
	"check before the last action was done": "the effectiveness check must come after the last action was done",
}


class CAPA(Document):
	def before_insert(self):
		# raised from a complaint (Create → CAPA): the complaint is linked, whatever the client sent
		if self.source_doctype == "Complaint" and self.source_name:
			if self.source_name not in {row.complaint for row in self.complaints}:
				self.append("complaints", {"complaint": self.source_name})

	def before_validate(self):
		boundary.guard(self)
		sync_status(self)
		self.company = self.company or frappe.defaults.get_global_default("company")

	def validate(self):
		guard_ended_record(self, ENDED)
		self.stamp_new_rows()
		self.validate_actions()
		self.validate_verification()
		self.validate_status()
		deadlines.apply(self)

	def on_update(self):
		actions.sync_assignments(self)

	def on_trash(self):
		if self.status != CapaStatus.DRAFT:
			frappe.throw(
				_("CAPA {0} is a record and cannot be deleted once opened: cancel it instead.").format(
					self.name
				),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def stamp_new_rows(self):
		"""When each action was added and each check recorded: after an ineffective check, only
		actions added since count (child rows carry their parent's creation, so it cannot tell)."""
		for row in [*self.actions, *self.effectiveness_checks]:
			field = "added_on" if row.doctype == "CAPA Action" else "recorded_on"
			if not row.get(field):
				row.set(field, now_datetime())

	def validate_actions(self):
		raised = getdate(self.raised_on)
		for row in self.actions:
			if getdate(row.due_date) < raised:
				frappe.throw(
					_("Action {0}: the due date {1} is before the CAPA was raised ({2}).").format(
						row.idx, frappe.format(row.due_date, "Date"), frappe.format(self.raised_on, "Date")
					),
					title=_("Invalid Due Date"),
				)
			if row.status == ActionStatus.DONE:
				row.completed_on = row.completed_on or today()
				row.completed_by = row.completed_by or frappe.session.user
				if not (row.evidence or "").strip():
					frappe.throw(
						_("Action {0} is done: record the completion evidence.").format(row.idx),
						frappe.MandatoryError,
					)
			else:
				row.completed_on = row.completed_by = None

	def validate_verification(self):
		"""The verifier is independent of the work verified: neither an action's owner nor whoever
		marked an action done. Each check records who made it."""
		owners = {row.action_owner for row in self.actions}
		# who completed an action, now or before this save (reopening it in the same save clears it)
		before = self.get_doc_before_save()
		completers = {row.completed_by for row in [*self.actions, *(before.actions if before else ())]}
		completers -= {None, ""}
		if self.verifier and self.verifier in owners:
			frappe.throw(
				_(
					"{0} owns an action of this CAPA and so cannot verify its effectiveness: choose another verifier."
				).format(frappe.bold(frappe.utils.get_fullname(self.verifier))),
				title=_("Verifier Not Independent"),
			)
		for row in self.effectiveness_checks:
			if not row.verified_by:
				if getdate(row.checked_on) > getdate(today()):
					frappe.throw(
						_("Effectiveness check {0}: the check date {1} is in the future.").format(
							row.idx, frappe.format(row.checked_on, "Date")
						),
						title=_("Invalid Date"),
					)
				row.verified_by = frappe.session.user
				if row.verified_by in owners:
					frappe.throw(
						_(
							"Effectiveness check {0}: {1} owns an action of this CAPA and cannot verify it."
						).format(row.idx, frappe.bold(frappe.utils.get_fullname(row.verified_by))),
						title=_("Verifier Not Independent"),
					)
				if row.verified_by in completers:
					frappe.throw(
						_(
							"Effectiveness check {0}: {1} completed an action of this CAPA and cannot verify it."
						).format(row.idx, frappe.bold(frappe.utils.get_fullname(row.verified_by))),
						title=_("Verifier Not Independent"),
					)
				if row.result == INEFFECTIVE:
					frappe.msgprint(
						_(
							"Effectiveness check {0} found the CAPA ineffective: add new actions. It closes once they are done and a later check finds it effective."
						).format(row.idx),
						alert=True,
					)

	def validate_status(self):
		if self.status != CapaStatus.DRAFT and self.status != CapaStatus.CANCELLED and not self.actions:
			frappe.throw(
				_("Add at least one action before the CAPA is {0}.").format(_(self.status)),
				frappe.MandatoryError,
			)
		if not self.has_value_changed("status"):
			return  # checks are recorded while pending verification; the gates guard the moves
		actions, checks = deadlines.actions_of(self), deadlines.checks_of(self)
		if self.status == CapaStatus.PENDING_VERIFICATION:
			require_fields(
				self,
				("effectiveness_criterion", "effectiveness_check_date", "verifier"),
				_("Before verification, fill in: {0}"),
			)
			self.refuse(verification_problems(actions, checks))
		elif self.status == CapaStatus.CLOSED:
			self.refuse(closure_problems(actions, checks))

	def refuse(self, problems: list[str]):
		if not problems:
			return
		open_rows = ", ".join(str(row.idx) for row in self.actions if row.status == ActionStatus.OPEN)
		frappe.throw(
			_("CAPA {0} cannot be {1}: {2}.").format(
				self.name, _(self.status), "; ".join(_(PROBLEMS[p]).format(open=open_rows) for p in problems)
			),
			title=_("Not Ready"),
		)
