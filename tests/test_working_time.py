"""Hand-computed cases. Calendar: Monday to Friday 09:00-12:00 and 13:00-17:00 (7 h a day),
China's National Day week 2026-10-01..07 as holidays. 2026-11-20 is a Friday."""

import unittest
from datetime import date, datetime, time, timedelta

from complaint_handling.rules.working_time import (
	HOURS,
	WORKING_DAYS,
	WORKING_HOURS,
	CalendarError,
	WorkingCalendar,
)

OFFICE = {d: [(time(9), time(12)), (time(13), time(17))] for d in range(5)}
NATIONAL_DAY = [date(2026, 10, d) for d in range(1, 8)]
ROUND_THE_CLOCK = {d: [(time(0), time(0))] for d in range(7)}
WEEKDAY_HOURS = {d: [(time(9), time(17))] for d in range(5)}


def at(text):
	return datetime.fromisoformat(text)


class TestWorkingCalendar(unittest.TestCase):
	def setUp(self):
		self.cal = WorkingCalendar(OFFICE, NATIONAL_DAY)

	def test_next_working_moment(self):
		cases = {
			"2026-11-21 10:00": "2026-11-23 09:00",  # Saturday -> Monday morning
			"2026-11-23 12:30": "2026-11-23 13:00",  # lunch break
			"2026-11-20 17:00": "2026-11-23 09:00",  # the end of the day is not working time
			"2026-11-23 10:15": "2026-11-23 10:15",
			"2026-09-30 18:00": "2026-10-08 09:00",  # evening before a holiday week
		}
		for moment, expected in cases.items():
			with self.subTest(moment=moment):
				self.assertEqual(self.cal.next_working_moment(at(moment)), at(expected))

	def test_add_working_hours(self):
		self.assertEqual(self.cal.add(at("2026-11-20 16:00"), timedelta(hours=2)), at("2026-11-23 10:00"))
		self.assertEqual(self.cal.add(at("2026-11-23 09:00"), timedelta(hours=7)), at("2026-11-23 17:00"))
		self.assertEqual(self.cal.add(at("2026-11-23 11:00"), timedelta(hours=2)), at("2026-11-23 14:00"))
		self.assertEqual(self.cal.add(at("2026-11-21 08:00"), timedelta(0)), at("2026-11-23 09:00"))

	def test_holiday_on_the_deadline_day(self):
		self.assertEqual(self.cal.add(at("2026-09-30 16:00"), timedelta(hours=2)), at("2026-10-08 10:00"))
		self.assertEqual(self.cal.add_working_days(at("2026-09-29 10:00"), 3), at("2026-10-09 10:00"))

	def test_add_working_days(self):
		self.assertEqual(self.cal.add_working_days(at("2026-11-20 10:00"), 5), at("2026-11-27 10:00"))
		# received on Saturday: counted from Monday 09:00
		self.assertEqual(self.cal.add_working_days(at("2026-11-21 10:00"), 3), at("2026-11-26 09:00"))
		# received at lunch time: the clock starts at 13:00
		self.assertEqual(self.cal.add_working_days(at("2026-11-23 12:10"), 1), at("2026-11-24 13:00"))

	def test_deadlines_longer_than_a_month(self):
		self.assertEqual(self.cal.deadline(at("2026-11-02 09:00"), 30, WORKING_DAYS), at("2026-12-14 09:00"))
		# 200 h = 28 days of 7 h + 4 h
		self.assertEqual(
			self.cal.deadline(at("2026-11-02 09:00"), 200, WORKING_HOURS), at("2026-12-10 14:00")
		)

	def test_elapsed_hours_start_at_the_next_working_moment(self):
		self.assertEqual(self.cal.deadline(at("2026-11-21 10:00"), 24, HOURS), at("2026-11-24 09:00"))
		self.assertEqual(self.cal.deadline(at("2026-11-23 10:00"), 48, HOURS), at("2026-11-25 10:00"))

	def test_between(self):
		self.assertEqual(self.cal.between(at("2026-11-20 16:00"), at("2026-11-23 10:00")), timedelta(hours=2))
		self.assertEqual(self.cal.between(at("2026-11-23 11:00"), at("2026-11-23 14:00")), timedelta(hours=2))
		self.assertEqual(self.cal.between(at("2026-11-23 14:00"), at("2026-11-23 11:00")), timedelta(0))
		self.assertEqual(self.cal.between(at("2026-09-30 09:00"), at("2026-10-08 09:00")), timedelta(hours=7))

	def test_before_a_deadline(self):
		self.assertEqual(self.cal.before(at("2026-11-23 10:00"), 2, WORKING_HOURS), at("2026-11-20 16:00"))
		self.assertEqual(self.cal.before(at("2026-10-09 10:00"), 2, WORKING_DAYS), at("2026-09-30 10:00"))
		self.assertEqual(self.cal.before(at("2026-11-23 10:00"), 4, HOURS), at("2026-11-23 06:00"))
		self.assertEqual(self.cal.before(at("2026-11-23 10:00"), 0, WORKING_DAYS), at("2026-11-23 10:00"))

	def test_pause_shifts_the_deadline_by_what_the_clock_counts(self):
		pause = (at("2026-11-20 16:00"), at("2026-11-23 10:00"))
		self.assertEqual(
			self.cal.shift(at("2026-11-24 11:00"), *pause, WORKING_HOURS), at("2026-11-24 14:00")
		)
		self.assertEqual(self.cal.shift(at("2026-11-24 11:00"), *pause, HOURS), at("2026-11-27 05:00"))

	def test_round_the_clock_across_year_end_and_leap_day(self):
		cal = WorkingCalendar(ROUND_THE_CLOCK)
		self.assertEqual(cal.add(at("2026-12-31 23:00"), timedelta(hours=2)), at("2027-01-01 01:00"))
		self.assertEqual(cal.add(at("2028-02-28 23:30"), timedelta(hours=1)), at("2028-02-29 00:30"))
		self.assertEqual(cal.subtract(at("2027-01-01 01:00"), timedelta(hours=2)), at("2026-12-31 23:00"))
		self.assertEqual(cal.deadline(at("2026-12-31 22:00"), 1, WORKING_DAYS), at("2027-01-01 22:00"))
		self.assertEqual(cal.between(at("2026-12-31 12:00"), at("2027-01-01 12:00")), timedelta(hours=24))

	def test_bad_calendars(self):
		with self.assertRaises(CalendarError):
			WorkingCalendar({0: [(time(9), time(12)), (time(11), time(13))]})
		with self.assertRaises(CalendarError):
			WorkingCalendar({0: [(time(12), time(9))]})
		with self.assertRaises(CalendarError):
			WorkingCalendar({})
		mondays_all_holidays = WorkingCalendar(
			{0: [(time(9), time(17))]}, [date(2026, 1, 5) + timedelta(weeks=n) for n in range(600)]
		)
		with self.assertRaises(CalendarError):
			mondays_all_holidays.next_working_moment(at("2026-01-01 00:00"))

	def test_bad_amounts(self):
		with self.assertRaises(ValueError):
			self.cal.deadline(at("2026-11-23 09:00"), 1.5, WORKING_DAYS)
		with self.assertRaises(ValueError):
			self.cal.add(at("2026-11-23 09:00"), timedelta(hours=-1))
		with self.assertRaises(ValueError):
			self.cal.deadline(at("2026-11-23 09:00"), 1, "Fortnights")


