"""Complaints saved before 0.7 have no overall *Service Level* (the worst of their three clocks,
shown in the list and counted by the workspace cards): it is derived once from the clocks they
have. Later saves and the scheduler keep it."""

from collections import defaultdict

import frappe

from complaint_handling.rules.service_levels import CLOCKS, overall_status


def execute():
	fields = [clock.status_field for clock in CLOCKS]
	by_status = defaultdict(list)
	for row in frappe.get_all(
		"Complaint", filters={"sla_status": ("is", "not set")}, fields=["name", *fields]
	):
		if status := overall_status(row.get(f) for f in fields):
			by_status[status].append(row.name)
	table = frappe.qb.DocType("Complaint")
	for status, names in by_status.items():
		frappe.qb.update(table).set(table.sla_status, status).where(table.name.isin(names)).run()
