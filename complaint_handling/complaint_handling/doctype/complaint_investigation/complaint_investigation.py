# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, cint, flt, now_datetime

from complaint_handling import recusal
from complaint_handling.rules import Validity
from complaint_handling.workflow import require_fields, sync_status

APPROVED = "Approved"
PENDING_APPROVAL = "Pending Approval"
VALIDITY_OF = {"Substantiated": Validity.ACCEPTED, "Not Substantiated": Validity.NOT_SUBSTANTIATED}


class ComplaintInvestigation(Document):
	def before_validate(self):
		sync_status(self)

	def validate(self):
		self.complaint_doc = frappe.get_doc("Complaint", self.complaint)
		self.involved = recusal.involved_users(self.complaint_doc)
		self.validate_investigator()
		self.validate_conclusion()
		self.validate_authority()
		self.refresh_batch_stock()

	def on_update(self):
		if self.status == APPROVED and self.has_value_changed("status"):
			self.decide_complaint_validity()

	def validate_investigator(self):
		"""Nobody involved in the complaint, or complained about, investigates it."""
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


@frappe.whitelist()
def similar_complaints(investigation: str) -> list[dict]:
	"""Earlier complaints with the same item, batch, customer or category in the configured window."""
	doc = frappe.get_doc("Complaint Investigation", investigation)
	doc.check_permission("read")
	days = cint(frappe.get_cached_doc("Complaint Settings").similar_case_days) or 365
	complaint = frappe.get_doc("Complaint", doc.complaint)
	or_filters = {
		field: value
		for field, value in (
			("item_code", complaint.item_code),
			("batch_no", complaint.batch_no),
			("customer", complaint.customer),
			("complaint_category", complaint.complaint_category),
		)
		if value
	}
	if not or_filters:
		return []
	return frappe.get_list(
		"Complaint",
		filters={
			"name": ("!=", complaint.name),
			"received_on": (">=", add_days(complaint.received_on, -days)),
		},
		or_filters=or_filters,
		fields=[
			"name",
			"subject",
			"received_on",
			"status",
			"validity",
			"item_code",
			"batch_no",
			"customer",
			"complaint_category",
		],
		order_by="received_on desc",
		limit=50,
	)


@frappe.whitelist(methods=["POST"])
def quarantine_batch(investigation: str, row: str) -> str:
	"""Draft a Material Transfer of an affected batch's stock into the quarantine warehouse."""
	doc = frappe.get_doc("Complaint Investigation", investigation)
	doc.check_permission("write")
	frappe.has_permission("Stock Entry", "create", throw=True)
	batch = next((r for r in doc.affected_batches if r.name == row), None)
	if not batch:
		frappe.throw(_("Affected batch row {0} not found.").format(row))
	target = frappe.get_cached_doc("Complaint Settings").quarantine_warehouse
	if not target:
		frappe.throw(
			_("Set the Quarantine Warehouse in Complaint Settings first."),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)

	from erpnext.stock.doctype.batch.batch import get_batch_qty

	holdings = [
		e for e in get_batch_qty(batch_no=batch.batch_no) or [] if flt(e.qty) > 0 and e.warehouse != target
	]
	if not holdings:
		frappe.throw(
			_("No stock of batch {0} is held outside the quarantine warehouse.").format(batch.batch_no)
		)
	entry = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Transfer",
			"company": doc.company,
			"remarks": _("Quarantine for investigation {0} of complaint {1}").format(doc.name, doc.complaint),
			"items": [
				{
					"item_code": batch.item_code,
					"batch_no": batch.batch_no,
					"use_serial_batch_fields": 1,
					"qty": e.qty,
					"s_warehouse": e.warehouse,
					"t_warehouse": target,
				}
				for e in holdings
			],
		}
	).insert()
	batch.quarantine_entry = entry.name
	doc.save()
	return entry.name
