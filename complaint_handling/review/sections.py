"""What the management-review pack shows, read for one review (company and period) as the session
user: every list comes from ``frappe.get_list``, so a reader sees only what they may read.

No section carries a complainant's or appellant's name or contact (``security.parties``): cases
are named by their number, category, severity and status only.
"""

import frappe
from frappe import _
from frappe.utils import add_days, flt, get_fullname, getdate, now_datetime

from complaint_handling.review.chart import bar_chart

TRENDS_REPORT = "Complaint Trends"
OPEN_CAPA = ("not in", ("Closed", "Cancelled"))
OVERTURNED = ("Overturned", "Partially Upheld")
SATISFIED = "Satisfied"
WIDE = 8  # columns that fit an A4 page across


def collect(doc) -> frappe._dict:
	"""The sections of the pack of Complaint Review ``doc``, and its figures (``figures``: the
	values of the review's summary fields)."""
	start, end = getdate(doc.from_date), getdate(doc.to_date)
	counts = complaint_counts(doc.company, start, end)
	capas = open_capas(doc.company)
	checks = effectiveness_checks(doc.company, start, end)
	appeals = appeals_of(doc.company, start, end)
	satisfaction = satisfaction_of(doc.company, start, end)
	return frappe._dict(
		made_on=now_datetime(),
		made_by=get_fullname(frappe.session.user),
		counts=counts,
		trends=trends(doc, start, end),
		major=major_complaints(doc.company, start, end),
		open_capas=capas,
		checks=checks,
		appeals=appeals,
		satisfaction=satisfaction,
		figures={
			"complaints_received": counts.total,
			"major_complaints": counts.major,
			"substantiated_complaints": counts.substantiated,
			"open_capas": len(capas),
			"effective_checks": sum(1 for row in checks if row.result == "Effective"),
			"ineffective_checks": sum(1 for row in checks if row.result == "Ineffective"),
			"appeals": len(appeals),
			"appeals_overturned": sum(1 for row in appeals if row.outcome in OVERTURNED),
			"satisfied_share": satisfaction.satisfied_share if satisfaction else None,
		},
	)


def received(company: str, start, end) -> list:
	return [
		["Complaint", "company", "=", company],
		["Complaint", "received_on", ">=", start],
		["Complaint", "received_on", "<", add_days(end, 1)],
	]


# ------------------------------------------------------------------ complaints of the period


def complaint_counts(company: str, start, end) -> frappe._dict:
	"""Complaints received in the period: the total, major and substantiated ones, and the counts
	per category and per severity (with a bar chart of the categories)."""
	rows = frappe.get_list(
		"Complaint",
		filters=received(company, start, end),
		fields=["complaint_category", "severity", "is_major", "validity"],
		limit_page_length=0,
	)
	by_category = tally(row.complaint_category for row in rows)
	by_severity = tally(row.severity for row in rows)
	return frappe._dict(
		total=len(rows),
		major=sum(1 for row in rows if row.is_major),
		substantiated=sum(1 for row in rows if row.validity == "Accepted"),
		by_category=by_category,
		by_severity=by_severity,
		chart=bar_chart(
			[label for label, _count in by_category],
			[(_("Complaints"), [count for _label, count in by_category])],
			_("Complaints by Category"),
		),
	)


def tally(values) -> list[tuple[str, int]]:
	counts = {}
	for value in values:
		label = value or _("Not Set")
		counts[label] = counts.get(label, 0) + 1
	return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def major_complaints(company: str, start, end) -> list:
	"""Major complaints received in the period, oldest first: number, received on, category,
	severity, status and validity (no subject, no party)."""
	return frappe.get_list(
		"Complaint",
		filters=[*received(company, start, end), ["Complaint", "is_major", "=", 1]],
		fields=["name", "received_on", "complaint_category", "severity", "status", "validity"],
		order_by="received_on asc, name asc",
		limit_page_length=0,
	)


# ------------------------------------------------------------------ trends


def trends(doc, start, end) -> frappe._dict | None:
	"""The Complaint Trends report for the period, through Frappe's report runner: its tables,
	summary and chart. None when the site has no such report; ``failed`` when it raised (logged),
	so the pack still comes out with the counts of the period."""
	if not frappe.db.exists("Report", TRENDS_REPORT):
		return None
	from frappe.desk.query_report import run

	filters = {
		"company": doc.company,
		"from_date": str(start),
		"to_date": str(end),
		"periodicity": "Quarter" if doc.period_type == "Quarter" else "Month",
	}
	try:
		result = run(TRENDS_REPORT, filters=filters, ignore_prepared_report=True, are_default_filters=False)
	except Exception:
		frappe.log_error(title=f"Complaint Review {doc.name}: {TRENDS_REPORT} failed")
		return frappe._dict(failed=True)
	columns = [frappe._dict(col) for col in result.get("columns") or [] if isinstance(col, dict)]
	rows = []
	for row in result.get("result") or []:
		if isinstance(row, dict):
			rows.append([cell(row.get(col.fieldname), col) for col in columns])
		elif isinstance(row, list | tuple):
			rows.append([cell(value, col) for value, col in zip(row, columns, strict=False)])
	labels = [col.label or col.fieldname for col in columns]
	if len(labels) > WIDE and rows and len(rows) <= WIDE:
		# many figures over few periods: one line per figure fits the page
		labels, rows = (
			[labels[0], *(row[0] for row in rows)],
			[[label, *(row[i] for row in rows)] for i, label in enumerate(labels) if i],
		)
	return frappe._dict(
		failed=False,
		columns=labels,
		rows=rows,
		summary=[
			frappe._dict(label=item.get("label"), value=cell(item.get("value"), frappe._dict(item)))
			for item in result.get("report_summary") or []
			if isinstance(item, dict)
		],
		chart=chart_of(result.get("chart")),
	)


