"""Similar cases shown on an investigation: earlier complaints about the same item, batch,
customer or category within the window set in Complaint Settings (seed 003: check for recurrence)."""

import frappe
from frappe.utils import add_days, cint


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