class TestElapsedTimeAcrossAChangeOfOffset(unittest.TestCase):
	"""Issue 10 §2: elapsed clocks count real time; working-time clocks count each local day."""

	def setUp(self):
		self.berlin = WorkingCalendar(WEEKDAY_HOURS, time_zone="Europe/Berlin")

	def test_spring_forward(self):
		# clocks go forward on Sunday 29 March 2026: 48 real hours end at 13:00, not 12:00
		self.assertEqual(self.berlin.deadline(at("2026-03-27 12:00"), 48, HOURS), at("2026-03-29 13:00"))

	def test_fall_back(self):
		# clocks go back on Sunday 25 October 2026: 48 real hours end at 11:00, not 12:00
		self.assertEqual(self.berlin.deadline(at("2026-10-23 12:00"), 48, HOURS), at("2026-10-25 11:00"))

	def test_reminder_before_and_pause_across_the_change(self):
		self.assertEqual(self.berlin.before(at("2026-03-29 13:00"), 48, HOURS), at("2026-03-27 12:00"))
		# a pause from Saturday 22:00 to Sunday 04:00 lasted 5 real hours that night
		self.assertEqual(
			self.berlin.shift(at("2026-03-30 10:00"), at("2026-03-28 22:00"), at("2026-03-29 04:00"), HOURS),
			at("2026-03-30 15:00"),
		)

	def test_working_time_and_zone_less_calendars_are_unchanged(self):
		start = at("2026-03-27 12:00")
		self.assertEqual(self.berlin.deadline(start, 10, WORKING_HOURS), at("2026-03-30 14:00"))
		self.assertEqual(self.berlin.deadline(start, 1, WORKING_DAYS), at("2026-03-30 12:00"))
		self.assertEqual(WorkingCalendar(WEEKDAY_HOURS).deadline(start, 48, HOURS), at("2026-03-29 12:00"))

	def test_other_zones(self):
		# New York springs forward on 8 March 2026; Shanghai has no change at all
		new_york = WorkingCalendar(WEEKDAY_HOURS, time_zone="America/New_York")
		self.assertEqual(new_york.deadline(at("2026-03-06 12:00"), 48, HOURS), at("2026-03-08 13:00"))
		shanghai = WorkingCalendar(WEEKDAY_HOURS, time_zone="Asia/Shanghai")
		self.assertEqual(shanghai.deadline(at("2026-03-27 12:00"), 48, HOURS), at("2026-03-29 12:00"))
