# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""Complaint Trends (issue 14): the monthly summary and quarterly trend analysis of the management
review (domain.md "Records and analysis"; ISO 9001 §9.3).

Per month or quarter: how many complaints, major ones, the share substantiated, the median and
90th percentile of the working hours to acknowledge, respond (the formal reply) and close, the SLA
compliance, recurrences, loss amounts and satisfaction; or the complaints per category, severity,
item, customer, channel or root-cause category (the 6M cause of the approved investigation). Every
view compares the range with the period before it and the same period a year earlier.

The complaints are ``frappe.get_list``'s for the reader (``engine.reading``), so each reader counts
exactly the complaints they may read. Per range (the range, the period before, a year before) two
queries: MariaDB sums the complaints per period, chart value and view value (:func:`groups`), and
returns, in one GROUP_CONCAT of JSON text (``engine.reading.arrays``), each complaint's moment,
category, item, customer and working hours, the window before the range included. Python sorts
them by moment once, so that each period is a slice, and works out the recurrences and the
percentiles (MariaDB's window frames and PERCENTILE_CONT took several times as long). The root-cause
view joins the investigations the reader may read. Satisfaction counts the answers given in each
period, at closure and in the periodic survey, as the review pack counts them
(:func:`answers_given`, ``intake.satisfaction``). No party is read.
Working hours are the register's: stored on each complaint when the step was recorded
(``service_levels.working_hours``, the company calendar); the arithmetic is in ``rules.trends``.

Other code calls :func:`execute` (the standard ``columns, data, message, chart, report_summary``)
or :func:`compute` for the figures themselves.
"""

import json
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import chain
from operator import itemgetter

import frappe
from frappe import _
from frappe.utils import add_days, add_months, flt, getdate, today

from complaint_handling.complaint_handling.report.complaint_register.complaint_register import WORKING_HOURS
from complaint_handling.engine import reading
from complaint_handling.rules import trends
from complaint_handling.rules.investigation import APPROVED
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
# views whose values are a Select field's stored options: shown in the reader's language
SELECT_VIEWS = ("Channel", "Root Cause Category")
PERIOD_VIEW = "Period"
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
class Group:
	"""The figures of the complaints of one period with one chart value and one view value."""

	period: str
	chart_value: str | None
	view_value: str | None
	figures: trends.Figures


@dataclass
class Range:
	label: str
	from_date: date
	to_date: date
	groups: list[Group] = field(default_factory=list)
	recurrences: Counter = field(default_factory=Counter)  # per period
	satisfaction: dict = field(default_factory=dict)  # period -> answers given in it
	# period (None for the whole range) -> step -> (median, 90th percentile) of the working hours
	hours: dict = field(default_factory=dict)

	@cached_property
	def figures(self) -> trends.Figures:
		whole = trends.total(g.figures for g in self.groups)
		whole.recurrences = sum(self.recurrences.values())
		whole.satisfaction = sum(self.satisfaction.values(), Counter())
		whole.hours = self.hours.get(None, {})
		return whole

	def period_figures(self, period: str) -> trends.Figures:
		figures = trends.total(g.figures for g in self.groups if g.period == period)
		figures.recurrences = self.recurrences[period]
		figures.satisfaction = self.satisfaction.get(period, Counter())
		figures.hours = self.hours.get(period, {})
		return figures

	def counts(self, by: str) -> Counter:
		"""Complaints per (value, period), ``by`` "chart_value" or "view_value"."""
		counts = Counter()
		for g in self.groups:
			counts[(getattr(g, by) or "", g.period)] += g.figures.complaints
		return counts

	def totals(self, by: str) -> Counter:
		"""Complaints per value, ``by`` "chart_value" or "view_value"."""
		totals = Counter()
		for g in self.groups:
			totals[getattr(g, by) or ""] += g.figures.complaints
		return totals


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
	"""The figures of the range, of the period before and of the same period a year earlier, per
	period, chart value (the severity or category the chart stacks) and view value (what the
	breakdown counts by), with the working-hour percentiles per period and of the whole range."""
	filters = normalised(filters)
	current = Range(_("This Period"), filters.from_date, filters.to_date)
	previous = Range(_("Previous Period"), *trends.previous_range(filters.from_date, filters.to_date))
	last_year = Range(_("Same Period Last Year"), *trends.last_year_range(filters.from_date, filters.to_date))
	meta = frappe.get_meta("Complaint")
	settings = frappe.get_cached_doc("Complaint Settings")
	threshold, window = int(settings.recurrence_threshold or 0), int(settings.recurrence_days or 0)
	readable = bool(frappe.has_permission("Complaint Investigation", "read"))
	view_key = VIEWS[filters.view][0] if filters.view in VIEWS else None
	causes = causes_query(filters) if readable and view_key == "cause_category" else None
	if view_key == "cause_category" and not readable:
		view_key = None
	for r in (current, previous, last_year):
		chart_key = CHART_KEYS.get(filters.chart) if r is current else None
		# with the window before the range, which decides whether its first complaints recur
		complaints = complaints_query(filters, add_days(r.from_date, -window), r.to_date)
		r.groups = groups(
			keyed_query(complaints, filters.periodicity, chart_key, view_key, causes),
			r.from_date,
			filters.periodicity,
		)
		# in order of receipt: then each period's complaints are one slice of them
		read = sorted(reading.arrays(complaints, PER_COMPLAINT), key=itemgetter(MOMENT))
		slices = period_slices([c[MOMENT] for c in read], r.from_date, r.to_date, filters.periodicity)
		recurrences = recurring(read, threshold, window)
		names = [c[NAME] for c in read]
		r.recurrences = Counter(
			{period: len(recurrences.intersection(names[part])) for period, part in slices.items()}
		)
		r.hours = percentiles(read, slices)
		r.satisfaction = answers_given(filters, r.from_date, r.to_date, filters.periodicity)
	return Result(
		filters,
		filters.periodicity,
		filters.view,
		trends.periods(current.from_date, current.to_date, filters.periodicity),
		current,
		previous,
		last_year,
		meta.has_field("loss_amount"),
		meta.has_field("satisfaction"),
		readable,
	)


def normalised(filters) -> frappe._dict:
	filters = reading.report_filters(filters, "Complaint", FILTERS)
	filters.to_date = filters.get("to_date") or getdate(today())
	# the last twelve whole months by default, the current one included
	filters.from_date = filters.get("from_date") or add_months(filters.to_date.replace(day=1), -11)
	if filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid Filter"))
	filters.periodicity = trends.QUARTER if filters.get("periodicity") == trends.QUARTER else trends.MONTH
	# anything else, of any type, is the default
	filters.view = next((v for v in VIEWS if v == filters.get("view")), PERIOD_VIEW)
	filters.chart = next((c for c in CHARTS if c == filters.get("chart")), "Severity")
	return filters


# ------------------------------------------------------------------ the queries
# Each query is frappe.get_list's for the reader (permission conditions, field-level permissions),
# aggregated by MariaDB: a year of complaints is summed where it is stored, not read row by row.

FIELDS = (
	"name",
	"received_on",
	"complaint_category",
	"severity",
	"item_code",
	"customer",
	"channel",
	"is_major",
	"validity",
	*(clock.status_field for clock in CLOCKS),
	"loss_amount",
	*(f for pair in WORKING_HOURS.values() for f in pair),
)
CHART_KEYS = {
	"Severity": "severity",
	"Category": "complaint_category",
	"Top Categories": "complaint_category",
}
# the period of a datetime column {0} as a number (202603, 20261): MariaDB groups numbers several
# times faster than strings
PERIOD_SQL = {
	trends.MONTH: "extract(year_month from {0})",
	trends.QUARTER: "year({0}) * 10 + quarter({0})",
}
MICROSECONDS_A_DAY = 86_400_000_000


def complaints_query(filters, from_date, to_date) -> str:
	"""The complaints received from ``from_date`` to ``to_date`` (whole days) that the reader may
	read, with FIELDS (null for a field the reader may not read)."""
	conditions = [["Complaint", f, "=", filters[f]] for f in FILTERS if filters.get(f)]
	conditions += [
		["Complaint", "received_on", ">=", from_date],
		["Complaint", "received_on", "<", add_days(to_date, 1)],
	]
	fields = reading.permitted("Complaint", list(FIELDS))
	hidden = "".join(f", null as `{f}`" for f in FIELDS if f not in fields)
	return f"select t.*{hidden} from ({reading.query('Complaint', fields, conditions)}) t"


def causes_query(filters) -> str:
	"""Complaint -> the 6M cause category of its latest approved investigation the reader may read."""
	conditions = [["cause_category", "is", "set"], ["status", "=", APPROVED]]
	if filters.get("company"):
		conditions.append(["company", "=", filters.company])
	investigations = reading.query(
		"Complaint Investigation", ["complaint", "cause_category", "approved_on"], conditions
	)
	return f"""select complaint, cause_category from (
		select i.complaint, i.cause_category,
			row_number() over (partition by i.complaint order by i.approved_on desc) as latest
		from ({investigations}) i) x
	where latest = 1"""


def keyed_query(complaints, periodicity, chart_key, view_key, causes) -> str:
	"""``complaints`` with the keys they are counted by: ``period``, ``chart_value``, ``view_value``."""
	value = {None: "null", "cause_category": "rc.cause_category"}
	join = f"left join ({causes}) rc on rc.complaint = c.name" if causes else ""
	return f"""select c.*, {PERIOD_SQL[periodicity].format("c.received_on")} as period,
		{value.get(chart_key, f"c.`{chart_key}`")} as chart_value,
		{value.get(view_key, f"c.`{view_key}`")} as view_value
	from ({complaints}) c {join}"""


def groups(keyed, from_date, periodicity) -> list[Group]:
	"""One query: the sums of ``trends.COUNTS`` (recurrences apart: see :func:`recurring`) of the
	complaints received from ``from_date``, per period, chart value and view value."""
	clocks = [f"ifnull(r.`{clock.status_field}`, '')" for clock in CLOCKS]
	sums = [
		"count(*)",
		"sum(r.is_major)",
		f"sum(ifnull(r.validity, '') not in ({quoted(trends.UNDECIDED)}))",
		f"sum(r.validity = '{trends.ACCEPTED}')",
		"sum(" + " + ".join(f"({s} = '{trends.MET}')" for s in clocks) + ")",
		"sum(" + " + ".join(f"({s} = '{trends.BREACHED}')" for s in clocks) + ")",
		"0",
		"sum(ifnull(r.loss_amount, 0))",
	]
	rows = frappe.db.sql(
		f"""select json_array(r.period, r.chart_value, r.view_value, {", ".join(sums)})
		from ({keyed}) r where r.received_on >= '{from_date:%Y-%m-%d}'
		group by r.period, r.chart_value, r.view_value"""
	)
	out = []
	for (row,) in rows:
		period, chart_value, view_value, *sums = json.loads(row)
		out.append(Group(period_key(period, periodicity), chart_value, view_value, trends.Figures.of(sums)))
	return out


def answers_given(filters, from_date, to_date, periodicity) -> dict[str, Counter]:
	"""One query: the satisfaction answers given from ``from_date`` to ``to_date`` (whole days, system
	time zone), per period of the day they were given and answer: at closure (the complaint's
	Satisfaction Recorded On) and in the periodic survey (a response's Answered On), for complaints
	of any date of receipt that the filters select and the reader may read. Counted as
	``intake.satisfaction.satisfaction_summary`` counts them for the review pack (issue 14 part 7;
	README "Satisfaction figures count answers by the day they were given")."""
	from complaint_handling.channels.survey import RESPONSE

	fields = reading.permitted("Complaint", ["name", "satisfaction", "satisfaction_recorded_on"])
	if "satisfaction" not in fields:
		return {}
	conditions = [["Complaint", f, "=", filters[f]] for f in FILTERS if filters.get(f)]
	complaints = reading.query("Complaint", fields, conditions)
	start, end = (
		frappe.db.escape(f"{from_date:%Y-%m-%d}"),
		frappe.db.escape(f"{add_days(to_date, 1):%Y-%m-%d}"),
	)
	period = PERIOD_SQL[periodicity]
	answers = quoted(trends.SATISFACTION)
	given = frappe.db.sql(
		f"""select period, answer, count(*) from (
			select {period.format("c.satisfaction_recorded_on")} as period, c.satisfaction as answer
			from ({complaints}) c
			where c.satisfaction_recorded_on >= {start} and c.satisfaction_recorded_on < {end}
				and c.satisfaction in ({answers})
			union all
			select {period.format("s.answered_on")}, s.satisfaction
			from `tab{RESPONSE}` s join ({complaints}) c on c.name = s.complaint
			where s.answered_on >= {start} and s.answered_on < {end} and s.satisfaction in ({answers})
		) a group by period, answer"""
	)
	out = defaultdict(Counter)
	for number, answer, count in given:
		out[period_key(number, periodicity)][answer] += count
	return dict(out)


def period_key(number: int, periodicity: str) -> str:
	"""The key of a period (``2026-03``, ``2026-Q1``) from its number in PERIOD_SQL."""
	if periodicity == trends.QUARTER:
		return f"{number // 10}-Q{number % 10}"
	return f"{number // 100}-{number % 100:02d}"


# what is read of each complaint, by position in PER_COMPLAINT: the moment of receipt (microseconds
# from OFFSET_FROM), name, category, item and customer, then the working hours to each of
# trends.STEPS from HOURS on (None: the step is not reached)
MOMENT, NAME, CATEGORY, ITEM_CODE, CUSTOMER, HOURS = range(6)
OFFSET_FROM = date(2000, 1, 1)
# about 90 bytes of JSON a complaint: 180,000 fit in one query
PER_COMPLAINT = [
	reading.number(f"timestampdiff(microsecond, '{OFFSET_FROM}', r.received_on)"),
	reading.text("r.name"),
	reading.text("r.complaint_category"),
	reading.text("r.item_code"),
	reading.text("r.customer"),
	*(
		reading.number(f"case when r.`{stamp}` is not null then round(r.`{stored}`, 1) end")
		for stored, stamp in WORKING_HOURS.values()
	),
]


def moment(day: date) -> int:
	"""The start of ``day`` as a complaint's MOMENT."""
	return (day - OFFSET_FROM).days * MICROSECONDS_A_DAY


def period_slices(moments: list[int], from_date: date, to_date: date, periodicity: str) -> dict[str, slice]:
	"""Each month or quarter of ``from_date``..``to_date`` -> the slice of ``moments`` (in order,
	none after ``to_date``) received in it."""
	keys = trends.periods(from_date, to_date, periodicity)
	starts = [bisect_left(moments, moment(max(from_date, trends.period_start(key)))) for key in keys]
	return {key: slice(start, end) for key, start, end in zip(keys, starts, [*starts[1:], None], strict=True)}


def recurring(complaints: list[list], threshold: int, window: int) -> set[str]:
	"""The names of ``complaints`` (in order of receipt, the window before the range included) that
	recur within ``window`` days: ``trends.recurring`` over them per category and item, and per
	category and customer."""
	if threshold < 1:
		return set()
	partitions = defaultdict(list)
	for c in complaints:  # in order of receipt, so each partition is too
		category, item_code, customer = c[CATEGORY], c[ITEM_CODE], c[CUSTOMER]
		if not category:
			continue
		if item_code:
			partitions[(category, "item_code", item_code)].append(c)
		if customer:
			partitions[(category, "customer", customer)].append(c)
	return trends.recurring(partitions.values(), threshold, window * MICROSECONDS_A_DAY)


def percentiles(complaints: list[list], slices: dict[str, slice]) -> dict:
	"""The median and 90th percentile (``trends.percentiles``) of the working hours to each step of
	``complaints`` that reached it, per period (``slices`` of ``complaints``) and (key None) over
	them all."""
	positions = [itemgetter(HOURS + i) for i in range(len(trends.STEPS))]
	ordered = {}
	for period, part in slices.items():
		chunk = complaints[part]
		ordered[period] = [sorted([h for h in map(hours, chunk) if h is not None]) for hours in positions]
	# the periods' sorted runs, which sorting merges without comparing them all again
	ordered[None] = [
		sorted(chain.from_iterable(lists[i] for lists in list(ordered.values())))
		for i in range(len(positions))
	]
	return {
		period: {step: trends.percentiles(v, 50, 90) for step, v in zip(trends.STEPS, lists, strict=True)}
		for period, lists in ordered.items()
	}


def quoted(values) -> str:
	"""``values`` as a list of SQL strings (None as empty), for an IN clause."""
	return ", ".join(frappe.db.escape(v) for v in sorted({v or "" for v in values}))


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
	data = [
		figure_row(result, period_label(key), result.current.period_figures(key))
		for key in result.period_keys
	]
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
		# summed as floats per period and range: to the cent, as entered
		row["loss_amount"] = flt(f.loss_amount, 2)
	if result.has_satisfaction:
		for i, answer in enumerate(trends.SATISFACTION):
			row[f"satisfaction_{i}"] = f.satisfaction_share(answer)
	return row


def breakdown_table(result: Result) -> tuple[list, list]:
	"""One row per category (severity, item…): complaints per period, in the range, their share, the
	period before and a year before."""
	_key, label, options = VIEWS[result.view]
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
		{"fieldname": "share", "label": _("Share of Complaints"), "fieldtype": "Percent", "width": 110},
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
	table = trends.ordered_counts(result.current.counts("view_value"), result.period_keys)
	before, year_ago = result.previous.totals("view_value"), result.last_year.totals("view_value")
	whole = result.current.figures.complaints
	data = []
	# values of this period by count, then those seen only before
	for value in [*table, *sorted((set(before) | set(year_ago)) - set(table))]:
		counts = table.get(value, {})
		total = sum(counts.values())
		data.append(
			{
				"value": (_(value) if result.view in SELECT_VIEWS else value)
				if value
				else none_label(result.view),
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
			# one decimal, as in the table (a Float card shows the system's three)
			"value": frappe.format_value(
				rounded(now.median("hours_to_close")), {"fieldtype": "Float", "precision": 1}
			)
			if now.median("hours_to_close") is not None
			else None,
			"label": _("Median Working Hours to {0}").format(_("Close")),
			"datatype": "Data",
		},
		{"value": now.recurrences, "label": _("Recurrences"), "datatype": "Int"},
	]
	if result.has_loss:
		summary.append({"value": flt(now.loss_amount, 2), "label": _("Loss Amount"), "datatype": "Currency"})
	if result.has_satisfaction:
		summary.append(
			{
				"value": now.satisfaction_share("Satisfied"),
				"label": _("Satisfied (% of Answers)"),
				"datatype": "Percent",
			}
		)
	# a figure with nothing to work it out from (no complaints the period before, none decided, no
	# answers) says so rather than leaving its card empty
	for card in summary:
		if card["value"] is None:
			card.update(value="–", datatype="Data")
			card.pop("indicator", None)
	return summary


def chart(result: Result) -> dict:
	"""Complaints per period by severity or category (stacked bars), the SLA compliance per period
	(a line), or the top categories of the range (bars)."""
	labels = [period_label(p) for p in result.period_keys]
	table = trends.ordered_counts(result.current.counts("chart_value"), result.period_keys)
	if result.filters.chart == "SLA Compliance":
		values = [result.current.period_figures(p).sla_compliance or 0 for p in result.period_keys]
		return {
			"data": {"labels": labels, "datasets": [{"name": _("SLA Compliance"), "values": values}]},
			"type": "line",
			"fieldtype": "Percent",
		}
	if result.filters.chart == "Top Categories":
		top = list(table.items())[:TOP]
		return {
			"data": {
				"labels": [value or _("Not Set") for value, _counts in top],
				"datasets": [{"name": _("Complaints"), "values": [sum(c.values()) for _v, c in top]}],
			},
			"type": "bar",
		}
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
