# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""Complaint Register (台账, issue 14): one row per complaint, what an auditor samples and a
quality manager exports.

Rows come from ``frappe.get_list``'s query (``engine.reading``), so each reader gets exactly the
complaints they may read, and CAPAs, appeals and complainants are read the same way. The register is for the roles that oversee complaints
(intake, handlers, quality managers, auditors, general managers): investigators and panel members
work single cases. The
complainant's name is a column only for readers who may see complainants (``security.parties``);
no contact is ever in it. Working hours are those stored on each complaint when the step was
recorded (``service_levels.working_hours``: the company calendar, as the deadlines are).
"""

import frappe
from frappe import _

from complaint_handling.engine.reading import Lookup, read_rows, report_filters
from complaint_handling.rules.service_levels import CLOCKS
from complaint_handling.security.parties import may_read
from complaint_handling.service_levels.working_hours import STEPS

FILTERS = ("company", "complaint_category", "severity", "customer", "item_code", "status", "channel")
FIELDS = [
	"name",
	"received_on",
	"channel",
	"customer",
	"item_code",
	"batch_no",
	"complaint_category",
	"severity",
	"is_major",
	"validity",
	"status",
	"_assign",
	"acknowledged_on",
	"responded_on",
	"closed_on",
	*(clock.status_field for clock in CLOCKS),
	"loss_amount",
	"currency",
]
COMPLAINANT_NAME = Lookup("complainant", "Complainant", "party_name")
# a column of a Select field's stored values: complaint_register.js shows them in the reader's
# language (an export keeps them as stored); computing _() for every row here would cost a
# hundred thousand rows' time
SELECT_VALUES = {"translate_values": 1}
# report column -> the stored working hours it shows
WORKING_HOURS = dict(zip(("hours_to_acknowledge", "hours_to_respond", "hours_to_close"), STEPS, strict=True))


def execute(filters=None):
	"""Frappe's Script Report entry point: ``(columns, rows)`` for ``filters`` (from_date and
	to_date on Received On, and any of FILTERS). Working hours are hours of working time
	(the company calendar), not elapsed hours."""
	filters = report_filters(filters, "Complaint", FILTERS)
	with_complainant = may_read("Complaint")
	return columns(with_complainant), rows(filters, with_complainant)


def columns(with_complainant: bool) -> list[dict]:
	cols = [
		{
			"fieldname": "name",
			"label": _("Complaint"),
			"fieldtype": "Link",
			"options": "Complaint",
			"width": 140,
		},
		{"fieldname": "received_on", "label": _("Received On"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "channel", "label": _("Channel"), "fieldtype": "Data", "width": 90, **SELECT_VALUES},
		# not links: Frappe's report runner refuses the whole report to a reader who may not read a
		# linked DocType that has a value in the rows (no complaint role reads Customer or Item)
		{"fieldname": "customer", "label": _("Customer"), "fieldtype": "Data", "width": 130},
		{"fieldname": "item_code", "label": _("Item"), "fieldtype": "Data", "width": 110},
		{"fieldname": "batch_no", "label": _("Batch No"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "complaint_category",
			"label": _("Category"),
			"fieldtype": "Link",
			"options": "Complaint Category",
			"width": 130,
		},
		{
			"fieldname": "severity",
			"label": _("Severity"),
			"fieldtype": "Link",
			"options": "Complaint Severity",
			"width": 70,
		},
		{"fieldname": "is_major", "label": _("Major"), "fieldtype": "Check", "width": 60},
		{"fieldname": "validity", "label": _("Validity"), "fieldtype": "Data", "width": 120, **SELECT_VALUES},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 120, **SELECT_VALUES},
		{"fieldname": "handlers", "label": _("Handler"), "fieldtype": "Data", "width": 160},
	]
	if with_complainant:
		cols.append(
			{"fieldname": "complainant_name", "label": _("Complainant"), "fieldtype": "Data", "width": 140}
		)
	cols += [
		{
			"fieldname": "acknowledged_on",
			"label": _("Acknowledged On"),
			"fieldtype": "Datetime",
			"width": 150,
		},
		{"fieldname": "responded_on", "label": _("Responded On"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "closed_on", "label": _("Closed On"), "fieldtype": "Datetime", "width": 150},
		{
			"fieldname": "hours_to_acknowledge",
			"label": _("Working Hours to Acknowledge"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": "hours_to_respond",
			"label": _("Working Hours to Respond"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		{
			"fieldname": "hours_to_close",
			"label": _("Working Hours to Close"),
			"fieldtype": "Float",
			"precision": 1,
			"width": 110,
		},
		*(
			{
				"fieldname": clock.status_field,
				"label": _(clock.label),
				"fieldtype": "Data",
				"width": 100,
				**SELECT_VALUES,
			}
			for clock in CLOCKS
		),
		{"fieldname": "capas", "label": _("CAPA"), "fieldtype": "Data", "width": 140},
		{"fieldname": "appeals", "label": _("Appeal and Outcome"), "fieldtype": "Data", "width": 180},
		{
			"fieldname": "loss_amount",
			"label": _("Loss Amount"),
			"fieldtype": "Currency",
			"options": "currency",
			"width": 120,
		},
	]
	return cols


def rows(filters, with_complainant: bool) -> list[dict]:
	lookups = {"complainant_name": COMPLAINANT_NAME} if with_complainant else {}
	complaints = read_rows(
		"Complaint",
		FIELDS,
		list_filters(filters),
		("received_on", "name"),
		descending=True,
		lookups=lookups,
		parsed=("_assign",),
		# a step not reached has no stamp (its hours are stored as 0)
		reached=WORKING_HOURS,
	)
	if not complaints:
		return []
	# every link the reader may read: cheaper than naming a year of complaints in the query
	capas = linked(
		frappe.get_list(
			"CAPA Complaint",
			parent_doctype="CAPA",
			filters={"complaint": ("is", "set"), "parenttype": "CAPA"},
			fields=["complaint", "parent as label"],
			order_by="parent",
		)
		if frappe.has_permission("CAPA", "read")
		else []
	)
	appeals = linked(
		frappe._dict(complaint=a.complaint, label=f"{a.name}: {_(a.outcome or a.status)}")
		for a in (
			frappe.get_list(
				"Complaint Appeal", fields=["complaint", "name", "outcome", "status"], order_by="name"
			)
			if frappe.has_permission("Complaint Appeal", "read")
			else []
		)
	)
	done = finished_assignments({row.name for row in complaints if not row.get("_assign")})
	for row in complaints:
		row["handlers"] = ", ".join(row.pop("_assign", None) or done.get(row.name, ()))
		row["capas"], row["appeals"] = capas.get(row.name, ""), appeals.get(row.name, "")
	return complaints


def finished_assignments(names: set[str]) -> dict[str, list[str]]:
	"""Who handled each of the complaints ``names`` that nobody is assigned now: the users of their
	completed assignments (Frappe's ``_assign`` keeps open ones only, so a closed complaint would
	show no handler). Read as the reader's rows are: only complaints they may read are asked."""
	if not names:
		return {}
	done = {}
	for todo in frappe.get_all(
		"ToDo",
		filters={"reference_type": "Complaint", "status": "Closed"},
		fields=["reference_name", "allocated_to"],
		order_by="creation",
	):
		if todo.reference_name in names and todo.allocated_to not in done.get(todo.reference_name, ()):
			done.setdefault(todo.reference_name, []).append(todo.allocated_to)
	return done


def list_filters(filters) -> list:
	out = [["Complaint", field, "=", filters[field]] for field in FILTERS if filters.get(field)]
	if filters.get("from_date"):
		out.append(["Complaint", "received_on", ">=", filters.from_date])
	if filters.get("to_date"):
		out.append(["Complaint", "received_on", "<", frappe.utils.add_days(filters.to_date, 1)])
	return out


def linked(records) -> dict[str, str]:
	by_complaint = {}
	for record in records:
		by_complaint.setdefault(record.complaint, []).append(record.label)
	return {name: ", ".join(labels) for name, labels in by_complaint.items()}
