"""A deterministic year of complaints for the report tests and the report benchmark (issue 14).

    bench --site <site> execute complaint_handling.benchmarks.generator.generate \\
        --kwargs "{'count': 2000, 'seed': 7}"
    bench --site <site> execute complaint_handling.benchmarks.generator.remove

The same ``seed`` and ``count`` give the same complaints on any site with the seeded categories and
severities: received dates over the chosen year (working hours mostly, some out of hours), channel,
category, severity, customer, item and batch, major ones, and each case's progress by its age:
status, validity, the acknowledged, first-response, reply and closure dates, loss amounts and
satisfaction, and for some an approved investigation with its 6M cause, a CAPA (actions, some
overdue, effectiveness checks) and an appeal with its outcome.

The records are consistent with what the app would have stored: deadlines and clock statuses come
from the site's own SLA policy, company calendar and ``rules.service_levels`` (the functions the
complaint's save uses), the working hours to each step from ``service_levels.working_hours``, dates follow each other (received, acknowledged, first response, reply,
closure), a status has exactly the dates and validity its workflow requires, and each complainant
is a *Complainant* record, not contacts on the case. They are written with multi-row inserts (a
hundred thousand in about a minute), named ``<prefix>…`` so :func:`remove` finds them. Nothing is
sent and no reminder is due: ``next_sla_check`` stays empty, so the scheduler leaves them alone.
Use a test or benchmark site.
"""

import json
import random
from datetime import datetime, time, timedelta

import frappe
from frappe.utils import add_days, getdate, now_datetime

from complaint_handling.rules.service_levels import (
	CLOCKS,
	clock_rule,
	deadline,
	overall_status,
	remind_at,
	status,
)
from complaint_handling.rules.service_levels import match_policy as match
from complaint_handling.rules.working_time import WorkingClock
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.service_levels.policies import get_policies
from complaint_handling.service_levels.working_hours import STEPS, hours_between

PREFIX = "GEN-"
CUSTOMERS = 60
ITEMS = 30
CHANNELS = {
	"Email": 30,
	"Phone": 25,
	"Web Form": 15,
	"Portal": 8,
	"Letter": 5,
	"Walk-in": 6,
	"Social Media": 4,
	"Third Party": 4,
	"Internal": 3,
}
PRODUCT_CATEGORIES = frozenset({"Product Quality", "Spare Parts", "Test Report"})
SEVERITY_WEIGHTS = {"I": 1, "II": 4, "III": 8}
CAUSES = ("Man", "Machine", "Method", "Material", "Measurement", "Environment")
SATISFACTION = (("Satisfied", 60), ("Partly Satisfied", 25), ("Not Satisfied", 15))
LOSS_TYPES = ("Refund", "Replacement", "Compensation", "Rework", "Other")
BATCH = 2000  # rows per INSERT


def generate(
	count: int = 2000,
	seed: int = 7,
	year: int | None = None,
	company: str | None = None,
	prefix: str = PREFIX,
	commit: bool = True,
) -> dict:
	"""Insert ``count`` complaints received in ``year`` (default: the last 365 days) for ``company``
	(default: the site's), with their complainants, investigations, CAPAs and appeals. Returns what
	it made, by DocType."""
	rng = random.Random(seed)
	company = (
		company or frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name")[0]
	)
	now = now_datetime().replace(microsecond=0)
	if year:
		start, end = datetime(year, 1, 1), min(datetime(year + 1, 1, 1), now)
	else:
		start, end = now - timedelta(days=365), now
	world = World(rng, company, prefix, now)
	made = {doctype: [] for doctype in TABLES}
	for i in range(count):
		received = received_on(rng, start, end)
		world.complaint(i, received, made)
	for doctype, rows in made.items():
		insert(doctype, rows)
	if commit:
		frappe.db.commit()
	return {doctype: len(rows) for doctype, rows in made.items()}


