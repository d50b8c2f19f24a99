# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe.utils import get_datetime

from complaint_handling.complaint_handling.report.complaint_register.complaint_register import execute
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	HANDLER_USER,
	INTAKE_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
	move,
	respond,
)


class TestComplaintRegister(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		self.answered = respond(
			make_complaint(
				subject="Register: answered",
				complainant_name="Register Li",
				complainant_email="register-li@example.org",
				loss_type="Refund",
				loss_amount=180.5,
			)
		)
		self.registered = move(make_complaint(subject="Register: registered"), "Registered", INTAKE_USER)
		self.filters = {"company": self.answered.company, "from_date": "2000-01-01", "to_date": "2100-01-01"}

	def run_as(self, user, **filters):
		with as_user(user):
			columns, rows = execute({**self.filters, **filters})
		return [c["fieldname"] for c in columns], {row.name: row for row in rows}

	def test_each_row_is_the_complaint_as_recorded(self):
		_columns, rows = self.run_as(QM_USER)
		row = rows[self.answered.name]
		stored = frappe.db.get_value(
			"Complaint",
			self.answered.name,
			[
				"status",
				"complaint_category",
				"severity",
				"received_on",
				"responded_on",
				"response_sla_status",
				"loss_amount",
				"currency",
			],
			as_dict=True,
		)
		self.assertEqual(row.status, stored.status)
		self.assertEqual((row.loss_amount, row.currency), (stored.loss_amount, stored.currency))
		self.assertEqual(row.loss_amount, 180.5)
		self.assertEqual(row.complaint_category, stored.complaint_category)
		self.assertEqual(row.response_sla_status, stored.response_sla_status)
		hours = get_calendar(self.answered.company).between(
			get_datetime(stored.received_on), get_datetime(stored.responded_on)
		)
		self.assertAlmostEqual(row.hours_to_respond, hours.total_seconds() / 3600, places=1)
		self.assertIsNone(rows[self.registered.name].hours_to_respond, "not answered yet")
		# the handlers are the complaint's assignees, whoever assigned them
		from frappe.desk.form.assign_to import add as assign

		assign({"doctype": "Complaint", "name": self.registered.name, "assign_to": [HANDLER_USER, QM_USER]})
		_columns, rows = self.run_as(QM_USER)
		self.assertEqual(rows[self.registered.name].handlers, f"{HANDLER_USER}, {QM_USER}")
		# and stay its handlers once their assignments are done (a closed case has none open)
		for todo in frappe.get_all("ToDo", {"reference_name": self.registered.name}, pluck="name"):
			frappe.get_doc("ToDo", todo).update({"status": "Closed"}).save(ignore_permissions=True)
		_columns, rows = self.run_as(QM_USER)
		self.assertEqual(rows[self.registered.name].handlers, f"{HANDLER_USER}, {QM_USER}")
		_columns, only = self.run_as(QM_USER, status="Registered")
		self.assertIn(self.registered.name, only)
		self.assertNotIn(self.answered.name, only)

	def test_who_sees_which_rows_and_the_complainant(self):
		columns, rows = self.run_as(HANDLER_USER)
		self.assertIn("complainant_name", columns)
		self.assertEqual(rows[self.answered.name].complainant_name, "Register Li")
		columns, rows = self.run_as(AUDITOR_USER)
		self.assertNotIn("complainant_name", columns)
		self.assertNotIn("Register Li", frappe.as_json(list(rows.values())))
