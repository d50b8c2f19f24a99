# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe

from complaint_handling.tests.utils import ComplaintTestCase


class TestComplaintSeverity(ComplaintTestCase):
	def test_seeded_classes(self):
		self.assertEqual(
			frappe.get_all("Complaint Severity", order_by="`rank` asc", pluck="name")[:3], ["I", "II", "III"]
		)

	def test_code_must_fit_in_a_complaint_number(self):
		with self.assertRaisesRegex(frappe.ValidationError, "letters and digits"):
			frappe.get_doc({"doctype": "Complaint Severity", "code": "I/2", "title": "Bad"}).insert()
		frappe.get_doc(
			{"doctype": "Complaint Severity", "code": "IV", "title": "Class IV", "rank": 4}
		).insert()