def remove(prefix: str = PREFIX, commit: bool = True) -> None:
	"""Delete everything :func:`generate` made with ``prefix`` (customers and items are kept)."""
	like = f"{prefix}%"
	for doctype in TABLES:
		if frappe.get_meta(doctype).istable:
			frappe.db.delete(doctype, {"parent": ("like", like)})
		else:
			frappe.db.delete(doctype, {"name": ("like", like)})
	if commit:
		frappe.db.commit()


# ------------------------------------------------------------------ one complaint


class World:
	"""The site's categories, severities, policy, calendar, and the customers and items to use."""

	def __init__(self, rng: random.Random, company: str, prefix: str, now: datetime):
		self.rng, self.company, self.prefix, self.now = rng, company, prefix, now
		self.categories = sorted(frappe.get_all("Complaint Category", filters={"disabled": 0}, pluck="name"))
		self.severities = sorted(frappe.get_all("Complaint Severity", pluck="name"))
		self.severity_weights = [SEVERITY_WEIGHTS.get(s, 2) for s in self.severities]
		self.policies = get_policies()
		self.calendar = get_calendar(company)
		self.clock = WorkingClock(self.calendar)  # the calendar's answers, for many spans at once
		self.currency = frappe.get_cached_value("Company", company, "default_currency")
		self.customers = ensure_customers(CUSTOMERS)
		self.items = ensure_items(ITEMS)
		self.handlers = sorted(
			frappe.get_all(
				"Has Role", filters={"role": "Complaint Handler", "parenttype": "User"}, pluck="parent"
			)
		) or ["Administrator"]
		self.user = "Administrator"

	def pick(self, weights: dict):
		return self.rng.choices(list(weights), weights=list(weights.values()))[0]

	def working(self, moment: datetime, hours: float) -> datetime:
		return self.calendar.add(moment, timedelta(hours=hours)).replace(microsecond=0)

	def complaint(self, i: int, received: datetime, made: dict) -> None:
		rng = self.rng
		name = f"{self.prefix}{i:07d}"
		category = rng.choice(self.categories)
		severity = rng.choices(self.severities, weights=self.severity_weights)[0]
		is_major = int(rng.random() < (0.5 if severity == "I" else 0.04))
		# customers for most (a few heavy ones), items for the product categories: recurrences happen
		customer = None
		if rng.random() < 0.7:
			customer = self.customers[min(int(rng.paretovariate(1.0)) - 1, len(self.customers) - 1)]
			if rng.random() < 0.5:
				customer = rng.choice(self.customers)
		item = None
		if category in PRODUCT_CATEGORIES or rng.random() < 0.2:
			item = rng.choice(self.items)
		age = (self.now - received).days
		stage = progress(rng, age)

		acknowledged = first_response = responded = closed = None
		validity, reopen_count = "Pending", 0
		# a registered complaint may have had its acknowledgement by email already
		if stage >= 2 or (stage == 1 and rng.random() < 0.5):
			acknowledged = min(self.working(received, rng.lognormvariate(1.2, 0.9)), self.now)
		if stage >= 3 or (stage == 2 and rng.random() < 0.5):
			first_response = min(self.working(acknowledged, rng.lognormvariate(2.0, 0.8)), self.now)
		status_ = STAGES[stage]
		if stage >= 4 or status_ == "Rejected":
			validity = rng.choices(("Accepted", "Not Substantiated", "Out of Scope"), weights=(60, 30, 10))[0]
		if status_ == "Rejected":
			validity = rng.choice(("Not Substantiated", "Out of Scope"))
		if status_ in ("Responded", "Closed", "Rejected", "Reopened"):
			responded = min(self.working(first_response, rng.lognormvariate(3.0, 0.7)), self.now)
		if status_ == "Closed":
			closed = min(self.working(responded, rng.lognormvariate(3.3, 0.8)), self.now)
		if status_ == "Reopened":
			reopen_count = 1

		sla = self.clocks(received, is_major, category, severity, acknowledged, first_response, responded)
		stamps = {"acknowledged_on": acknowledged, "responded_on": responded, "closed_on": closed}
		hours = {
			field: hours_between(self.clock, received, stamps[stamp]) if stamps[stamp] else 0
			for field, stamp in STEPS
		}
		loss_amount = loss_type = None
		if validity == "Accepted" and rng.random() < 0.45:
			loss_amount = round(rng.lognormvariate(7.0, 1.1), 2)
			loss_type = rng.choice(LOSS_TYPES)
		satisfaction = None
		if status_ == "Closed" and rng.random() < 0.7:
			satisfaction = rng.choices([s for s, _w in SATISFACTION], weights=[w for _s, w in SATISFACTION])[
				0
			]

		complainant = f"{name}-P"
		made["Complainant"].append(
			{
				"name": complainant,
				"party_name": f"Generated Complainant {i}",
				"organisation": f"Generated Organisation {i}",
				"email": f"complainant-{i}@generated.invalid",
				"phone": f"+86 10 5555 {i % 10000:04d}",
			}
		)
		made["Complaint"].append(
			{
				"name": name,
				"subject": f"Generated complaint {i}: {category}",
				"company": self.company,
				"channel": self.pick(CHANNELS),
				"received_on": received,
				"status": status_,
				"workflow_state": status_,
				"complaint_category": category,
				"severity": severity,
				"customer": customer,
				"item_code": item,
				"batch_no": f"B{received:%y%m}-{rng.randrange(1, 40):03d}" if item else None,
				"description": "Generated for the report tests and benchmark.",
				"complainant": complainant,
				"is_major": is_major,
				"involves_safety": int(is_major and severity == "I"),
				"validity": validity,
				"validity_decided_by": self.user if validity != "Pending" else None,
				"validity_decided_on": (responded or first_response) if validity != "Pending" else None,
				"resolution": "Generated resolution." if validity != "Pending" else None,
				**stamps,
				"first_responded_on": first_response,
				**hours,
				"reopen_count": reopen_count,
				"loss_amount": loss_amount,
				"loss_type": loss_type,
				"currency": self.currency,
				"satisfaction": satisfaction,
				# given when the case was closed, as the desk stamps it (intake.satisfaction)
				"satisfaction_recorded_on": closed if satisfaction else None,
				"_assign": json.dumps([rng.choice(self.handlers)]) if stage >= 1 else None,
				**sla,
			}
		)
		if stage >= 3 and (severity != "III" or rng.random() < 0.3):
			self.investigation(name, received, category, item, customer, validity, made)
		if validity == "Accepted" and rng.random() < 0.15:
			self.capa(name, responded or first_response, made)
		if status_ in ("Closed", "Rejected", "Reopened") and rng.random() < 0.04:
			self.appeal(name, responded, customer, status_, made)

	def clocks(self, received, is_major, category, severity, acknowledged, first_response, responded) -> dict:
		"""Deadlines and clock statuses as the complaint's save computes them (no pauses)."""
		policy = match(self.policies, category, severity)
		if not policy:
			return {}
		met = {"acknowledgement": acknowledged, "response": first_response, "resolution": responded}
		out = {"sla_policy": policy.get("name")}
		statuses = []
		for clock in CLOCKS:
			rule = clock_rule(policy, clock, bool(is_major))
			due = deadline(self.calendar, received, rule)
			out[clock.deadline_field] = due
			out[clock.status_field] = status(
				due, remind_at(self.calendar, due, rule), met[clock.name], self.now
			)
			statuses.append(out[clock.status_field])
		out["sla_status"] = overall_status(statuses)
		return out

	def investigation(self, complaint, received, category, item, customer, validity, made) -> None:
		rng = self.rng
		decided = validity != "Pending"
		made["Complaint Investigation"].append(
			{
				"name": f"{complaint}-INV",
				"naming_series": "CINV-.YYYY.-",
				"complaint": complaint,
				"company": self.company,
				"customer": customer,
				"investigator": self.user,
				"status": "Approved" if decided else "In Progress",
				"workflow_state": "Approved" if decided else "In Progress",
				"complaint_category": category,
				"item_code": item,
				"root_cause_method": rng.choice(("5-Why", "Fishbone (6M)", "8D")),
				"cause_category": rng.choices(CAUSES, weights=(30, 15, 25, 15, 10, 5))[0]
				if decided
				else None,
				"root_cause": "Generated root cause." if decided else None,
				"conclusion": ("Substantiated" if validity == "Accepted" else "Not Substantiated")
				if decided
				else None,
				"approved_by": self.user if decided else None,
				"approved_on": self.working(received, 20) if decided else None,
			}
		)

	def capa(self, complaint, raised, made) -> None:
		rng = self.rng
		name = f"{complaint}-CAPA"
		raised_on = getdate(raised)
		age = (self.now.date() - raised_on).days
		state = (
			rng.choices(("Open", "Pending Verification", "Closed"), weights=(30, 10, 60))[0]
			if age > 30
			else "Open"
		)
		actions = []
		for n in range(rng.randint(1, 3)):
			due = add_days(raised_on, rng.randint(10, 60))
			done = state != "Open" or rng.random() < 0.4
			completed = min(add_days(raised_on, rng.randint(5, 70)), self.now.date()) if done else None
			actions.append(
				{
					"name": f"{name}-A{n}",
					"parent": name,
					"parenttype": "CAPA",
					"parentfield": "actions",
					"idx": n + 1,
					"action": f"Generated action {n + 1}",
					"action_owner": rng.choice(self.handlers),
					"due_date": due,
					"status": "Done" if done else "Open",
					"completed_on": completed,
					"evidence": "Generated evidence." if done else None,
				}
			)
		checks = []
		if state == "Closed":
			last = max(a["completed_on"] for a in actions)
			if rng.random() < 0.2:  # found ineffective first, new actions, then effective
				checks.append(check(name, len(checks), add_days(last, 20), "Ineffective", self.user))
			checks.append(
				check(
					name,
					len(checks),
					min(add_days(last, rng.randint(25, 60)), self.now.date()),
					"Effective",
					self.user,
				)
			)
		made["CAPA Action"] += actions
		made["CAPA Effectiveness Check"] += checks
		made["CAPA Complaint"].append(
			{
				"name": f"{name}-C",
				"parent": name,
				"parenttype": "CAPA",
				"parentfield": "complaints",
				"idx": 1,
				"complaint": complaint,
			}
		)
		made["CAPA"].append(
			{
				"name": name,
				"naming_series": "CAPA-.YYYY.-",
				"title": f"Corrective action for {complaint}",
				"capa_type": rng.choice(("Corrective", "Corrective and Preventive", "Preventive")),
				"company": self.company,
				"status": state,
				"workflow_state": state,
				"responsible": rng.choice(self.handlers),
				"raised_on": raised_on,
				"source_doctype": "Complaint",
				"source_name": complaint,
				"problem_statement": "Generated problem statement.",
				"effectiveness_criterion": "No recurrence within 90 days.",
				"verifier": self.user,
			}
		)

	def appeal(self, complaint, decided, customer, complaint_status, made) -> None:
		rng = self.rng
		filed = min(decided + timedelta(days=rng.randint(1, 25)), self.now)
		outcome = (
			"Overturned"
			if complaint_status == "Reopened"
			else rng.choice(("Upheld", "Upheld", "Partially Upheld"))
		)
		made["Complaint Appeal"].append(
			{
				"name": f"{complaint}-APL",
				"naming_series": "APL-.YYYY.-",
				"complaint": complaint,
				"company": self.company,
				"customer": customer,
				"decision_doctype": "Complaint",
				"decision_name": complaint,
				"decision_date": decided,
				"status": "Decided",
				"workflow_state": "Decided",
				"filed_on": filed,
				"grounds": "Generated grounds of appeal.",
				"outcome": outcome,
				"decided_on": min(filed + timedelta(days=rng.randint(10, 50)), self.now),
				"decided_by": self.user,
			}
		)


