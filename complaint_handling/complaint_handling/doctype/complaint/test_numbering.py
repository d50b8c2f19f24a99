# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe

from complaint_handling.tests.utils import ComplaintTestCase, concurrently, make_complaint


def reset_series(*keys):
	frappe.db.delete("Series", {"name": ("in", keys)})


class TestNumbering(ComplaintTestCase):
	def test_default_pattern_counts_per_class_and_year(self):
		reset_series("Complaint:TS-I-2013-#", "Complaint:TS-II-2013-#", "Complaint:TS-II-2014-#")
		received = "2013-05-02 09:30:00"
		names = [
			make_complaint(severity="II", received_on=received).name,
			make_complaint(severity="II", received_on=received).name,
			make_complaint(severity="I", received_on=received).name,
			make_complaint(severity="II", received_on="2014-01-02 09:00:00").name,
		]
		self.assertEqual(names, ["TS-II-13-001", "TS-II-13-002", "TS-I-13-001", "TS-II-14-001"])

	def test_aabbccddd_pattern(self):
		frappe.db.set_single_value("Complaint Settings", "naming_pattern", "{YY}{MM}{DD}{###}")
		reset_series("Complaint:2013#")
		first = make_complaint(received_on="2013-05-02 09:30:00").name
		second = make_complaint(received_on="2013-11-30 09:30:00").name
		self.assertEqual((first, second), ("130502001", "131130002"))

	def test_severity_is_needed_when_the_pattern_uses_it(self):
		frappe.db.set_single_value("Complaint Settings", "default_severity", None)
		with self.assertRaisesRegex(frappe.MandatoryError, "Severity"):
			make_complaint(severity=None, complaint_category=None)

	def test_invalid_pattern_is_refused_in_settings(self):
		settings = frappe.get_single("Complaint Settings")
		settings.naming_pattern = "TS-{colour}-{###}"
		with self.assertRaisesRegex(frappe.ValidationError, "colour"):
			settings.save()

	def test_simultaneous_inserts_never_share_a_number(self):
		"""Eight connections insert at once into a counter that does not exist yet."""
		key = "Complaint:TS-I-2012-#"
		reset_series(key)
		frappe.db.commit()

		workers, names = 8, []
		errors = concurrently(
			lambda: names.append(make_complaint(severity="I", received_on="2012-03-04 10:00:00").name),
			workers,
		)

		try:
			self.assertEqual(errors, [])
			self.assertEqual(sorted(names), [f"TS-I-12-{n:03d}" for n in range(1, workers + 1)])
		finally:
			for name in names:
				frappe.delete_doc("Complaint", name, force=True)
			reset_series(key)
			frappe.db.commit()
