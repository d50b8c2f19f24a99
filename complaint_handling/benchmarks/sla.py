"""SLA benchmark: prints its figures; it asserts nothing.

    bench --site <test-site> execute complaint_handling.benchmarks.sla.run

Use a test site: it inserts complaints named BENCH-… (removed at the end) and commits.

1. Deadline computations per second with a 30-holiday list, ours next to ERPNext's
   ``get_expected_time_for`` on the same inputs, and the queries each one costs.
2. The reminder/escalation sweep with 100,000 open complaints of which 1,000 are due, then with
   200,000 open and the same 1,000 due.
3. The queries of one complaint insert and one save with the SLA applied.
"""

import random
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_days, get_datetime, now_datetime

from complaint_handling.engine import reminders
from complaint_handling.rules.working_time import WORKING_HOURS, WorkingCalendar

PREFIX = "BENCH-"
HOLIDAY_LIST = "_Bench Complaint Holidays"
DEADLINE_SAMPLES = 20_000
ERPNEXT_SAMPLES = 2_000
# the machine is shared: every timing is the best of a few runs, each run printed for the sweep
REPEATS = 3


def run():
	random.seed(17)
	print("complaint_handling SLA benchmark on", frappe.local.site)
	try:
		deadline_rate()
		sweep_scaling()
		save_queries()
	finally:
		cleanup()


@contextmanager
def counting_queries():
	"""Count the SQL statements sent while the block runs."""
	counter = {"n": 0}
	original = frappe.db.sql

	def counted(*args, **kwargs):
		counter["n"] += 1
		return original(*args, **kwargs)

	frappe.db.sql = counted
	try:
		yield counter
	finally:
		frappe.db.sql = original


def holidays_2026() -> list:
	days = sorted(random.sample(range(365), 30))
	return [datetime(2026, 1, 1).date() + timedelta(days=d) for d in days]


def deadline_rate():
	holidays = holidays_2026()
	if frappe.db.exists("Holiday List", HOLIDAY_LIST):
		frappe.delete_doc("Holiday List", HOLIDAY_LIST, force=True)
	frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": HOLIDAY_LIST,
			"from_date": "2026-01-01",
			"to_date": "2027-12-31",
			"holidays": [{"holiday_date": d, "description": "Holiday"} for d in holidays],
		}
	).insert()
	frappe.db.commit()

	hours = {
		d: [(datetime.min.time().replace(hour=9), datetime.min.time().replace(hour=17))] for d in range(5)
	}
	starts = [
		datetime(2026, 1, 1) + timedelta(minutes=random.randrange(0, 330 * 24 * 60))
		for _ in range(DEADLINE_SAMPLES)
	]
	allotted_hours = 48

	ours_runs = []
	with counting_queries() as queries:
		for _run in range(REPEATS):
			began = time.perf_counter()
			calendar = WorkingCalendar(hours, holidays)  # built once, as the app builds it per holiday list
			ours = [calendar.deadline(start, allotted_hours, WORKING_HOURS) for start in starts]
			ours_runs.append(time.perf_counter() - began)
	ours_seconds = min(ours_runs)

	from erpnext.support.doctype.service_level_agreement.service_level_agreement import get_expected_time_for

	weekdays = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
	service_level = frappe._dict(
		response_time=allotted_hours * 3600,
		holiday_list=HOLIDAY_LIST,
		support_and_resolution=[
			frappe._dict(workday=day, start_time=timedelta(hours=9), end_time=timedelta(hours=17))
			for day in weekdays
		],
	)
	sample = starts[:ERPNEXT_SAMPLES]
	erpnext_runs = []
	with counting_queries() as erpnext_queries:
		for _run in range(REPEATS):
			began = time.perf_counter()
			theirs = [get_expected_time_for("response", service_level, start) for start in sample]
			erpnext_runs.append(time.perf_counter() - began)
	erpnext_seconds = min(erpnext_runs)

	same = sum(1 for a, b in zip(ours, theirs, strict=False) if a == get_datetime(b))
	ours_rate, erpnext_rate = len(starts) / ours_seconds, len(sample) / erpnext_seconds
	print("\n[1] deadline computations, 48 working hours, Mon-Fri 09:00-17:00, 30 holidays")
	print(
		f"    complaint_handling : {ours_rate:>10,.0f} /s  ({queries['n'] / (REPEATS * len(starts)):.2f} queries each, best of {REPEATS} x {len(starts):,})"
	)
	print(
		f"    ERPNext            : {erpnext_rate:>10,.0f} /s  ({erpnext_queries['n'] / (REPEATS * len(sample)):.2f} queries each, best of {REPEATS} x {len(sample):,})"
	)
	print(
		f"    ratio              : {ours_rate / erpnext_rate:>10.1f} x ERPNext; same result on {same}/{len(sample)} inputs"
	)


