# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import format_datetime, get_datetime, now_datetime

from complaint_handling.appeals import deadlines, outcomes
from complaint_handling.appeals.conflicts import conflicts_of
from complaint_handling.appeals.panel import sync_panel
from complaint_handling.engine.messaging import users_with_role
from complaint_handling.engine.workflow import guard_ended_record, sync_status
from complaint_handling.rules.appeals import (
	DECIDING_STATUSES,
	OPEN_STATUSES,
	REOPENING_OUTCOMES,
	AppealStatus,
	filed_late,
)
from complaint_handling.rules.complaint import FINAL_STATUSES, Status, Validity
from complaint_handling.security import boundary, parties
from complaint_handling.security.access import require_role
from complaint_handling.setup import defaults

# a complaint is decided once it has been answered: the formal reply, a rejection or a closure
DECIDED_COMPLAINT = frozenset({Status.RESPONDED, *FINAL_STATUSES})
FILING = frozenset({AppealStatus.DRAFT, AppealStatus.RECEIVED})
ENDED = frozenset({AppealStatus.NOT_ACCEPTED, AppealStatus.CLOSED})


class ComplaintAppeal(Document):
	def onload(self):
		parties.fill(self)

	def before_validate(self):
		boundary.guard(self)
		sync_status(self)
		self.set_from_decision()

	def validate(self):
		self.appeal_of_the_complainant()
		parties.store(self)
		parties.require_party(self)
		guard_ended_record(self, ENDED)
		self.validate_decision()
		self.validate_single_open_appeal()
		self.validate_window()
		self.validate_independence()
		self.record_acceptance()
		self.record_decision()
		deadlines.apply(self)

	def on_update(self):
		sync_panel(self)
		if not self.has_value_changed("status") or self.is_new():
			return
		if self.status in outcomes.LETTERS:
			outcomes.send_letter(self)
		if self.status == AppealStatus.DECIDED:
			outcomes.apply_outcome(self)

	def on_change(self):
		parties.fill(self)  # after the version is written: the form keeps showing the appellant

	def on_trash(self):
		if self.status not in (AppealStatus.DRAFT, AppealStatus.RECEIVED):
			frappe.throw(
				_("Appeal {0} was {1} and is a record: it cannot be deleted.").format(
					self.name, _(self.status)
				),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)

	def set_from_decision(self):
		# what was appealed is fixed once the appeal is received: the complaint may move on later
		if not self.complaint or self.status not in FILING:
			return
		complaint = frappe.db.get_value(
			"Complaint",
			self.complaint,
			["company", "customer", "responded_on", "closed_on", "validity_decided_on"],
			as_dict=True,
		)
		if not complaint:
			return  # the link check names the missing complaint
		self.company = self.company or complaint.company
		self.customer = self.customer or complaint.customer
		self.decision_date = complaint.responded_on or complaint.closed_on or complaint.validity_decided_on

	def validate_decision(self):
		if self.status not in FILING:
			return
		if self.complaint:
			complaint = frappe.get_doc("Complaint", self.complaint)
			if complaint.status not in DECIDED_COMPLAINT or complaint.validity == Validity.PENDING:
				frappe.throw(
					_(
						"Complaint {0} is {1} and has no decision to appeal yet: an appeal challenges a decision that was given."
					).format(self.complaint, _(complaint.status)),
					title=_("Nothing to Appeal"),
				)
		elif not (self.decision_name or (self.decision_description or "").strip()):
			frappe.throw(
				_(
					"Say which decision is appealed: choose the complaint, or another decision and describe it."
				),
				frappe.MandatoryError,
			)
		if not self.decision_date:
			frappe.throw(_("Enter when the appealed decision was made."), frappe.MandatoryError)

	def validate_single_open_appeal(self):
		same = (
			{"complaint": self.complaint}
			if self.complaint
			else {
				"decision_doctype": self.decision_doctype,
				"decision_name": self.decision_name,
			}
		)
		if not any(same.values()):
			return
		other = frappe.db.get_value(
			"Complaint Appeal", {**same, "name": ("!=", self.name), "status": ("in", list(OPEN_STATUSES))}
		)
		if other:
			frappe.throw(
				_(
					"Appeal {0} against the same decision is still open: add to it rather than filing another."
				).format(other),
				title=_("Appeal Already Open"),
			)

	def validate_window(self):
		filed, decided = get_datetime(self.filed_on), get_datetime(self.decision_date)
		if filed > now_datetime():
			frappe.throw(
				_("Filed On is in the future: enter when the appeal reached us."), title=_("Invalid Date")
			)
		if filed < decided:
			frappe.throw(
				_("Filed On ({0}) is before the decision it appeals ({1}).").format(
					format_datetime(filed), format_datetime(decided)
				),
				title=_("Invalid Date"),
			)
		self.window_closes_on = deadlines.period_from(self.company, decided, "window")
		self.filed_late = filed_late(filed, get_datetime(self.window_closes_on))
		if self.has_value_changed("late_consent") and self.late_consent:
			require_role(defaults.QUALITY_MANAGER, _("Only a quality manager can consent to a late appeal."))
			self.late_consent_by = frappe.session.user
		if (
			self.filed_late
			and self.status != AppealStatus.DRAFT
			and not ((self.late_reason or "").strip() and self.late_consent)
		):
			frappe.throw(
				_(
					"The appeal window ({0} from the decision on {1}) closed on {2}. Record why it was filed late and a quality manager's consent, or the appeal is refused."
				).format(
					deadlines.describe_period("window"),
					format_datetime(decided),
					format_datetime(self.window_closes_on),
				),
				title=_("Filed Late"),
			)

	def appeal_of_the_complainant(self):
		"""A new appeal that names no appellant is the complainant's, the usual case: their
		details become the appellant's, for a user who may read both (intake officers, quality
		managers), so nobody types them again. Anyone else still has to name the appellant."""
		link = parties.CASES[self.doctype]
		if (
			not self.is_new()
			or not self.complaint
			or self.get(link.link_field)
			or any(self.get(field) for field in link.fields)
			or not (parties.may_read("Complaint") and parties.may_read(self.doctype))
		):
			return
		details = parties.contact(frappe.get_doc("Complaint", self.complaint))
		for field, party_field in link.fields.items():
			self.set(field, details.get(party_field))

	def validate_independence(self):
		"""Nobody who took part in the original case judges the appeal (ISO/IEC 17065 7.13)."""
		panel = [row.user for row in self.panel]
		deciding = self.status in DECIDING_STATUSES and self.has_value_changed("status") and not self.is_new()
		user = frappe.session.user
		conflicts = conflicts_of(self, [*panel, user] if deciding else panel)
		for member in panel:
			if member in conflicts:
				frappe.throw(
					_("{0} cannot sit on the appeal panel: they {1}.").format(
						frappe.bold(frappe.utils.get_fullname(member)), conflicts[member]
					),
					frappe.PermissionError,
					title=_("Conflict of Interest"),
				)
		if deciding and user in conflicts:
			frappe.throw(
				_("{0} cannot decide on this appeal: they {1}.").format(
					frappe.bold(frappe.utils.get_fullname(user)), conflicts[user]
				)
				+ " "
				+ self.who_else_decides(user),
				frappe.PermissionError,
				title=_("Conflict of Interest"),
			)

	def who_else_decides(self, user: str) -> str:
		"""The quality managers free of the case who may make this move instead, in words."""
		managers = [manager for manager in users_with_role(defaults.QUALITY_MANAGER) if manager != user]
		conflicts = conflicts_of(self, managers)
		free = [frappe.utils.get_fullname(manager) for manager in managers if manager not in conflicts]
		if free:
			return _("Ask {0} to do it.").format(", ".join(free))
		return _(
			"No other quality manager is free of the case: give the role {0} to someone who took no part in it."
		).format(_(defaults.QUALITY_MANAGER))

	def record_acceptance(self):
		if self.status == AppealStatus.RECEIVED:
			self.acceptance_due = deadlines.period_from(self.company, self.filed_on, "acceptance")
		if self.status not in (
			AppealStatus.ACCEPTED,
			AppealStatus.NOT_ACCEPTED,
		) or not self.has_value_changed("status"):
			return
		if self.status == AppealStatus.NOT_ACCEPTED and not (self.acceptance_reason or "").strip():
			frappe.throw(
				_("Give the reason the appeal is not accepted: it goes to the appellant in writing."),
				frappe.MandatoryError,
			)
		self.acceptance_decided_on, self.acceptance_decided_by = now_datetime(), frappe.session.user
		if self.status == AppealStatus.ACCEPTED:
			self.decision_due = deadlines.period_from(self.company, self.acceptance_decided_on, "decision")

	def record_decision(self):
		if self.status == AppealStatus.DECIDED and self.has_value_changed("status"):
			if not self.panel:
				frappe.throw(_("Name the appeal panel before recording its decision."), frappe.MandatoryError)
			if not self.outcome or not frappe.utils.strip_html_tags(self.decision_reasons or "").strip():
				frappe.throw(
					_(
						"Record the outcome and the panel's reasons: a decision without reasons cannot be sent."
					),
					frappe.MandatoryError,
				)
			self.decided_on, self.decided_by = now_datetime(), frappe.session.user
			if self.outcome in REOPENING_OUTCOMES:
				self.implementation_due = deadlines.period_from(
					self.company, self.decided_on, "implementation"
				)
		if self.status == AppealStatus.CLOSED and self.has_value_changed("status"):
			if self.outcome in REOPENING_OUTCOMES and not self.implemented_on:
				frappe.throw(
					_("Record when the overturned decision was implemented before closing the appeal."),
					frappe.MandatoryError,
				)
