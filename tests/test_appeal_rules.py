import unittest
from datetime import date, datetime, time

from complaint_handling.rules.appeals import (
	DAYS,
	MONTHS,
	WORKING_DAYS,
	add_months,
	filed_late,
	panel_conflicts,
	period_end,
)
from complaint_handling.rules.working_time import WorkingCalendar

OFFICE = WorkingCalendar({d: [(time(9), time(17))] for d in range(5)}, [date(2026, 12, 25)])


class TestPeriods(unittest.TestCase):
	def test_thirty_days_from_the_decision(self):
		self.assertEqual(
			period_end(OFFICE, datetime(2026, 11, 20, 15, 0), 30, DAYS), datetime(2026, 12, 20, 23, 59, 59)
		)

	def test_ten_working_days_skip_weekends_and_holidays(self):
		# Fri 11 Dec + 10 working days: 14-18, 21-24, (25 holiday), 28
		self.assertEqual(
			period_end(OFFICE, datetime(2026, 12, 11, 10, 0), 10, WORKING_DAYS), datetime(2026, 12, 28, 10, 0)
		)

	def test_two_months_clamp_to_the_month_end(self):
		self.assertEqual(add_months(date(2026, 12, 31), 2), date(2027, 2, 28))
		self.assertEqual(add_months(date(2027, 11, 30), 3), date(2028, 2, 29))
		self.assertEqual(
			period_end(OFFICE, datetime(2026, 11, 20, 9, 0), 2, MONTHS), datetime(2027, 1, 20, 23, 59, 59)
		)

	def test_late(self):
		closes = datetime(2026, 12, 20, 23, 59, 59)
		self.assertFalse(filed_late(datetime(2026, 12, 20, 23, 0), closes))
		self.assertTrue(filed_late(datetime(2026, 12, 21, 0, 0), closes))

	def test_bad_periods(self):
		with self.assertRaises(ValueError):
			period_end(OFFICE, datetime(2026, 11, 20), -1, DAYS)
		with self.assertRaises(ValueError):
			period_end(OFFICE, datetime(2026, 11, 20), 1, "Fortnights")


class TestPanelConflicts(unittest.TestCase):
	def test_every_kind_of_conflict(self):
		conflicts = panel_conflicts(
			["qm", "handler", "inv", "subject", "consultant", "clean"],
			decided=["qm"],
			handled=["handler"],
			investigated=["inv"],
			involved={"subject": "Subject of Complaint"},
			declared={"consultant": "Consulted for the client in 2025"},
		)
		self.assertEqual(
			conflicts,
			{
				"qm": "decided:",
				"handler": "handled:",
				"inv": "investigated:",
				"subject": "involved:Subject of Complaint",
				"consultant": "declared:Consulted for the client in 2025",
			},
		)