def seed_open_complaints(count: int, start_index: int, due: bool, now: datetime):
	"""Insert open complaints directly; due ones have their first-response reminder pending."""
	company = frappe.defaults.get_global_default("company")
	handlers = frappe.get_all("User", filters={"name": ("like", "ch-handler%")}, pluck="name") or [
		"Administrator"
	]
	rows = []
	for i in range(start_index, start_index + count):
		# due: the first response is 3 h away, so its reminder (8 h before) has come
		received = (
			now - timedelta(hours=45, minutes=random.randrange(0, 180))
			if due
			else now - timedelta(hours=random.randrange(1, 20))
		)
		respond_by = received + timedelta(hours=48)
		next_check = now - timedelta(minutes=5) if due else add_days(now, 1)
		rows.append(
			(
				f"{PREFIX}{i:07d}",
				"Benchmark complaint",
				company,
				"Registered",
				"Registered",
				received,
				"Standard",
				"Product Quality",
				"II",
				"Seeded for the SLA benchmark",
				"Email",
				received,
				received + timedelta(hours=24),
				respond_by,
				received + timedelta(days=7),
				"Met",
				"On Track",
				"On Track",
				next_check,
				frappe.as_json([handlers[i % len(handlers)]], indent=None),
				now,
				now,
				"Administrator",
				"Administrator",
			)
		)
	frappe.db.bulk_insert(
		"Complaint",
		[
			"name",
			"subject",
			"company",
			"status",
			"workflow_state",
			"received_on",
			"sla_policy",
			"complaint_category",
			"severity",
			"description",
			"channel",
			"acknowledged_on",
			"acknowledge_by",
			"respond_by",
			"resolve_by",
			"acknowledgement_sla_status",
			"response_sla_status",
			"resolution_sla_status",
			"next_sla_check",
			"_assign",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		rows,
	)
	frappe.db.commit()


def timed_sweep(now: datetime) -> float:
	began = time.perf_counter()
	reminders.sweep(now)
	return time.perf_counter() - began


def rearm_due(now: datetime):
	due = frappe.get_all(
		"Complaint", filters={"name": ("like", f"{PREFIX}%"), "subject": "Benchmark due"}, pluck="name"
	)
	frappe.db.delete("Complaint SLA Event", {"reference_name": ("like", f"{PREFIX}%")})
	frappe.db.delete("Notification Log", {"document_name": ("like", f"{PREFIX}%")})
	table = frappe.qb.DocType("Complaint")
	frappe.qb.update(table).set(table.next_sla_check, now - timedelta(minutes=5)).set(
		table.response_sla_status, "On Track"
	).where(table.name.isin(due)).run()
	frappe.db.commit()


def sweep_scaling():
	cleanup()
	now = now_datetime()
	seed_open_complaints(99_000, 0, due=False, now=now)
	# a worker has its modules imported and caches warm: one small sweep first, not timed
	seed_open_complaints(10, 300_000, due=True, now=now)
	reminders.sweep(now)
	seed_open_complaints(1_000, 99_000, due=True, now=now)
	frappe.db.sql(
		"update tabComplaint set subject='Benchmark due' where name like %s and next_sla_check < %s",
		(f"{PREFIX}%", now),
	)
	frappe.db.commit()
	events_before = frappe.db.count("Complaint SLA Event", {"reference_name": ("like", f"{PREFIX}%")})
	mails_before = frappe.db.count("Email Queue", {"reference_name": ("like", f"{PREFIX}%")})
	with counting_queries() as queries:
		first = [timed_sweep(now)]
	events = (
		frappe.db.count("Complaint SLA Event", {"reference_name": ("like", f"{PREFIX}%")}) - events_before
	)
	mails = frappe.db.count("Email Queue", {"reference_name": ("like", f"{PREFIX}%")}) - mails_before
	for _run in range(REPEATS - 1):
		rearm_due(now)
		first.append(timed_sweep(now))

	seed_open_complaints(100_000, 100_000, due=False, now=now)
	second = []
	for _run in range(REPEATS):
		rearm_due(now)
		second.append(timed_sweep(now))
	growth = 100 * (min(second) - min(first)) / min(first)
	print(f"\n[2] reminder/escalation sweep (1,000 due; best of {REPEATS}, all runs in brackets)")
	print(
		f"    100,000 open : {min(first):6.3f} s  ({', '.join(f'{t:.3f}' for t in first)}; "
		f"{queries['n']} queries, {events} events claimed, {mails} digest emails queued)"
	)
	print(
		f"    200,000 open : {min(second):6.3f} s  ({', '.join(f'{t:.3f}' for t in second)}; growth {growth:+.1f} %)"
	)


def save_queries():
	complaint = frappe.get_doc(
		{
			"doctype": "Complaint",
			"subject": "Benchmark save",
			"company": frappe.defaults.get_global_default("company"),
			"complainant_name": "Bench",
			"description": "Query count of one save",
			"complaint_category": "Product Quality",
			"severity": "II",
		}
	)
	complaint.insert()  # warm caches: policies, settings, calendar
	complaint = frappe.get_doc("Complaint", complaint.name)
	with counting_queries() as insert_queries:
		frappe.get_doc(
			{
				"doctype": "Complaint",
				"subject": "Benchmark save 2",
				"company": complaint.company,
				"complainant_name": "Bench",
				"description": "Query count of one insert",
				"complaint_category": "Product Quality",
				"severity": "II",
			}
		).insert()
	complaint.subject = "Benchmark save, edited"
	with counting_queries() as save_queries_:
		complaint.save()
	frappe.db.rollback()
	print("\n[3] queries with the SLA applied")
	print(f"    insert of one complaint : {insert_queries['n']}")
	print(f"    save of one complaint   : {save_queries_['n']}")


def cleanup():
	frappe.db.delete("Complaint SLA Event", {"reference_name": ("like", f"{PREFIX}%")})
	frappe.db.delete("Notification Log", {"document_name": ("like", f"{PREFIX}%")})
	for queue in frappe.get_all("Email Queue", {"reference_name": ("like", f"{PREFIX}%")}, pluck="name"):
		frappe.db.delete("Email Queue Recipient", {"parent": queue})
		frappe.db.delete("Email Queue", queue)
	frappe.db.delete("Complaint", {"name": ("like", f"{PREFIX}%")})
	if frappe.db.exists("Holiday List", HOLIDAY_LIST):
		frappe.delete_doc("Holiday List", HOLIDAY_LIST, force=True)
	frappe.db.commit()