def check(capa, idx, checked_on, result, user) -> dict:
	return {
		"name": f"{capa}-E{idx}",
		"parent": capa,
		"parenttype": "CAPA",
		"parentfield": "effectiveness_checks",
		"idx": idx + 1,
		"checked_on": checked_on,
		"result": result,
		"verified_by": user,
	}


# stage -> status; later stages need the dates of the earlier ones
STAGES = {
	0: "Draft",
	1: "Registered",
	2: "Acknowledged",
	3: "Under Investigation",
	4: "Pending Approval",
	5: "Responded",
	6: "Closed",
	7: "Rejected",
	8: "Reopened",
}


def progress(rng: random.Random, age_days: int) -> int:
	"""How far a complaint received ``age_days`` ago has come: older ones have mostly ended."""
	if age_days > 45:
		weights = (0.5, 0.5, 0.5, 2, 1, 6, 70, 10, 2)
	elif age_days > 10:
		weights = (1, 2, 4, 15, 8, 25, 30, 8, 2)
	else:
		weights = (6, 25, 25, 20, 8, 8, 4, 3, 1)
	return rng.choices(range(9), weights=weights)[0]


def received_on(rng: random.Random, start: datetime, end: datetime) -> datetime:
	"""Mostly in office hours on weekdays; one in ten at any time."""
	span = (end - start).total_seconds()
	while True:
		moment = start + timedelta(seconds=rng.uniform(0, span))
		if rng.random() < 0.1 or (moment.weekday() < 5 and time(8) <= moment.time() <= time(18)):
			return moment.replace(microsecond=0)