def cell(value, df) -> str:
	if value is None or value == "":
		return ""
	text = frappe.format_value(value, df=df) if df.get("fieldtype") else str(value)
	return frappe.utils.strip_html(str(text))


def chart_of(chart) -> str:
	"""A Frappe chart definition (``{"data": {"labels", "datasets"}}``) drawn as SVG bars."""
	data = (chart or {}).get("data") or {}
	datasets = [
		(dataset.get("name") or "", dataset.get("values") or [])
		for dataset in data.get("datasets") or []
		if isinstance(dataset, dict)
	]
	return bar_chart(data.get("labels") or [], datasets[:6], (chart or {}).get("title") or "")


# ------------------------------------------------------------------ CAPA


def open_capas(company: str) -> list:
	"""CAPAs of the company still open when the pack is made: responsible, next due action,
	status; ``overdue`` when an open action is past its due date."""
	capas = frappe.get_list(
		"CAPA",
		filters={"company": company, "status": OPEN_CAPA},
		fields=["name", "title", "capa_type", "responsible", "raised_on", "status"],
		order_by="raised_on asc, name asc",
		limit_page_length=0,
	)
	if not capas:
		return []
	due = {}
	for action in frappe.get_list(
		"CAPA Action",
		parent_doctype="CAPA",
		filters={"parenttype": "CAPA", "parent": ("in", [c.name for c in capas]), "status": "Open"},
		fields=["parent", "due_date"],
		limit_page_length=0,
	):
		if action.due_date and (action.parent not in due or action.due_date < due[action.parent]):
			due[action.parent] = action.due_date
	today = getdate()
	for capa in capas:
		capa.responsible_name = get_fullname(capa.responsible) if capa.responsible else ""
		capa.due_date = due.get(capa.name)
		capa.overdue = bool(capa.due_date and getdate(capa.due_date) < today)
	return capas


def effectiveness_checks(company: str, start, end) -> list:
	"""Effectiveness checks recorded in the period on the company's CAPAs: an effective one closes
	the CAPA, an ineffective one sends it back for new actions."""
	checks = frappe.get_list(
		"CAPA Effectiveness Check",
		parent_doctype="CAPA",
		filters=[
			["CAPA Effectiveness Check", "parenttype", "=", "CAPA"],
			["CAPA Effectiveness Check", "checked_on", "between", [start, end]],
		],
		fields=["parent", "checked_on", "result"],
		order_by="checked_on asc",
		limit_page_length=0,
	)
	if not checks:
		return []
	capas = {
		capa.name: capa
		for capa in frappe.get_list(
			"CAPA",
			filters={"company": company, "name": ("in", list({c.parent for c in checks}))},
			fields=["name", "title", "status"],
			limit_page_length=0,
		)
	}
	out = []
	for check in checks:
		if capa := capas.get(check.parent):
			out.append(frappe._dict(check, title=capa.title, status=capa.status))
	return out


# ------------------------------------------------------------------ appeals


def appeals_of(company: str, start, end) -> list:
	"""Appeals filed or decided in the period, with their status and outcome (no appellant)."""
	return frappe.get_list(
		"Complaint Appeal",
		filters={"company": company},
		or_filters=[
			["Complaint Appeal", "filed_on", "between", [start, end]],
			["Complaint Appeal", "decided_on", "between", [start, end]],
		],
		fields=["name", "complaint", "decision_name", "filed_on", "status", "outcome", "decided_on"],
		order_by="filed_on asc, name asc",
		limit_page_length=0,
	)


# ------------------------------------------------------------------ satisfaction


def satisfaction_of(company: str, start, end) -> frappe._dict | None:
	"""The complainants' satisfaction given in the period: ``rows`` of (answer, at closure, in the
	survey, total), how many answered and the share satisfied. From ``satisfaction_summary``
	(closure answers and survey responses) where the app has it, else from the complaints'
	*satisfaction* field; None when the site records no satisfaction."""
	try:
		from complaint_handling.intake.satisfaction import satisfaction_summary
	except ImportError:
		satisfaction_summary = None
	if satisfaction_summary:
		summary = satisfaction_summary(company, start, end)
		closure, survey, total = (summary[part]["counts"] for part in ("closure", "survey", "total"))
		return frappe._dict(
			rows=[
				(answer, closure.get(answer, 0), survey.get(answer, 0), count)
				for answer, count in total.items()
			],
			answered=summary["total"]["answered"],
			satisfied_share=summary["total"]["satisfied_share"],
			with_survey=True,
		)
	meta = frappe.get_meta("Complaint")
	if not meta.has_field("satisfaction"):
		return None
	recorded = "satisfaction_recorded_on" if meta.has_field("satisfaction_recorded_on") else "closed_on"
	answers = frappe.get_list(
		"Complaint",
		filters=[
			["Complaint", "company", "=", company],
			["Complaint", recorded, "between", [start, end]],
			["Complaint", "satisfaction", "is", "set"],
		],
		pluck="satisfaction",
		limit_page_length=0,
	)
	options = [o for o in (meta.get_field("satisfaction").options or "").split("\n") if o]
	return frappe._dict(
		rows=[(option, answers.count(option), None, answers.count(option)) for option in options],
		answered=len(answers),
		satisfied_share=flt(100 * answers.count(SATISFIED) / len(answers), 1) if answers else None,
		with_survey=False,
	)
