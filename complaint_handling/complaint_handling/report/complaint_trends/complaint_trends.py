# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""Complaint Trends (issue 14): the monthly summary and quarterly trend analysis of the management
review (domain.md "Records and analysis"; ISO 9001 §9.3).

Per month or quarter: how many complaints, major ones, the share substantiated, the median and
90th percentile of the working hours to acknowledge, respond (the formal reply) and close, the SLA
compliance, recurrences, loss amounts and satisfaction; or the complaints per category, severity,
item, customer, channel or root-cause category (the 6M cause of the approved investigation). Every
view compares the range with the period before it and the same period a year earlier.

Rows come from ``frappe.get_list``, so each reader counts exactly the complaints they may read; one
query per range (the range, the period before, a year before, each with the recurrence window
before it), and in the root-cause view one for the investigations. No party is read. Working hours
are the register's: stored on each complaint when the step was recorded
(``service_levels.working_hours``, the company calendar); the arithmetic is in ``rules.trends``.

Other code calls :func:`execute` (the standard ``columns, data, message, chart, report_summary``)
or :func:`compute` for the figures themselves.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import frappe
from frappe import _
from frappe.utils import add_days, add_months, flt, get_datetime, getdate, today

from complaint_handling.complaint_handling.report.complaint_register.complaint_register import (
	WORKING_HOURS,
	working_hours,
)
from complaint_handling.rules import trends
from complaint_handling.rules.service_levels import CLOCKS

FILTERS = ("company", "complaint_category", "severity", "customer", "item_code", "channel")
# view -> the row key it counts by, and its column label
VIEWS = {
	"Category": ("complaint_category", "Category", "Complaint Category"),
	"Severity": ("severity", "Severity", "Complaint Severity"),
	# not links: Frappe's report runner refuses a whole report whose link column names a DocType
	# the reader may not read (intake officers and auditors read no Customer or Item)
	"Item": ("item_code", "Item", None),
	"Customer": ("customer", "Customer", None),
	"Channel": ("channel", "Channel", None),
	"Root Cause Category": ("cause_category", "Root Cause Category", None),
}
PERIOD_VIEW = "Period"
DATETIMES = ("received_on", *(stamp for _stored, stamp in WORKING_HOURS.values()))
OFFSET_FROM = datetime(2000, 1, 1)
CHARTS = ("Severity", "Category", "SLA Compliance", "Top Categories")
STEP_LABELS = {
	"hours_to_acknowledge": "Acknowledge",
	"hours_to_respond": "Respond",
	"hours_to_close": "Close",
}
TOP = 10


def execute(filters=None):
	"""Frappe's Script Report entry point: ``columns, data, message, chart, report_summary`` for
	``filters``: ``from_date``, ``to_date`` (Received On; default the last twelve whole months),
	``periodicity`` (Month or Quarter), ``view`` (Period, or one of VIEWS), ``chart`` (one of
	CHARTS) and any of FILTERS."""
	result = compute(filters)
	if result.view == PERIOD_VIEW:
		columns, data = period_table(result)
	else:
		columns, data = breakdown_table(result)
	return columns, data, message(result), chart(result), report_summary(result)


# ------------------------------------------------------------------ gathering


@dataclass
class Range:
	label: str
	from_date: date
	to_date: date
	rows: list = field(default_factory=list)

	@cached_property
	def figures(self) -> trends.Figures:
		return trends.figures(self.rows)


@dataclass
class Result:
	filters: frappe._dict
	periodicity: str
	view: str
	period_keys: list
	current: Range
	previous: Range
	last_year: Range
	has_loss: bool
	has_satisfaction: bool
	root_causes_readable: bool


