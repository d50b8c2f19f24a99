"""Report benchmark (issue 14): the Complaint Register and Complaint Trends over 100,000 generated
complaints, beside ERPNext's own Issue Analytics and Issue Summary over as many Issues on the same
site. Prints its figures; it asserts nothing.

    bench --site <bench-site> execute complaint_handling.benchmarks.reports.run \\
        [--kwargs "{'count': 100000, 'seed': 11, 'remove': 1}"]

Use a site of its own (it commits): the complaints come from ``benchmarks.generator`` (named
``BENCHR-…``, with their complainants, investigations, CAPAs and appeals) over the last 365 days, the
Issues are inserted the same way (``BENCHR-ISS-…``: customer, type, priority, status, response and
resolution times). Both stay for the next run (made again only when the count differs) unless
``remove`` is set.

Each report runs over the whole year for the company, ours as a quality manager (so with the
permission conditions of ``frappe.get_list``; ERPNext's reports read with ``frappe.db.get_all``,
without any), each the best of ``repeats`` runs, two ways:

- its ``execute`` with the dates as ``date`` objects, with the SQL statements of one run counted;
- as the desk runs it: ``frappe.desk.query_report.run`` with the filters as the browser sends them
  (JSON, dates as text), then the response encoded as ``frappe.utils.response.as_json`` encodes it.

ERPNext's two reports are aggregates of a few dozen rows; the Register lists every complaint.
ERPNext has no register of Issues, so the Register is also set beside the desk's own listing of
every row: the Report view of Issue with as many columns (``frappe.get_list``, and as the desk
runs it ``frappe.desk.reportview.get`` and its response's JSON).
"""

import json
import random
import time
from datetime import datetime, timedelta
from functools import partial

import frappe
from frappe.utils import add_days, getdate, now_datetime, today

from complaint_handling.benchmarks import generator
from complaint_handling.benchmarks.sla import counting_queries

PREFIX = "BENCHR-"
ISSUE_PREFIX = "BENCHR-ISS-"
QM = "bench-qm@example.com"


# label -> report name, filters besides the period, whether it is ours
REPORTS = {
	"Complaint Register": ("Complaint Register", {}, True),
	"Complaint Trends (month, figures)": ("Complaint Trends", {"view": "Period"}, True),
	"Complaint Trends (quarter, by customer)": (
		"Complaint Trends",
		{"view": "Customer", "periodicity": "Quarter"},
		True,
	),
	"Issue Analytics (monthly, by customer)": (
		"Issue Analytics",
		{"based_on": "Customer", "range": "Monthly"},
		False,
	),
	"Issue Summary (by customer)": ("Issue Summary", {"based_on": "Customer"}, False),
}


# ERPNext's listing of every row: the Report view of Issue, 26 columns (a Register row has 26 values)
LISTING = "Issue Report view (every row, 26 columns)"
LISTING_FIELDS = (
	"name",
	"subject",
	"status",
	"priority",
	"issue_type",
	"customer",
	"company",
	"opening_date",
	"opening_time",
	"raised_by",
	"first_responded_on",
	"first_response_time",
	"avg_response_time",
	"resolution_date",
	"resolution_time",
	"user_resolution_time",
	"total_hold_time",
	"agreement_status",
	"response_by",
	"resolution_by",
	"service_level_agreement",
	"contact",
	"lead",
	"project",
	"via_customer_portal",
	"_assign",
)


