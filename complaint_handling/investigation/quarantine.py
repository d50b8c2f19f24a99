"""Quarantine of an affected batch (seed 003): a draft ERPNext Material Transfer of the stock
still held into the quarantine warehouse, for the warehouse team to submit."""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.security.stamped import app_stamping


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
	with app_stamping(doc):
		doc.save()
	return entry.name
