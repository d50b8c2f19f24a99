# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, now_datetime

from complaint_handling.engine.workflow import require_fields, sync_status
from complaint_handling.intake import recusal
from complaint_handling.investigation.assignment import sync_investigator
from complaint_handling.rules.complaint import Validity
from complaint_handling.rules.investigation import APPROVED, DRAFT, PENDING_APPROVAL
from complaint_handling.security import boundary
from complaint_handling.setup import defaults

# who can work an investigation they are named on (README "Permission matrix")
INVESTIGATING_ROLES = (defaults.INVESTIGATOR, defaults.HANDLER, defaults.QUALITY_MANAGER)
VALIDITY_OF = {"Substantiated": Validity.ACCEPTED, "Not Substantiated": Validity.NOT_SUBSTANTIATED}


class ComplaintInvestigation(Document):
	def before_validate(self):
		boundary.guard(self)
		sync_status(self)

	def validate(self):
		self.complaint_doc = frappe.get_doc("Complaint", self.complaint)
		self.involved = recusal.involved_users(self.complaint_doc)
		self.validate_investigator()
		self.validate_conclusion()
		self.validate_authority()
		self.refresh_batch_stock()

	def on_trash(self):
		# once begun, its findings are part of the complaint's record (the register, an appeal's
		# conflicts and the validity decision read them)
		if self.status != DRAFT:
			frappe.throw(
				_("Investigation {0} is {1}: only an investigation not yet started may be deleted.").format(
					self.name, _(self.status)
				),
				frappe.PermissionError,
				title=_("Kept as Recorded"),
			)

	def on_update(self):
		sync_investigator(self)
		if self.status == APPROVED and self.has_value_changed("status"):
			self.decide_complaint_validity()

	def validate_investigator(self):
		"""The investigator holds a role that works investigations; nobody involved in the
		complaint, or complained about, investigates it."""
		if (
			self.investigator
			and self.has_value_changed("investigator")
			and not set(frappe.get_roles(self.investigator)) & set(INVESTIGATING_ROLES)
		):
			frappe.throw(
				_("{0} cannot investigate: choose someone with one of the roles {1}.").format(
					frappe.bold(frappe.utils.get_fullname(self.investigator)),
					", ".join(_(role) for role in INVESTIGATING_ROLES),
				),
				title=_("Not an Investigator"),
			)
		if self.investigator in self.involved:
			frappe.throw(
				_(
					"{0} cannot investigate complaint {1}: they are recorded as involved in it ({2}). Choose another investigator."
				).format(
					frappe.bold(frappe.utils.get_fullname(self.investigator)),
					self.complaint,
					_(self.involved[self.investigator]),
				),
				frappe.PermissionError,
				title=_("Recusal"),
			)
		user = frappe.session.user
		if self.has_value_changed("status") and not self.is_new() and user in self.involved:
			recusal.recusal_error(
				user, self.complaint_doc, self.involved[user], _("act on an investigation of")
			)

	def validate_conclusion(self):
		if self.status not in (PENDING_APPROVAL, APPROVED):
			return
		require_fields(
			self,
			("conclusion", "conclusion_summary", "root_cause"),
			_("Before the conclusion goes for approval, fill in: {0}"),
		)
		if self.status == APPROVED and self.has_value_changed("status"):
			user = frappe.session.user
			if user == self.investigator:
				frappe.throw(
					_(
						"{0} reached this conclusion and cannot approve it: a quality manager who did not investigate must."
					).format(frappe.bold(frappe.utils.get_fullname(user))),
					frappe.PermissionError,
					title=_("Independent Approval Required"),
				)
			self.approved_by, self.approved_on = user, now_datetime()

	def validate_authority(self):
		if self.notify_authority and not self.authority_notification_due:
			frappe.throw(_("Set Notify By: the date the authority must be notified."), frappe.MandatoryError)

	def refresh_batch_stock(self):
		"""Show the stock still held of each affected batch, and prompt to quarantine it."""
		from erpnext.stock.doctype.batch.batch import get_batch_qty

		unquarantined = []
		for row in self.affected_batches:
			row.stock_qty = sum(
				flt(entry.qty) for entry in get_batch_qty(batch_no=row.batch_no) or [] if flt(entry.qty) > 0
			)
			if row.stock_qty > 0 and not row.quarantine_entry:
				unquarantined.append(f"{row.batch_no} ({row.stock_qty:g})")
		if unquarantined:
			frappe.msgprint(
				_("Stock is held of affected batches {0}: quarantine it with the Quarantine button.").format(
					", ".join(unquarantined)
				),
				title=_("Quarantine Stock"),
				indicator="orange",
			)

	def decide_complaint_validity(self):
		"""The approved conclusion becomes the complaint's validity decision: nobody retypes it."""
		complaint = frappe.get_doc("Complaint", self.complaint)
		complaint.validity = VALIDITY_OF[self.conclusion]
		complaint.validity_reason = _("Investigation {0}: {1}").format(self.name, self.conclusion_summary)
		complaint.save()
