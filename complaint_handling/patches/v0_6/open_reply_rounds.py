"""Give each existing complaint its first round of handling, from the dates it already records."""

import frappe

from complaint_handling.service_levels.rounds import current_round


def execute():
	with_rounds = set(
		frappe.get_all("Complaint Reply Round", filters={"parenttype": "Complaint"}, pluck="parent")
	)
	for name in frappe.get_all("Complaint", pluck="name"):
		if name in with_rounds:
			continue
		doc = frappe.get_doc("Complaint", name)
		row = current_round(doc)
		row.db_insert()