def run(count: int = 100_000, seed: int = 11, repeats: int = 3, remove: int = 0):
	print("complaint_handling report benchmark on", frappe.local.site)
	company = frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	prepare(count, seed, company)
	to_date = getdate(today())
	from_date = add_days(to_date, -365)
	print(
		f"\n{frappe.db.count('Complaint', {'name': ('like', f'{PREFIX}%')}):,} complaints, "
		f"{frappe.db.count('Issue', {'name': ('like', f'{ISSUE_PREFIX}%')}):,} issues; "
		f"{from_date} to {to_date}; best of {repeats}",
		flush=True,
	)
	executed, desk = {}, {}
	for label, (name, extra, ours) in REPORTS.items():
		execute = frappe.get_attr(f"{report_module(name)}.execute")
		period = {"company": company, "from_date": from_date, "to_date": to_date, **extra}
		browser = frappe.as_json({**period, "from_date": str(from_date), "to_date": str(to_date)})
		frappe.set_user(QM if ours else "Administrator")
		try:
			# a fresh dict each run: a report may change the one it is given
			executed[label] = timed(partial(lambda e, p: e(frappe._dict(p)), execute, period), repeats)
			desk[label] = timed(partial(as_the_desk, name, browser), repeats)
		finally:
			frappe.set_user("Administrator")
		print(
			f"    ({label}: {executed[label][0]:.3f} s, {desk[label][0]:.3f} s as the desk runs it)",
			flush=True,
		)
	listing = listing_form(company, from_date, to_date)
	executed[LISTING] = timed(lambda: [None, frappe.get_list(**listing)], repeats)
	desk[LISTING] = timed(partial(report_view_as_the_desk, listing), repeats)
	print(
		f"    ({LISTING}: {executed[LISTING][0]:.3f} s, {desk[LISTING][0]:.3f} s as the desk runs it)",
		flush=True,
	)
	for title, results in (
		("execute() with date objects", executed),
		("as the desk runs it: query_report.run with the browser's filters, and the response's JSON", desk),
	):
		print(f"\n    {title}")
		width = max(len(label) for label in results)
		for label, (seconds, queries, rows) in results.items():
			print(f"    {label:<{width}} : {seconds:7.3f} s  {queries:3d} queries  {rows:7,} rows")
		theirs = {label: results[label][0] for label, (_n, _e, ours) in REPORTS.items() if not ours}
		print("    ratio to ERPNext (ours / theirs; below 1 is faster)")
		for label, (name, _extra, ours) in REPORTS.items():
			if ours:
				# the listing is the like of the Register only
				others = {**theirs, LISTING: results[LISTING][0]} if name == "Complaint Register" else theirs
				ratios = ", ".join(f"{results[label][0] / t:5.2f} x {other}" for other, t in others.items())
				print(f"    {label:<{width}} : {ratios}")
	if remove:
		cleanup()


def report_module(name: str) -> str:
	"""The module of a standard Script Report, as Frappe finds it."""
	report = frappe.get_doc("Report", name)
	app = frappe.local.module_app[frappe.scrub(report.module)]
	scrubbed = frappe.scrub(name)
	return f"{app}.{frappe.scrub(report.module)}.report.{scrubbed}.{scrubbed}"


def as_the_desk(name: str, filters: str) -> list:
	"""``name`` run as the desk asks for it, its response encoded as Frappe encodes it; its rows."""
	from frappe.desk.query_report import run as run_report
	from frappe.utils.response import json_handler

	result = run_report(name, filters=filters)
	json.dumps({"message": result}, default=json_handler, separators=(",", ":"))
	return [None, result["result"]]


def listing_form(company: str, from_date, to_date) -> dict:
	"""The Issue Report view's request for the benchmark's Issues of the year, newest first, all rows
	(``page_length`` 0), as ``frappe.get_list`` keywords."""
	meta = frappe.get_meta("Issue")
	fields = [f for f in LISTING_FIELDS if f in ("name", "_assign") or meta.has_field(f)]
	return {
		"doctype": "Issue",
		"fields": [f"`tabIssue`.`{field}`" for field in fields],
		"filters": [
			["Issue", "company", "=", company],
			["Issue", "opening_date", "between", [str(from_date), str(to_date)]],
		],
		"order_by": "`tabIssue`.`opening_date` desc",
		"limit_page_length": 0,
	}


def report_view_as_the_desk(listing: dict) -> list:
	"""The Report view's request for ``listing`` as the desk sends it, its response encoded as Frappe
	encodes it; its rows."""
	from frappe.desk.reportview import get
	from frappe.utils.response import json_handler

	frappe.local.form_dict = frappe._dict(
		doctype=listing["doctype"],
		fields=json.dumps(listing["fields"]),
		filters=json.dumps(listing["filters"]),
		order_by=listing["order_by"],
		start=0,
		page_length=listing["limit_page_length"],
		view="Report",
		with_comment_count=0,
	)
	result = get()
	json.dumps({"message": result}, default=json_handler, separators=(",", ":"))
	return [None, result["values"]]