def compute(filters=None) -> Result:
	"""The complaints of the range, of the period before and of the same period a year earlier,
	each row with its period, working hours, SLA statuses, recurrence and root-cause category."""
	filters = normalised(filters)
	current = Range(_("This Period"), filters.from_date, filters.to_date)
	previous = Range(_("Previous Period"), *trends.previous_range(filters.from_date, filters.to_date))
	last_year = Range(_("Same Period Last Year"), *trends.last_year_range(filters.from_date, filters.to_date))
	meta = frappe.get_meta("Complaint")
	has_loss, has_satisfaction = meta.has_field("loss_amount"), meta.has_field("satisfaction")
	fields = [
		"name",
		"company",
		"channel",
		"customer",
		"item_code",
		"complaint_category",
		"severity",
		"is_major",
		"validity",
		*(as_offset(name) for name in DATETIMES),
		*(stored for stored, _stamp in WORKING_HOURS.values()),
		*(clock.status_field for clock in CLOCKS),
	]
	fields += ["loss_amount"] * has_loss + ["satisfaction"] * has_satisfaction

	settings = frappe.get_cached_doc("Complaint Settings")
	threshold, window = int(settings.recurrence_threshold or 0), int(settings.recurrence_days or 0)
	readable = bool(frappe.has_permission("Complaint Investigation", "read"))
	# the investigations are read for the view that shows them
	causes = root_causes(filters) if readable and filters.view == "Root Cause Category" else {}
	periods = {}
	for r in (current, previous, last_year):
		# with the window before the range, which decides whether its first complaints recur
		rows = complaints(filters, fields, add_days(r.from_date, -window), r.to_date)
		recurring = trends.recurrences(
			[
				trends.Occurrence(c.name, c.received_on, c.complaint_category, c.item_code, c.customer)
				for c in rows
			],
			threshold,
			window,
		)
		start = get_datetime(r.from_date)
		r.rows = [c for c in rows if c.received_on >= start]
		for row in r.rows:
			prepare(row, filters.periodicity, recurring, causes, periods)
	return Result(
		filters,
		filters.periodicity,
		filters.view,
		trends.periods(current.from_date, current.to_date, filters.periodicity),
		current,
		previous,
		last_year,
		has_loss,
		has_satisfaction,
		readable,
	)


def normalised(filters) -> frappe._dict:
	filters = frappe._dict(filters or {})
	filters.to_date = getdate(filters.get("to_date") or today())
	# the last twelve whole months by default, the current one included
	filters.from_date = getdate(filters.get("from_date") or add_months(filters.to_date.replace(day=1), -11))
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid Filter"))
	filters.periodicity = trends.QUARTER if filters.get("periodicity") == trends.QUARTER else trends.MONTH
	filters.view = filters.get("view") if filters.get("view") in VIEWS else PERIOD_VIEW
	filters.chart = filters.get("chart") if filters.get("chart") in CHARTS else "Severity"
	return filters


def complaints(filters, fields, from_date, to_date) -> list:
	"""The complaints received from ``from_date`` to ``to_date`` (whole days) that the reader may read."""
	conditions = [["Complaint", f, "=", filters[f]] for f in FILTERS if filters.get(f)]
	conditions += [
		["Complaint", "received_on", ">=", from_date],
		["Complaint", "received_on", "<", add_days(to_date, 1)],
	]
	rows = frappe.get_list("Complaint", filters=conditions, fields=fields, order_by="received_on")
	for row in rows:
		for name in DATETIMES:
			offset = row.pop(f"{name}_us")
			row[name] = None if offset is None else OFFSET_FROM + timedelta(seconds=int(offset))
	return rows


def as_offset(fieldname: str) -> str:
	"""``fieldname`` read as seconds from OFFSET_FROM (to the second): a hundred thousand rows of four datetimes
	come back in a fraction of the time Frappe's parsing of each datetime string takes."""
	return f"timestampdiff(second, '{OFFSET_FROM:%Y-%m-%d}', {fieldname}) as {fieldname}_us"


def root_causes(filters) -> dict[str, str]:
	"""Complaint -> the 6M cause category of its approved investigation (the latest approved, when a
	complaint has several)."""
	conditions = [["cause_category", "is", "set"], ["status", "=", "Approved"]]
	if filters.get("company"):
		conditions.append(["company", "=", filters.company])
	rows = frappe.get_list(
		"Complaint Investigation",
		filters=conditions,
		fields=["complaint", "cause_category"],
		order_by="approved_on asc",
	)
	return {row.complaint: row.cause_category for row in rows}


def prepare(row, periodicity, recurring, causes, periods) -> None:
	day = row.received_on.date()
	row.period = periods.get(day) or periods.setdefault(day, trends.period_of(day, periodicity))
	working_hours(row)
	row.sla_statuses = tuple(row.get(clock.status_field) for clock in CLOCKS)
	row.recurrence = row.name in recurring
	row.cause_category = causes.get(row.name)
	row.loss_amount = row.get("loss_amount") or 0.0


# ------------------------------------------------------------------ tables


