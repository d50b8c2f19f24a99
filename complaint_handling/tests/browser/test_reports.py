"""The quality manager's monthly reading in the desk (issue 14), in Chromium: the Complaints workspace
with its number cards and its three charts (complaints per month by severity, SLA compliance per
month, top categories), then the Complaint Register and Complaint Trends run with their rows and
Trends' chart, in English and again as a quality manager whose desk is in Chinese. No error dialog,
no script error; screenshots of each page (``reports-*.png``).

A small generated year (``benchmarks.generator``, prefix ``GENB-``) gives the charts something to
draw; it is removed at the end.
"""

import frappe

from complaint_handling.benchmarks import generator
from complaint_handling.security.parties import may_read
from complaint_handling.setup import defaults
from complaint_handling.tests.browser.desk import (  # noqa: F401 (unittest's module fixtures)
	WAIT,
	DeskTestCase,
	setUpModule,
	tearDownModule,
)
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import ensure_user

PREFIX = "GENB-"
QM_ZH = f"{h.USER_PREFIX}qm-zh@example.com"
CHARTS = ("Complaints per Month by Severity", "SLA Compliance per Month", "Top Complaint Categories")
REPORTS = ("Complaint Register", "Complaint Trends")


class TestReportsInTheDesk(DeskTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		generator.remove(PREFIX)
		generator.generate(count=150, seed=5, prefix=PREFIX)
		ensure_user(QM_ZH, [defaults.QUALITY_MANAGER], "QM zh")
		frappe.db.set_value("User", QM_ZH, "language", "zh")
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		generator.remove(PREFIX)
		super().tearDownClass()

	def read_the_month(self, persona: str, lang: str):
		page = self.open_as(persona)
		self.land(page, f"reports-{lang}-workspace-cards")
		# the charts draw once their report has answered
		page.wait_for_function(
			"document.querySelectorAll('.widget.dashboard-widget-box .chart-container svg, "
			".widget.dashboard-widget-box .frappe-chart').length >= 3",
			timeout=WAIT,
		)
		page.wait_for_timeout(1500)
		titles = " ".join(page.locator(".widget.dashboard-widget-box .widget-title").all_inner_texts())
		for chart in CHARTS:
			self.assertIn(self.translate(page, chart), titles, f"{lang}: {chart}")
		self.shot(page, f"reports-{lang}-workspace-charts")
		self.assert_clean(page)

		for report in REPORTS:
			page.goto(f"{self.base}/app/query-report/{report}")
			page.wait_for_function(
				"""(name) => window.frappe && frappe.query_report && frappe.query_report.report_name === name
					&& frappe.query_report.data && frappe.query_report.data.length > 0""",
				arg=report,
				timeout=WAIT,
			)
			page.wait_for_selector(".dt-scrollable .dt-row", timeout=WAIT)
			page.wait_for_timeout(1500)
			self.assertIn(self.translate(page, report), page.locator(".page-title").first.inner_text())
			if report == "Complaint Register" and lang == "zh":
				# stored Select values in the reader's language; severity codes as they are
				first = page.evaluate("frappe.query_report.data[0]")
				shown = page.locator(".dt-scrollable .dt-row").first.inner_text()
				for field in ("status", "acknowledgement_sla_status"):
					translated = self.translate(page, first[field])
					self.assertNotEqual(translated, first[field], f"{first[field]} has no Chinese")
					self.assertIn(translated, shown)
				self.assertIn(first["severity"], shown)
				self.assertNotIn("我", shown)  # ERPNext's Chinese for the pronoun "I"
			if report == "Complaint Trends":
				page.wait_for_selector(".chart-wrapper svg, .chart-wrapper .frappe-chart", timeout=WAIT)
				summary = page.locator(".report-summary").inner_text()
				self.assertIn(self.translate(page, "SLA Compliance"), summary)
			self.shot(page, f"reports-{lang}-{frappe.scrub(report)}")
			self.assert_clean(page)
		return page

	def test_quality_manager_reads_the_month_in_english(self):
		self.read_the_month("qm", "en")

	def test_quality_manager_reads_the_month_in_chinese(self):
		page = self.read_the_month(QM_ZH, "zh")
		self.assertEqual(self.translate(page, "Complaint Trends"), "投诉趋势")

	def test_switching_to_quarters_starts_the_range_on_a_quarter(self):
		"""The default range starts on a month twelve months back; in quarters its first quarter
		would hold part of its months, so the range moves back to that quarter's start."""
		page = self.open_as("qm")
		page.goto(f"{self.base}/app/query-report/Complaint Trends")
		page.wait_for_function(
			"""() => window.frappe && frappe.query_report
				&& frappe.query_report.report_name === "Complaint Trends" && frappe.query_report.data""",
			timeout=WAIT,
		)
		# as a person would: after the first chart is drawn (a refresh while Frappe's chart still
		# draws its bars fails in the chart's own code with "removeChild")
		page.wait_for_timeout(1500)
		page.evaluate("frappe.query_report.set_filter_value('periodicity', 'Quarter')")
		page.wait_for_function(
			"""() => {
				const from = frappe.query_report.get_filter_value("from_date");
				return from && moment(from).isSame(moment(from).startOf("quarter"), "day")
					&& (frappe.query_report.data || []).some((row) => /Q[1-4]/.test(row.period || ""));
			}""",
			timeout=WAIT,
		)
		page.wait_for_timeout(1500)  # the chart draws its bars after the rows
		self.shot(page, "reports-en-complaint_trends-quarters")
		self.assert_clean(page)

	def test_the_other_roles_of_the_register_read_it(self):
		"""Intake, handlers, auditors and general managers run the Register in the desk too: its rows,
		and the Complainant column only for a role that may read complainants."""
		for persona in ("intake", "handler", "auditor", "gm"):
			with self.subTest(persona):
				page = self.open_as(persona)
				page.goto(f"{self.base}/app/query-report/Complaint Register")
				page.wait_for_function(
					"""() => window.frappe && frappe.query_report
						&& frappe.query_report.report_name === "Complaint Register"
						&& frappe.query_report.data && frappe.query_report.data.length > 0""",
					timeout=WAIT,
				)
				page.wait_for_selector(".dt-scrollable .dt-row", timeout=WAIT)
				page.wait_for_timeout(1000)
				columns = page.evaluate("frappe.query_report.columns.map((c) => c.fieldname)")
				self.assertIn("hours_to_respond", columns)
				self.assertEqual(
					"complainant_name" in columns, may_read("Complaint", h.PERSONAS[persona].email), persona
				)
				self.shot(page, f"reports-{persona}-complaint_register")
				self.assert_clean(page)