# ------------------------------------------------------------------ writing


TABLES = (
	"Complainant",
	"Complaint",
	"Complaint Investigation",
	"CAPA",
	"CAPA Action",
	"CAPA Effectiveness Check",
	"CAPA Complaint",
	"Complaint Appeal",
)


def insert(doctype: str, rows: list[dict]) -> None:
	"""Multi-row inserts of ``rows`` (all the table's standard columns set)."""
	if not rows:
		return
	meta = frappe.get_meta(doctype)
	valid = set(meta.get_valid_columns()) | {"_assign"}  # assignments are a column of every table
	fields = sorted({key for row in rows for key in row} & valid)
	# numbers are NOT NULL in Frappe's tables: an unset one is 0, as a save stores it
	numbers = {df.fieldname for df in meta.fields if df.fieldtype in frappe.model.numeric_fieldtypes}
	zero = [f in numbers for f in fields]
	stamp, user = now_datetime(), "Administrator"
	standard = ["creation", "modified", "owner", "modified_by", "docstatus"]
	values = [
		[0 if (z and row.get(f) is None) else row.get(f) for f, z in zip(fields, zero, strict=True)]
		+ [stamp, stamp, user, user, 0]
		for row in rows
	]
	for at in range(0, len(values), BATCH):
		frappe.db.bulk_insert(doctype, fields + standard, values[at : at + BATCH])