def period_table(result: Result) -> tuple[list, list]:
	"""One row per month or quarter, then the whole range, the period before and a year before."""
	columns = [
		{"fieldname": "period", "label": _("Period"), "fieldtype": "Data", "width": 220},
		{"fieldname": "complaints", "label": _("Complaints"), "fieldtype": "Int", "width": 100},
		{"fieldname": "major", "label": _("Major"), "fieldtype": "Int", "width": 70},
		{"fieldname": "substantiated", "label": _("Substantiated"), "fieldtype": "Int", "width": 110},
		{
			"fieldname": "substantiated_share",
			"label": _("Substantiated (% of Decided)"),
			"fieldtype": "Percent",
			"width": 120,
		},
	]
	for step, label in STEP_LABELS.items():
		columns += [
			{
				"fieldname": f"median_{step}",
				"label": _("Median Working Hours to {0}").format(_(label)),
				"fieldtype": "Float",
				"precision": 1,
				"width": 120,
			},
			{
				"fieldname": f"p90_{step}",
				"label": _("90th Percentile Working Hours to {0}").format(_(label)),
				"fieldtype": "Float",
				"precision": 1,
				"width": 120,
			},
		]
	columns += [
		{"fieldname": "sla_compliance", "label": _("SLA Compliance"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "recurrences", "label": _("Recurrences"), "fieldtype": "Int", "width": 100},
	]
	if result.has_loss:
		columns.append(
			{"fieldname": "loss_amount", "label": _("Loss Amount"), "fieldtype": "Currency", "width": 120}
		)
	if result.has_satisfaction:
		columns += [
			{
				"fieldname": f"satisfaction_{i}",
				"label": _("{0} (% of Answers)").format(_(answer)),
				"fieldtype": "Percent",
				"width": 120,
			}
			for i, answer in enumerate(trends.SATISFACTION)
		]
	by_period = {key: [] for key in result.period_keys}
	for row in result.current.rows:
		by_period.setdefault(row.period, []).append(row)
	data = [figure_row(result, period_label(key), trends.figures(rows)) for key, rows in by_period.items()]
	for r, bold in ((result.current, 1), (result.previous, 0), (result.last_year, 0)):
		data.append({**figure_row(result, range_label(r), r.figures), "bold": bold})
	return columns, data


def figure_row(result: Result, label: str, f: trends.Figures) -> dict:
	row = {
		"period": label,
		"complaints": f.complaints,
		"major": f.major,
		"substantiated": f.substantiated,
		"substantiated_share": f.substantiated_share,
		"sla_compliance": f.sla_compliance,
		"recurrences": f.recurrences,
	}
	for step in STEP_LABELS:
		row[f"median_{step}"], row[f"p90_{step}"] = rounded(f.median(step)), rounded(f.p90(step))
	if result.has_loss:
		row["loss_amount"] = f.loss_amount
	if result.has_satisfaction:
		for i, answer in enumerate(trends.SATISFACTION):
			row[f"satisfaction_{i}"] = f.satisfaction_share(answer)
	return row


def breakdown_table(result: Result) -> tuple[list, list]:
	"""One row per category (severity, item…): complaints per period, in the range, their share, the
	period before and a year before."""
	key, label, options = VIEWS[result.view]
	value_column = {"fieldname": "value", "label": _(label), "fieldtype": "Data", "width": 180}
	if options:
		value_column.update(fieldtype="Link", options=options)
	columns = [value_column]
	columns += [
		{"fieldname": period_field(p), "label": period_label(p), "fieldtype": "Int", "width": 90}
		for p in result.period_keys
	]
	columns += [
		{"fieldname": "total", "label": _("Total"), "fieldtype": "Int", "width": 80},
		{"fieldname": "share", "label": _("Share"), "fieldtype": "Percent", "width": 90},
		{"fieldname": "previous", "label": _("Previous Period"), "fieldtype": "Int", "width": 120},
		{"fieldname": "last_year", "label": _("Same Period Last Year"), "fieldtype": "Int", "width": 140},
		{
			"fieldname": "change_previous",
			"label": _("Change from Previous (%)"),
			"fieldtype": "Percent",
			"width": 130,
		},
		{
			"fieldname": "change_last_year",
			"label": _("Change from Last Year (%)"),
			"fieldtype": "Percent",
			"width": 130,
		},
	]
	if result.view == "Root Cause Category" and not result.root_causes_readable:
		return columns, []
	table = trends.counts_by(result.current.rows, key, result.period_keys)
	before = Counter(row.get(key) or "" for row in result.previous.rows)
	year_ago = Counter(row.get(key) or "" for row in result.last_year.rows)
	whole = len(result.current.rows)
	data = []
	# values of this period by count, then those seen only before
	for value in [*table, *sorted((set(before) | set(year_ago)) - set(table))]:
		counts = table.get(value, {})
		total = sum(counts.values())
		data.append(
			{
				"value": value or none_label(result.view),
				**{period_field(p): counts.get(p, 0) for p in result.period_keys},
				"total": total,
				"share": trends.share(total, whole),
				"previous": before[value],
				"last_year": year_ago[value],
				"change_previous": trends.change(total, before[value]),
				"change_last_year": trends.change(total, year_ago[value]),
			}
		)
	return columns, data


def none_label(view: str) -> str:
	return _("Not Determined") if view == "Root Cause Category" else _("Not Set")


def period_field(key: str) -> str:
	return "p_" + key.replace("-", "_").lower()


def period_label(key: str) -> str:
	return key.replace("-Q", " Q")


def range_label(r: Range) -> str:
	return f"{r.label} ({r.from_date.isoformat()} – {r.to_date.isoformat()})"


def rounded(value):
	return None if value is None else flt(value, 1)


# ------------------------------------------------------------------ summary, chart, message


def report_summary(result: Result) -> list[dict]:
	now, before, year_ago = result.current.figures, result.previous.figures, result.last_year.figures
	summary = [
		{"value": now.complaints, "label": _("Complaints"), "datatype": "Int", "indicator": "Blue"},
		{
			"value": trends.change(now.complaints, before.complaints),
			"label": _("Change from Previous Period (%)"),
			"datatype": "Percent",
			"indicator": "Red" if now.complaints > before.complaints else "Green",
		},
		{
			"value": trends.change(now.complaints, year_ago.complaints),
			"label": _("Change from Same Period Last Year (%)"),
			"datatype": "Percent",
			"indicator": "Red" if now.complaints > year_ago.complaints else "Green",
		},
		{"value": now.substantiated_share, "label": _("Substantiated (% of Decided)"), "datatype": "Percent"},
		{
			"value": now.sla_compliance,
			"label": _("SLA Compliance"),
			"datatype": "Percent",
			"indicator": "Green" if (now.sla_compliance or 0) >= 90 else "Orange",
		},
		{
			"value": rounded(now.median("hours_to_close")),
			"label": _("Median Working Hours to {0}").format(_("Close")),
			"datatype": "Float",
		},
		{"value": now.recurrences, "label": _("Recurrences"), "datatype": "Int"},
	]
	if result.has_loss:
		summary.append({"value": now.loss_amount, "label": _("Loss Amount"), "datatype": "Currency"})
	if result.has_satisfaction:
		summary.append(
			{
				"value": now.satisfaction_share("Satisfied"),
				"label": _("Satisfied (% of Answers)"),
				"datatype": "Percent",
			}
		)
	return summary


def chart(result: Result) -> dict:
	"""Complaints per period by severity or category (stacked bars), the SLA compliance per period
	(a line), or the top categories of the range (bars)."""
	labels = [period_label(p) for p in result.period_keys]
	rows = result.current.rows
	if result.filters.chart == "SLA Compliance":
		by_period = {p: [] for p in result.period_keys}
		for row in rows:
			by_period[row.period].append(row)
		values = [trends.figures(by_period[p]).sla_compliance or 0 for p in result.period_keys]
		return {
			"data": {"labels": labels, "datasets": [{"name": _("SLA Compliance"), "values": values}]},
			"type": "line",
			"fieldtype": "Percent",
		}
	if result.filters.chart == "Top Categories":
		table = trends.counts_by(rows, "complaint_category", result.period_keys)
		top = list(table.items())[:TOP]
		return {
			"data": {
				"labels": [value or _("Not Set") for value, _counts in top],
				"datasets": [{"name": _("Complaints"), "values": [sum(c.values()) for _v, c in top]}],
			},
			"type": "bar",
		}
	key = "severity" if result.filters.chart == "Severity" else "complaint_category"
	table = trends.counts_by(rows, key, result.period_keys)
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": value or _("Not Set"), "values": [counts[p] for p in result.period_keys]}
				for value, counts in table.items()
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}


def message(result: Result) -> str:
	parts = [
		_(
			"Working hours on the company calendar from Received On. SLA compliance: clocks met in time of those met or breached. Substantiated: validity Accepted of the complaints decided."
		)
	]
	if result.view == "Root Cause Category" and not result.root_causes_readable:
		parts.append(_("Root causes are in investigations, which you may not read."))
	return " ".join(parts)
