# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""Complaint Trends over a generated year (``benchmarks.generator``, fixed seed): every figure equals
the one computed here from the raw rows with SQL and the standard library, and a reader sees only
what they may read and no contact."""

import statistics
from collections import Counter
from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime

from complaint_handling.benchmarks import generator
from complaint_handling.complaint_handling.report.complaint_trends.complaint_trends import execute
from complaint_handling.rules.capa import ComplaintFacts, recurring_complaints
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	INTAKE_USER,
	QM_USER,
	as_user,
	default_company,
	ensure_fixtures,
)

PREFIX = "GENT-"
COUNT = 2000
SEED = 3


class TestComplaintTrends(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()  # rolls the generated year back at the end
		ensure_fixtures()
		cls.year = date.today().year - 1
		cls.company = default_company()
		generator.generate(
			count=COUNT, seed=SEED, year=cls.year, company=cls.company, prefix=PREFIX, commit=False
		)
		cls.filters = {
			"company": cls.company,
			"from_date": f"{cls.year}-01-01",
			"to_date": f"{cls.year}-12-31",
		}
		# every complaint of the year and of the year before, as stored
		cls.raw = frappe.db.sql(
			"""select name, received_on, complaint_category, item_code, customer, severity, channel,
				validity, is_major, acknowledged_on, responded_on, closed_on, loss_amount, satisfaction,
				acknowledgement_sla_status, response_sla_status, resolution_sla_status
			from `tabComplaint` where company=%s and received_on >= %s and received_on < %s""",
			(cls.company, f"{cls.year - 1}-01-01", f"{cls.year + 1}-01-01"),
			as_dict=True,
		)
		cls.this_year = [r for r in cls.raw if r.received_on.year == cls.year]

	def run_as(self, user, **filters):
		with as_user(user):
			return execute({**self.filters, **filters})

	def test_the_generator_is_deterministic_and_made_a_year(self):
		ours = [r for r in self.this_year if r.name.startswith(PREFIX)]
		self.assertEqual(len(ours), COUNT)
		first = frappe.db.get_value("Complaint", f"{PREFIX}0000000", ["received_on", "complaint_category"])
		frappe.db.savepoint("again")
		generator.remove(PREFIX, commit=False)
		generator.generate(
			count=COUNT, seed=SEED, year=self.year, company=self.company, prefix=PREFIX, commit=False
		)
		self.assertEqual(
			frappe.db.get_value("Complaint", f"{PREFIX}0000000", ["received_on", "complaint_category"]), first
		)
		self.assertTrue(frappe.db.count("CAPA", {"name": ("like", f"{PREFIX}%")}))
		self.assertTrue(frappe.db.count("Complaint Appeal", {"name": ("like", f"{PREFIX}%")}))
		self.assertTrue(frappe.db.count("Complaint Investigation", {"name": ("like", f"{PREFIX}%")}))
		# consistent: a closed complaint has its reply and closure in order, a decided one a validity
		for r in self.this_year:
			if r.closed_on:
				self.assertLessEqual(r.received_on, r.responded_on)
				self.assertLessEqual(r.responded_on, r.closed_on)

	def test_per_month_figures_equal_the_raw_rows(self):
		_columns, data, message, chart, summary = self.run_as(QM_USER)
		self.assertTrue(message)
		rows = {row["period"]: row for row in data}
		by_month = Counter(f"{r.received_on:%Y-%m}" for r in self.this_year)
		for month in range(1, 13):
			key = f"{self.year}-{month:02d}"
			self.assertEqual(rows[key]["complaints"], by_month[key], key)
		whole = data[12]
		self.assertEqual(whole["complaints"], len(self.this_year))
		self.assertEqual(whole["major"], sum(1 for r in self.this_year if r.is_major))
		decided = [r for r in self.this_year if r.validity not in (None, "", "Pending")]
		accepted = sum(1 for r in decided if r.validity == "Accepted")
		self.assertAlmostEqual(whole["substantiated_share"], round(100 * accepted / len(decided), 1))
		statuses = [
			s
			for r in self.this_year
			for s in (r.acknowledgement_sla_status, r.response_sla_status, r.resolution_sla_status)
		]
		met, breached = statuses.count("Met"), statuses.count("Breached")
		self.assertAlmostEqual(whole["sla_compliance"], round(100 * met / (met + breached), 1))
		self.assertAlmostEqual(
			whole["loss_amount"], sum(r.loss_amount or 0 for r in self.this_year), places=2
		)
		# the answers given in the year, at closure and in surveys, whenever the complaint came in
		answers = Counter(
			dict(
				frappe.db.sql(
					"""select satisfaction, count(*) from (
						select satisfaction from `tabComplaint`
						where company = %(company)s and satisfaction_recorded_on >= %(start)s
							and satisfaction_recorded_on < %(end)s
						union all
						select s.satisfaction from `tabComplaint Survey Response` s
						join `tabComplaint` c on c.name = s.complaint
						where c.company = %(company)s and s.answered_on >= %(start)s and s.answered_on < %(end)s
					) a where satisfaction in ('Satisfied', 'Partly Satisfied', 'Not Satisfied')
					group by satisfaction""",
					{"company": self.company, "start": f"{self.year}-01-01", "end": f"{self.year + 1}-01-01"},
				)
			)
		)
		self.assertTrue(answers)
		self.assertAlmostEqual(
			whole["satisfaction_0"], round(100 * answers["Satisfied"] / sum(answers.values()), 1)
		)
		# the year before, as the comparison rows
		self.assertEqual(data[14]["complaints"], len(self.raw) - len(self.this_year))
		self.assertEqual(summary[0]["value"], len(self.this_year))
		# the chart: complaints per month by severity add up to the months
		totals = [
			sum(values) for values in zip(*(d["values"] for d in chart["data"]["datasets"]), strict=True)
		]
		self.assertEqual(totals, [by_month[f"{self.year}-{m:02d}"] for m in range(1, 13)])

	def test_working_hours_percentiles_equal_the_calendar_and_the_standard_library(self):
		_columns, data, *_rest = self.run_as(QM_USER)
		calendar = get_calendar(self.company)
		for step, until in (("hours_to_acknowledge", "acknowledged_on"), ("hours_to_close", "closed_on")):
			hours = [
				round(
					calendar.between(get_datetime(r.received_on), get_datetime(r[until])).total_seconds()
					/ 3600,
					1,
				)
				for r in self.this_year
				if r[until]
			]
			deciles = statistics.quantiles(hours, n=10, method="inclusive")
			# the report shows each complaint's hours, and the figures, to a tenth of an hour
			self.assertAlmostEqual(data[12][f"median_{step}"], statistics.median(hours), delta=0.1)
			self.assertAlmostEqual(data[12][f"p90_{step}"], deciles[8], delta=0.1)

	def test_recurrences_follow_the_capa_rule(self):
		_columns, data, *_rest = self.run_as(QM_USER)
		settings = frappe.get_cached_doc("Complaint Settings")
		facts = [
			ComplaintFacts(r.name, r.received_on, r.complaint_category, r.item_code, r.customer)
			for r in self.raw
		]
		expected = sum(
			1
			for f in facts
			if f.received.year == self.year
			and recurring_complaints(
				f, facts, int(settings.recurrence_threshold), int(settings.recurrence_days)
			)
		)
		self.assertEqual(data[12]["recurrences"], expected)

	def test_breakdowns_equal_group_by_queries(self):
		for view, column in (
			("Severity", "severity"),
			("Category", "complaint_category"),
			("Channel", "channel"),
		):
			_columns, data, *_rest = self.run_as(QM_USER, view=view, periodicity="Quarter")
			expected = dict(
				frappe.db.sql(
					f"""select ifnull({column}, ''), count(*) from `tabComplaint`
					where company=%s and received_on >= %s and received_on < %s group by 1""",
					(self.company, f"{self.year}-01-01", f"{self.year + 1}-01-01"),
				)
			)
			got = {row["value"]: row["total"] for row in data if row["total"]}
			self.assertEqual(got, {k or "Not Set": v for k, v in expected.items()}, view)
			for row in data:
				self.assertEqual(row["total"], sum(row[f"p_{self.year}_q{q}"] for q in range(1, 5)))
		_columns, data, *_rest = self.run_as(QM_USER, view="Root Cause Category")
		causes = dict(
			frappe.db.sql(
				"""select i.cause_category, count(distinct c.name) from `tabComplaint` c
				join `tabComplaint Investigation` i on i.complaint = c.name
				where c.company=%s and c.received_on >= %s and c.received_on < %s
					and i.status = 'Approved' and ifnull(i.cause_category, '') != ''
				group by 1""",
				(self.company, f"{self.year}-01-01", f"{self.year + 1}-01-01"),
			)
		)
		got = {
			row["value"]: row["total"] for row in data if row["total"] and row["value"] != "Not Determined"
		}
		self.assertEqual(got, causes)

	def test_readers_count_what_they_may_read_and_see_no_contact(self):
		contacts = frappe.db.sql(
			"select party_name, email, phone, organisation from `tabComplainant` where name like %s limit 20",
			f"{PREFIX}%",
		)
		for user in (INTAKE_USER, AUDITOR_USER, QM_USER):
			for view in ("Period", "Customer", "Root Cause Category"):
				out = frappe.as_json(self.run_as(user, view=view))
				for contact in (value for row in contacts for value in row):
					self.assertNotIn(contact, out, f"{user} {view}")
		# intake officers read no investigations: no root-cause rows, and told why
		_columns, data, message, *_rest = self.run_as(INTAKE_USER, view="Root Cause Category")
		self.assertEqual(data, [])
		self.assertIn("investigations", message)
		# investigators and panel members work single cases: the report is not theirs
		roles = {row.role for row in frappe.get_doc("Report", "Complaint Trends").roles}
		self.assertNotIn("Complaint Investigator", roles)
		self.assertNotIn("Complaint Appeal Panel Member", roles)
