# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""CAPA Status and Effectiveness (issue 14, part 3): what the management review reads of corrective
and preventive actions (domain.md "Outcome and CAPA": implemented, tracked, effectiveness
verified).

Two views: one row per CAPA (its actions open and overdue, the effectiveness checks and their last
result, when it closed and the days it took), or one row per action owner and their department
(open, overdue, done, done late). CAPAs and their actions and checks are read with
``frappe.get_list``, so each reader counts what they may read; the department comes from the owner's
Employee record (only its department is read). A CAPA's closing date is the date of the
effectiveness check that found it effective, the one that let it close.
"""

from collections import Counter, defaultdict

import frappe
from frappe import _
from frappe.utils import date_diff, getdate, today

from complaint_handling.engine.reading import report_filters
from complaint_handling.rules.capa import EFFECTIVE, INEFFECTIVE, ActionStatus, CapaStatus
from complaint_handling.rules.trends import percentile

VIEWS = ("CAPA", "Action Owner")


def execute(filters=None):
	"""``columns, data, message, chart, report_summary`` for ``filters``: ``from_date``, ``to_date``
	(Raised On), ``company``, ``status`` and ``view`` (CAPA or Action Owner)."""
	filters = report_filters(filters, "CAPA", ("company", "status"))
	capas = gather(filters)
	if filters.get("view") == "Action Owner":
		columns, data = owner_table(capas)
	else:
		columns, data = capa_table(capas)
	return columns, data, None, chart(capas), summary(capas)


def gather(filters) -> list:
	"""The CAPAs the reader may read, each with ``actions`` and ``checks`` and the figures of both."""
	conditions = []
	for field in ("company", "status"):
		if filters.get(field):
			conditions.append(["CAPA", field, "=", filters[field]])
	if filters.get("from_date"):
		conditions.append(["CAPA", "raised_on", ">=", filters.from_date])
	if filters.get("to_date"):
		conditions.append(["CAPA", "raised_on", "<=", filters.to_date])
	capas = frappe.get_list(
		"CAPA",
		filters=conditions,
		fields=["name", "title", "capa_type", "status", "responsible", "raised_on", "company"],
		order_by="raised_on desc, name desc",
	)
	if not capas:
		return []
	names = [capa.name for capa in capas]
	actions, checks = defaultdict(list), defaultdict(list)
	for row in frappe.get_list(
		"CAPA Action",
		parent_doctype="CAPA",
		filters={"parent": ("in", names), "parenttype": "CAPA"},
		fields=["parent", "action_owner", "due_date", "status", "completed_on"],
		order_by="idx asc",
	):
		actions[row.parent].append(row)
	for row in frappe.get_list(
		"CAPA Effectiveness Check",
		parent_doctype="CAPA",
		filters={"parent": ("in", names), "parenttype": "CAPA"},
		fields=["parent", "checked_on", "result"],
		order_by="checked_on asc, idx asc",
	):
		checks[row.parent].append(row)
	on = getdate(today())
	for capa in capas:
		capa.actions, capa.checks = actions[capa.name], checks[capa.name]
		capa.open_actions = sum(1 for a in capa.actions if a.status == ActionStatus.OPEN)
		capa.overdue_actions = sum(1 for a in capa.actions if overdue(a, on))
		capa.ineffective_checks = sum(1 for c in capa.checks if c.result == INEFFECTIVE)
		capa.last_result = capa.checks[-1].result if capa.checks else None
		effective = [c for c in capa.checks if c.result == EFFECTIVE]
		capa.closed_on = effective[-1].checked_on if capa.status == CapaStatus.CLOSED and effective else None
		capa.days_to_close = date_diff(capa.closed_on, capa.raised_on) if capa.closed_on else None
	return capas


def overdue(action, on) -> bool:
	return action.status == ActionStatus.OPEN and bool(action.due_date) and getdate(action.due_date) < on


def capa_table(capas) -> tuple[list, list]:
	columns = [
		{"fieldname": "name", "label": _("CAPA"), "fieldtype": "Link", "options": "CAPA", "width": 140},
		{"fieldname": "title", "label": _("Title"), "fieldtype": "Data", "width": 200},
		{"fieldname": "capa_type", "label": _("Type"), "fieldtype": "Data", "width": 120},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "responsible",
			"label": _("Responsible"),
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{"fieldname": "raised_on", "label": _("Raised On"), "fieldtype": "Date", "width": 100},
		{"fieldname": "action_count", "label": _("Actions"), "fieldtype": "Int", "width": 80},
		{"fieldname": "open_actions", "label": _("Open Actions"), "fieldtype": "Int", "width": 100},
		{"fieldname": "overdue_actions", "label": _("Overdue Actions"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "ineffective_checks",
			"label": _("Found Ineffective"),
			"fieldtype": "Int",
			"width": 110,
		},
		{
			"fieldname": "last_result",
			"label": _("Last Effectiveness Check"),
			"fieldtype": "Data",
			"width": 140,
		},
		{"fieldname": "closed_on", "label": _("Closed Effective On"), "fieldtype": "Date", "width": 120},
		{"fieldname": "days_to_close", "label": _("Days to Close"), "fieldtype": "Int", "width": 100},
	]
	data = [
		{
			"name": c.name,
			"title": c.title,
			"capa_type": _(c.capa_type) if c.capa_type else None,
			"status": _(c.status) if c.status else None,
			"responsible": c.responsible,
			"raised_on": c.raised_on,
			"action_count": len(c.actions),
			"open_actions": c.open_actions,
			"overdue_actions": c.overdue_actions,
			"ineffective_checks": c.ineffective_checks,
			"last_result": _(c.last_result) if c.last_result else None,
			"closed_on": c.closed_on,
			"days_to_close": c.days_to_close,
		}
		for c in capas
	]
	return columns, data


def owner_table(capas) -> tuple[list, list]:
	columns = [
		{
			"fieldname": "action_owner",
			"label": _("Action Owner"),
			"fieldtype": "Link",
			"options": "User",
			"width": 200,
		},
		{
			"fieldname": "department",
			"label": _("Department"),
			"fieldtype": "Data",
			"width": 160,
		},
		{"fieldname": "open", "label": _("Open Actions"), "fieldtype": "Int", "width": 110},
		{"fieldname": "overdue", "label": _("Overdue Actions"), "fieldtype": "Int", "width": 120},
		{"fieldname": "done", "label": _("Done"), "fieldtype": "Int", "width": 80},
		{"fieldname": "done_late", "label": _("Done Late"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "oldest_overdue",
			"label": _("Oldest Overdue Due Date"),
			"fieldtype": "Date",
			"width": 140,
		},
	]
	on = getdate(today())
	owners = defaultdict(Counter)
	oldest = {}
	for capa in capas:
		for a in capa.actions:
			counts = owners[a.action_owner]
			counts["open"] += a.status == ActionStatus.OPEN
			counts["done"] += a.status == ActionStatus.DONE
			late = (
				a.status == ActionStatus.DONE
				and a.completed_on
				and a.due_date
				and a.completed_on > a.due_date
			)
			counts["done_late"] += bool(late)
			if overdue(a, on):
				counts["overdue"] += 1
				due = getdate(a.due_date)
				oldest[a.action_owner] = min(oldest.get(a.action_owner, due), due)
	departments = departments_of(list(owners))
	data = [
		{
			"action_owner": owner,
			"department": departments.get(owner),
			"open": counts["open"],
			"overdue": counts["overdue"],
			"done": counts["done"],
			"done_late": counts["done_late"],
			"oldest_overdue": oldest.get(owner),
		}
		for owner, counts in sorted(
			owners.items(), key=lambda item: (-item[1]["overdue"], -item[1]["open"], item[0])
		)
	]
	return columns, data


def departments_of(users: list[str]) -> dict[str, str]:
	"""User -> the department of their Employee record. Read past Employee's permissions (the roles
	that read CAPAs have at most *Select* on Employee), and only the department."""
	if not users:
		return {}
	rows = frappe.get_all(
		"Employee",
		filters={"user_id": ("in", users), "status": "Active"},
		fields=["user_id", "department"],
	)
	return {row.user_id: row.department for row in rows if row.department}


def summary(capas) -> list[dict]:
	closed = [c for c in capas if c.closed_on]
	days = [c.days_to_close for c in closed]
	median = percentile(days, 50)
	return [
		{
			"value": sum(1 for c in capas if c.status in (CapaStatus.OPEN, CapaStatus.PENDING_VERIFICATION)),
			"label": _("Open CAPAs"),
			"datatype": "Int",
			"indicator": "Blue",
		},
		{"value": sum(c.open_actions for c in capas), "label": _("Open Actions"), "datatype": "Int"},
		{
			"value": sum(c.overdue_actions for c in capas),
			"label": _("Overdue Actions"),
			"datatype": "Int",
			"indicator": "Red" if any(c.overdue_actions for c in capas) else "Green",
		},
		{"value": len(closed), "label": _("Closed Effective"), "datatype": "Int", "indicator": "Green"},
		{
			"value": sum(1 for c in capas if c.ineffective_checks),
			"label": _("Found Ineffective at Least Once"),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"value": None if median is None else round(median, 1),
			"label": _("Median Days to Close"),
			"datatype": "Float",
		},
	]


def chart(capas) -> dict:
	"""CAPAs by status."""
	order = (
		CapaStatus.DRAFT,
		CapaStatus.OPEN,
		CapaStatus.PENDING_VERIFICATION,
		CapaStatus.CLOSED,
		CapaStatus.CANCELLED,
	)
	counts = Counter(c.status for c in capas)
	return {
		"data": {
			"labels": [_(s) for s in order],
			"datasets": [{"name": _("CAPAs"), "values": [counts[s] for s in order]}],
		},
		"type": "bar",
	}
