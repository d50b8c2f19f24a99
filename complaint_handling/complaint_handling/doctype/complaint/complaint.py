# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime

from complaint_handling.capa.recurrence import open_capas_for, propose_for_recurrence
from complaint_handling.engine.workflow import guard_ended_record, sync_status
from complaint_handling.intake import acknowledgement, letters, loss, recusal, restatement, satisfaction
from complaint_handling.intake.next_step import next_step
from complaint_handling.intake.numbering import next_complaint_name
from complaint_handling.rules.complaint import (
	APPROVAL_STATUSES,
	FINAL_STATUSES,
	Status,
	Validity,
	approval_conflict,
	is_major,
	missing_for_status,
)
from complaint_handling.rules.service_levels import CLOCKS
from complaint_handling.security import boundary, parties
from complaint_handling.security.access import require_role
from complaint_handling.service_levels import clocks, rounds, working_hours
from complaint_handling.setup import defaults

EXTENSION_FIELDS = ("clock", "extend_to", "reason", "status", "requested_by", "decided_by", "decided_on")


class Complaint(Document):
	def before_insert(self):
		boundary.guard(self)  # before numbering reads the category and severity

	def autoname(self):
		self.set_intake_defaults()
		self.name = next_complaint_name(self)

	def onload(self):
		parties.fill(self)
		self.set_onload("next_step", next_step(self))
		self.set_onload("may_send_progress_report", letters.may_send_progress_report(self))

	def before_validate(self):
		boundary.guard(self)
		self.set_intake_defaults()
		sync_status(self)

	def validate(self):
		parties.store(self)
		parties.require_party(self)
		self.involved = recusal.involved_users(self)
		self.validate_received_on()
		self.validate_reference()
		recusal.guard_involvement(self)
		self.validate_involved_persons()
		if not loss.changes_only_outcome(self):  # a decided complaint still takes its loss and satisfaction
			guard_ended_record(self, FINAL_STATUSES, reopenable=True)
		self.set_major()
		# recusal before missing fields: an involved person is told they may not act, not first
		# asked to fill in what they may not decide
		self.validate_independence()
		self.validate_status_requirements()
		restatement.prepare(self)
		self.record_validity_decision()
		rounds.record(self)
		self.validate_extensions()
		self.validate_capa_gate()
		loss.apply(self)
		satisfaction.apply(self)
		acknowledgement.prepare(self)
		working_hours.record(self)
		clocks.apply(self)

	def on_update(self):
		if comment := self.flags.pop("involvement_change_comment", None):
			self.add_comment("Info", comment)
		satisfaction.on_update(self)
		acknowledgement.send(self)
		restatement.send(self)
		letters.send_reply(self)
		letters.send_end_notice(self)
		if self.has_value_changed("status") and self.status in (Status.REGISTERED, Status.REOPENED):
			propose_for_recurrence(self)
		if self.has_value_changed("is_major") or self.has_value_changed("received_on"):
			clocks.alert_on_call(self)

	def on_change(self):
		parties.fill(self)  # after the version is written: the form keeps showing the complainant

	def on_trash(self):
		if self.status != Status.DRAFT:
			frappe.throw(
				_(
					"Complaint {0} is a record and cannot be deleted once registered: reject or close it instead."
				).format(self.name),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def set_intake_defaults(self):
		settings = frappe.get_cached_doc("Complaint Settings")
		self.received_on = self.received_on or now_datetime()
		self.company = (
			self.company
			or settings.default_company
			or frappe.defaults.get_user_default("Company")
			or frappe.defaults.get_global_default("company")
		)
		if not self.severity:
			self.severity = (
				self.complaint_category
				and frappe.get_cached_value("Complaint Category", self.complaint_category, "default_severity")
			) or settings.default_severity

	def validate_received_on(self):
		if get_datetime(self.received_on) > now_datetime():
			frappe.throw(
				_("Received On ({0}) is in the future: enter when the complaint actually reached us.").format(
					frappe.utils.format_datetime(self.received_on)
				),
				title=_("Invalid Date"),
			)
		# steps recorded by hand (a call, a letter) happened between the receipt and now
		received, now = get_datetime(self.received_on), now_datetime()
		for field in ("acknowledged_on", "first_responded_on"):
			moment = self.get(field) and get_datetime(self.get(field))
			if moment and self.has_value_changed(field) and not received <= moment <= now:
				frappe.throw(
					_("{0} ({1}) must lie between Received On ({2}) and now.").format(
						_(self.meta.get_label(field)),
						frappe.utils.format_datetime(moment),
						frappe.utils.format_datetime(received),
					),
					title=_("Invalid Date"),
				)

	def validate_reference(self):
		if bool(self.reference_doctype) != bool(self.reference_name):
			frappe.throw(
				_("Set both Reference Type and Reference, or neither."), title=_("Incomplete Reference")
			)

	def validate_involved_persons(self):
		for row in self.involved_persons:
			if not (row.user or row.employee):
				frappe.throw(
					_("Involved Persons row {0}: select the User or the Employee involved.").format(row.idx),
					frappe.MandatoryError,
					title=_("Missing Value"),
				)
			if not row.person_name:
				row.person_name = (
					frappe.get_cached_value("Employee", row.employee, "employee_name")
					if row.employee
					else frappe.utils.get_fullname(row.user)
				)

		if self.is_new() or not self.involved:
			return
		assigned = frappe.get_all(
			"ToDo",
			filters={"reference_type": self.doctype, "reference_name": self.name, "status": "Open"},
			pluck="allocated_to",
		)
		for user in assigned:
			if user in self.involved:
				recusal.recusal_error(user, self, self.involved[user], _("stay assigned to"))

	def validate_status_requirements(self):
		missing = missing_for_status(self.status, self.as_dict())
		if missing:
			frappe.throw(
				_("Before the complaint can be {0}, fill in: {1}").format(
					frappe.bold(_(self.status)), ", ".join(self.describe_requirement(f) for f in missing)
				),
				frappe.MandatoryError,
				title=_("Missing Value"),
			)
		if self.is_major and not (self.major_reason or "").strip():
			frappe.throw(
				_("Say why the complaint is major in {0}.").format(frappe.bold(_("Why It Is Major"))),
				frappe.MandatoryError,
				title=_("Missing Value"),
			)

	def describe_requirement(self, fieldname: str) -> str:
		if fieldname == "validity":
			if self.status == Status.REJECTED:
				return _("Validity (Not Substantiated or Out of Scope)")
			return _("Validity (a decision, not Pending)")
		return _(self.meta.get_label(fieldname))

	def validate_independence(self):
		user = frappe.session.user
		status_changed = not self.is_new() and self.has_value_changed("status")
		if user in self.involved and (status_changed or self.has_value_changed("validity")):
			recusal.recusal_error(user, self, self.involved[user], _("act on or decide"))
		if not status_changed or self.status not in APPROVAL_STATUSES:
			return

		if approval_conflict(user, recusal.handlers(self.doctype, self.name), self.involved) == "handler":
			frappe.throw(
				_("{0} handled complaint {1}, so someone else must approve it (ISO/IEC 17025 7.9.6).").format(
					frappe.bold(frappe.utils.get_fullname(user)), self.name
				),
				frappe.PermissionError,
				title=_("Independent Approval Required"),
			)
		if self.status == Status.RESPONDED:
			self.response_approved_by = user
		if self.status in FINAL_STATUSES:
			self.closure_approved_by = user

	def set_major(self):
		self.is_major = is_major(
			involves_safety=self.involves_safety,
			compensation_claimed=self.compensation_claimed,
			external_party_involved=self.external_party_involved,
			other=self.other_major_criterion,
		)

	def record_validity_decision(self):
		if not self.has_value_changed("validity"):
			return
		decided = self.validity != Validity.PENDING
		self.validity_decided_by = frappe.session.user if decided else None
		self.validity_decided_on = now_datetime() if decided else None

	def validate_capa_gate(self):
		"""GMP: a complaint closes after its CAPA is implemented, unless a quality manager says why."""
		if self.has_value_changed("open_capa_closure_reason") and self.open_capa_closure_reason:
			require_role(
				defaults.QUALITY_MANAGER,
				_("Only a quality manager may record why the complaint can close with a CAPA open."),
			)
		if self.status != Status.CLOSED or not self.has_value_changed("status"):
			return
		open_capas = open_capas_for([self.name])
		if open_capas and not (self.open_capa_closure_reason or "").strip():
			frappe.throw(
				_(
					"Complaint {0} cannot close while CAPA {1} is open: complete the CAPA, or have a quality manager record why it may close in {2}."
				).format(
					self.name, ", ".join(open_capas), frappe.bold(_("Why It May Close with a CAPA Open"))
				),
				title=_("CAPA Open"),
			)

	def validate_extensions(self):
		"""Extensions are requested here and decided only through clocks.decide_extension."""
		before = self.get_doc_before_save()
		previous = {row.name: row for row in before.deadline_extensions} if before else {}
		for row in self.deadline_extensions:
			old = previous.get(row.name)
			if old is None:
				self.validate_new_extension(row)
			elif self.flags.deciding_extension == row.name:
				self.validate_extension_decision(row)
			elif any(str(row.get(f) or "") != str(old.get(f) or "") for f in EXTENSION_FIELDS):
				frappe.throw(
					_("Deadline extension row {0} is {1} and cannot be changed: request a new one.").format(
						row.idx, _(old.status)
					),
					title=_("Extension Decided"),
				)
		kept = {row.name for row in self.deadline_extensions}
		if any(name not in kept and row.status != "Requested" for name, row in previous.items()):
			frappe.throw(
				_("A decided deadline extension is a record and cannot be removed."), title=_("Not Allowed")
			)

	def validate_new_extension(self, row):
		row.status, row.requested_by, row.decided_by, row.decided_on = (
			"Requested",
			frappe.session.user,
			None,
			None,
		)
		clock = next(c for c in CLOCKS if c.label == row.clock)
		current = self.get(clock.deadline_field)
		if current and get_datetime(row.extend_to) <= get_datetime(current):
			frappe.throw(
				_(
					"Deadline extension row {0}: Extend To must be later than the current {1} deadline ({2})."
				).format(row.idx, _(row.clock), frappe.utils.format_datetime(current)),
				title=_("Invalid Extension"),
			)
		if not (row.reason or "").strip():
			frappe.throw(
				_("Deadline extension row {0}: give the reason.").format(row.idx), frappe.MandatoryError
			)

	def validate_extension_decision(self, row):
		user = frappe.session.user
		if user in self.involved:
			recusal.recusal_error(user, self, self.involved[user], _("decide an extension of"))
		if row.status == "Approved" and user == row.requested_by:
			frappe.throw(
				_("{0} requested this extension, so another quality manager must approve it.").format(
					frappe.bold(frappe.utils.get_fullname(user))
				),
				frappe.PermissionError,
				title=_("Independent Approval Required"),
			)