def ensure_customers(count: int) -> list[str]:
	names = [f"Generated Customer {n:02d}" for n in range(1, count + 1)]
	existing = set(frappe.get_all("Customer", filters={"name": ("in", names)}, pluck="name"))
	group = frappe.db.get_value("Customer Group", {"is_group": 0}) or frappe.db.get_value(
		"Customer Group", {}
	)
	territory = frappe.db.get_value("Territory", {"is_group": 0}) or frappe.db.get_value("Territory", {})
	for name in names:
		if name not in existing:
			doc = frappe.get_doc(
				{
					"doctype": "Customer",
					"customer_name": name,
					"customer_type": "Company",
					"customer_group": group,
					"territory": territory,
				}
			)
			doc.flags.ignore_mandatory = True
			doc.insert(ignore_permissions=True, set_name=name)
	return names


def ensure_items(count: int) -> list[str]:
	names = [f"GEN-ITEM-{n:02d}" for n in range(1, count + 1)]
	existing = set(frappe.get_all("Item", filters={"name": ("in", names)}, pluck="name"))
	group = frappe.db.get_value("Item Group", {"is_group": 0}) or frappe.db.get_value("Item Group", {})
	for name in names:
		if name not in existing:
			doc = frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": name,
					"item_name": f"Generated item {name[-2:]}",
					"item_group": group,
					"stock_uom": "Nos",
					"is_stock_item": 0,
				}
			)
			doc.flags.ignore_mandatory = True
			doc.insert(ignore_permissions=True)
	return names