def timed(report, repeats: int) -> tuple[float, int, int]:
	"""Best time of ``repeats`` runs, the SQL statements of the first, and its rows."""
	runs = []
	with counting_queries() as queries:
		out = report()
	first = queries["n"]
	for _run in range(repeats):
		began = time.perf_counter()
		out = report()
		runs.append(time.perf_counter() - began)
	rows = out[1] if isinstance(out, list | tuple) else []
	return min(runs), first, len(rows or [])


def prepare(count: int, seed: int, company: str) -> None:
	from complaint_handling.tests.utils import ensure_user

	ensure_user(QM, ["Complaint Quality Manager"])
	have = frappe.db.count("Complaint", {"name": ("like", f"{PREFIX}%")})
	if have != count:
		cleanup()
		began = time.perf_counter()
		made = generator.generate(count=count, seed=seed, company=company, prefix=PREFIX)
		print(f"generated in {time.perf_counter() - began:.1f} s: {made}")
	if frappe.db.count("Issue", {"name": ("like", f"{ISSUE_PREFIX}%")}) != count:
		frappe.db.delete("Issue", {"name": ("like", f"{ISSUE_PREFIX}%")})
		began = time.perf_counter()
		seed_issues(count, seed, company)
		print(f"{count:,} issues in {time.perf_counter() - began:.1f} s")
	frappe.db.commit()


def seed_issues(count: int, seed: int, company: str) -> None:
	"""Issues over the last 365 days, their customers those of the generated complaints."""
	rng = random.Random(seed)
	customers = generator.ensure_customers(generator.CUSTOMERS)
	for priority in ("Low", "Medium", "High"):
		if not frappe.db.exists("Issue Priority", priority):
			frappe.get_doc({"doctype": "Issue Priority", "name": priority}).insert(ignore_permissions=True)
	types = [t for t in ("Complaint", "Question", "Bug") if frappe.db.exists("Issue Type", t)]
	for t in ("Complaint", "Question", "Bug"):
		if t not in types:
			frappe.get_doc({"doctype": "Issue Type", "name": t}).insert(ignore_permissions=True)
	now = now_datetime()
	fields = [
		"name",
		"subject",
		"status",
		"priority",
		"issue_type",
		"customer",
		"company",
		"opening_date",
		"opening_time",
		"raised_by",
		"first_response_time",
		"avg_response_time",
		"resolution_time",
		"user_resolution_time",
		"total_hold_time",
		"agreement_status",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"docstatus",
	]
	rows = []
	for i in range(count):
		opened: datetime = now - timedelta(seconds=rng.uniform(0, 365 * 86400))
		closed = rng.random() < 0.8
		rows.append(
			(
				f"{ISSUE_PREFIX}{i:07d}",
				f"Benchmark issue {i}",
				rng.choice(("Closed", "Resolved")) if closed else rng.choice(("Open", "Replied", "On Hold")),
				rng.choice(("Low", "Medium", "High")),
				rng.choice(("Complaint", "Question", "Bug")),
				customers[min(int(rng.paretovariate(1.2)) - 1, len(customers) - 1)],
				company,
				opened.date(),
				opened.time().replace(microsecond=0),
				f"issue-{i}@generated.invalid",
				rng.uniform(600, 86400),
				rng.uniform(600, 86400),
				rng.uniform(3600, 10 * 86400) if closed else None,
				rng.uniform(3600, 10 * 86400) if closed else None,
				rng.uniform(0, 3600),
				rng.choice(("Fulfilled", "Failed", "First Response Due", "Resolution Due")),
				now,
				now,
				"Administrator",
				"Administrator",
				0,
			)
		)
	for at in range(0, len(rows), generator.BATCH):
		frappe.db.bulk_insert("Issue", fields, rows[at : at + generator.BATCH])


def cleanup() -> None:
	generator.remove(PREFIX)
	frappe.db.delete("Issue", {"name": ("like", f"{ISSUE_PREFIX}%")})
	frappe.db.commit()
