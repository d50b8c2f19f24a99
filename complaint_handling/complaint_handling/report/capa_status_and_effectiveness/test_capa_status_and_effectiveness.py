# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""CAPA Status and Effectiveness over a generated year: its figures equal those counted here from the
raw CAPA, action and check rows with SQL; intake officers, who read no CAPA, get no report."""

import statistics
from collections import Counter, defaultdict
from datetime import date

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, today

from complaint_handling.benchmarks import generator
from complaint_handling.complaint_handling.report.capa_status_and_effectiveness.capa_status_and_effectiveness import (
	execute,
)
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	INTAKE_USER,
	QM_USER,
	as_user,
	default_company,
	ensure_fixtures,
)

PREFIX = "GENC-"


class TestCapaStatus(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()  # rolls the generated year back at the end
		ensure_fixtures()
		cls.company = default_company()
		generator.generate(
			count=500, seed=4, year=date.today().year - 1, company=cls.company, prefix=PREFIX, commit=False
		)
		cls.capas = {
			c.name: c
			for c in frappe.db.sql(
				"select name, status, raised_on from `tabCAPA` where company=%s", cls.company, as_dict=True
			)
		}
		cls.actions = frappe.db.sql(
			"""select a.parent, a.action_owner, a.status, a.due_date, a.completed_on from `tabCAPA Action` a
			join `tabCAPA` c on c.name = a.parent where c.company=%s and a.parenttype='CAPA'""",
			cls.company,
			as_dict=True,
		)
		cls.checks = frappe.db.sql(
			"""select e.parent, e.result, e.checked_on from `tabCAPA Effectiveness Check` e
			join `tabCAPA` c on c.name = e.parent where c.company=%s and e.parenttype='CAPA'
			order by e.checked_on""",
			cls.company,
			as_dict=True,
		)
		cls.filters = {"company": cls.company}

	def run_as(self, user, **filters):
		with as_user(user):
			return execute({**self.filters, **filters})

	def test_each_capa_as_its_rows_say(self):
		_columns, data, _message, chart, summary = self.run_as(QM_USER)
		rows = {row["name"]: row for row in data}
		self.assertEqual(set(rows), set(self.capas))
		self.assertTrue(any(name.startswith(PREFIX) for name in rows))
		on = getdate(today())
		open_, overdue = Counter(), Counter()
		for a in self.actions:
			open_[a.parent] += a.status == "Open"
			overdue[a.parent] += a.status == "Open" and a.due_date < on
		effective = defaultdict(list)
		for c in self.checks:
			if c.result == "Effective":
				effective[c.parent].append(c.checked_on)
		days = []
		for name, capa in self.capas.items():
			row = rows[name]
			self.assertEqual(row["open_actions"], open_[name], name)
			self.assertEqual(row["overdue_actions"], overdue[name], name)
			if capa.status == "Closed" and effective[name]:
				self.assertEqual(row["closed_on"], max(effective[name]), name)
				self.assertEqual(row["days_to_close"], (max(effective[name]) - capa.raised_on).days, name)
				days.append(row["days_to_close"])
			else:
				self.assertIsNone(row["closed_on"], name)
		figures = {item["label"]: item["value"] for item in summary}
		self.assertEqual(figures["Overdue Actions"], sum(overdue.values()))
		self.assertEqual(figures["Closed Effective"], len(days))
		self.assertEqual(
			figures["Found Ineffective at Least Once"],
			len({c.parent for c in self.checks if c.result == "Ineffective"}),
		)
		self.assertAlmostEqual(figures["Median Days to Close"], statistics.median(days), places=1)
		self.assertEqual(sum(chart["data"]["datasets"][0]["values"]), len(self.capas))

	def test_action_owners(self):
		_columns, data, *_rest = self.run_as(AUDITOR_USER, view="Action Owner")
		on = getdate(today())
		expected = defaultdict(Counter)
		for a in self.actions:
			expected[a.action_owner]["open"] += a.status == "Open"
			expected[a.action_owner]["overdue"] += a.status == "Open" and a.due_date < on
			expected[a.action_owner]["done"] += a.status == "Done"
			expected[a.action_owner]["done_late"] += bool(
				a.status == "Done" and a.completed_on and a.completed_on > a.due_date
			)
		got = {row["action_owner"]: row for row in data}
		self.assertEqual(set(got), set(expected))
		for owner, counts in expected.items():
			for key in ("open", "overdue", "done", "done_late"):
				self.assertEqual(got[owner][key], counts[key], f"{owner} {key}")

	def test_intake_officers_read_no_capa(self):
		roles = {row.role for row in frappe.get_doc("Report", "CAPA Status and Effectiveness").roles}
		self.assertNotIn("Complaint Intake Officer", roles)
		with self.assertRaises(frappe.PermissionError):
			self.run_as(INTAKE_USER)
