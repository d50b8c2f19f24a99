import random
import statistics
import unittest
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from complaint_handling.rules.capa import ComplaintFacts, recurring_complaints
from complaint_handling.rules.trends import (
	MONTH,
	QUARTER,
	Figures,
	change,
	last_year_range,
	ordered_counts,
	percentile,
	period_of,
	period_start,
	periods,
	previous_range,
	recurring,
	share,
	total,
)
from complaint_handling.rules.working_time import WorkingCalendar, WorkingClock


class TestPercentile(unittest.TestCase):
	def test_median_and_90th_interpolate_between_ranks(self):
		self.assertEqual(percentile([3, 1, 2], 50), 2)
		self.assertEqual(percentile([1, 2, 3, 4], 50), 2.5)
		self.assertAlmostEqual(percentile(range(1, 11), 90), 9.1)
		self.assertEqual(percentile([7], 90), 7)
		self.assertIsNone(percentile([], 50))
		self.assertIsNone(percentile([None], 50))

	def test_same_as_the_standard_library(self):
		rng = random.Random(5)
		for size in (2, 3, 10, 101, 1000):
			values = [rng.uniform(0, 200) for _ in range(size)]
			deciles = statistics.quantiles(values, n=10, method="inclusive")
			self.assertAlmostEqual(percentile(values, 50), statistics.median(values))
			self.assertAlmostEqual(percentile(values, 90), deciles[8])

	def test_out_of_range(self):
		with self.assertRaises(ValueError):
			percentile([1], 101)


class TestWorkingClock(unittest.TestCase):
	def test_same_as_the_calendar_to_the_second(self):
		rng = random.Random(3)
		hours = {d: [(time(8, 30), time(12)), (time(13), time(17, 30))] for d in range(5)}
		hours[5] = [(time(9), time(0))]  # Saturday until midnight
		holidays = {date(2026, 1, 1) + timedelta(days=rng.randrange(0, 700)) for _ in range(40)}
		for zone in (None, "Europe/Berlin"):
			calendar = WorkingCalendar(hours, holidays, zone)
			clock = WorkingClock(calendar)
			start = datetime(2026, 1, 1)
			for _ in range(2000):
				a = start + timedelta(minutes=rng.randrange(0, 600 * 24 * 60))
				b = a + timedelta(minutes=rng.randrange(-600, 60 * 24 * 60))
				self.assertEqual(clock.between(a, b), calendar.between(a, b), (a, b))


class TestPeriods(unittest.TestCase):
	def test_keys(self):
		self.assertEqual(period_of(date(2026, 3, 31), MONTH), "2026-03")
		self.assertEqual(period_of(datetime(2026, 4, 1, 0, 0), QUARTER), "2026-Q2")
		self.assertEqual(
			periods(date(2025, 11, 15), date(2026, 2, 1), MONTH), ["2025-11", "2025-12", "2026-01", "2026-02"]
		)
		self.assertEqual(
			periods(date(2025, 12, 1), date(2026, 7, 1), QUARTER),
			["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"],
		)

	def test_first_day_of_a_period(self):
		self.assertEqual(period_start("2026-03"), date(2026, 3, 1))
		self.assertEqual(period_start("2026-Q1"), date(2026, 1, 1))
		self.assertEqual(period_start("2026-Q4"), date(2026, 10, 1))
		for day in (date(2025, 12, 31), date(2026, 5, 17)):
			for periodicity in (MONTH, QUARTER):
				start = period_start(period_of(day, periodicity))
				self.assertEqual(period_of(start, periodicity), period_of(day, periodicity))
				self.assertEqual(start.day, 1)

	def test_previous_period_of_whole_months_is_whole_months(self):
		self.assertEqual(
			previous_range(date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 3, 31))
		)
		self.assertEqual(
			previous_range(date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))
		)
		self.assertEqual(
			previous_range(date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31))
		)

	def test_previous_period_of_other_ranges_is_as_many_days(self):
		self.assertEqual(
			previous_range(date(2026, 3, 10), date(2026, 3, 19)), (date(2026, 2, 28), date(2026, 3, 9))
		)

	def test_same_period_last_year(self):
		self.assertEqual(
			last_year_range(date(2024, 2, 1), date(2024, 2, 29)), (date(2023, 2, 1), date(2023, 2, 28))
		)
		self.assertEqual(
			last_year_range(date(2025, 2, 1), date(2025, 2, 28)), (date(2024, 2, 1), date(2024, 2, 29))
		)
		self.assertEqual(
			last_year_range(date(2026, 3, 10), date(2026, 3, 19)), (date(2025, 3, 10), date(2025, 3, 19))
		)


class TestRecurrence(unittest.TestCase):
	@staticmethod
	def partitions(complaints):
		"""As the report's query gives them: per category and item, per category and customer."""
		groups = defaultdict(list)
		for c in complaints:
			if not c.category:
				continue
			for kind in ("item_code", "customer"):
				if value := getattr(c, kind):
					groups[(c.category, kind, value)].append((c.received.timestamp(), c.name))
		return [sorted(partition) for partition in groups.values()]

	def test_same_as_the_capa_rule_for_each_complaint(self):
		rng = random.Random(11)
		start = datetime(2026, 1, 1)
		complaints = [
			ComplaintFacts(
				f"C{i}",
				start + timedelta(days=rng.randrange(0, 365), hours=rng.randrange(0, 24)),
				rng.choice(["Quality", "Delivery", None]),
				rng.choice(["A", "B", "C", "D", None]),
				rng.choice(["X", "Y", "Z", None]),
			)
			for i in range(300)
		]
		# to the second: no two at one moment, which is counted pairwise, not searched
		distinct = [
			replace(c, name=f"S{i}", received=c.received + timedelta(seconds=i))
			for i, c in enumerate(complaints)
		]
		for facts in (complaints, distinct):
			for threshold, window in ((2, 90), (3, 30), (1, 10), (4, 60)):
				expected = {c.name for c in facts if recurring_complaints(c, facts, threshold, window)}
				got = recurring(self.partitions(facts), threshold, window * 86400)
				self.assertEqual(got, expected, (threshold, window))

	def test_outside_the_window_is_not_a_recurrence(self):
		a = ComplaintFacts("A", datetime(2026, 1, 1), "Q", "I", None)
		b = ComplaintFacts("B", datetime(2026, 5, 1), "Q", "I", None)
		c = ComplaintFacts("C", datetime(2026, 5, 2), "Q", None, "K")
		self.assertEqual(recurring(self.partitions([a, b, c]), 2, 90 * 86400), set())
		self.assertEqual(recurring(self.partitions([a, b, c]), 0, 90 * 86400), set())
		# exactly the window apart: within it
		edge = ComplaintFacts("E", datetime(2026, 4, 1), "Q", "I", None)
		self.assertEqual(recurring(self.partitions([a, edge]), 2, 90 * 86400), {"E"})
		# at the same moment: both recur
		twin = ComplaintFacts("B2", datetime(2026, 5, 1), "Q", "I", None)
		self.assertEqual(recurring(self.partitions([a, b, twin]), 2, 90 * 86400), {"B", "B2"})


class TestFigures(unittest.TestCase):
	def test_figures_from_the_sums_of_the_query(self):
		# complaints, major, decided, substantiated, met, breached, recurrences, loss; the answers given
		f = Figures.of([4, 1, 2, 1, 3, 2, 1, 100.5])
		f.satisfaction = Counter({"Satisfied": 1, "Not Satisfied": 1})
		self.assertEqual((f.complaints, f.major, f.decided, f.substantiated), (4, 1, 2, 1))
		self.assertEqual(f.substantiated_share, 50.0)
		self.assertEqual((f.sla_met, f.sla_breached, f.sla_compliance), (3, 2, 60.0))
		self.assertEqual((f.recurrences, f.loss_amount), (1, 100.5))
		self.assertEqual(f.satisfaction_share("Satisfied"), 50.0)
		self.assertEqual(f.satisfaction_share("Partly Satisfied"), 0.0)
		self.assertIsNone(f.median("hours_to_close"))
		empty = Figures.of([0, None, None, None, None, None, None, None])
		self.assertIsNone(empty.sla_compliance)
		self.assertIsNone(empty.substantiated_share)
		self.assertIsNone(empty.satisfaction_share("Satisfied"))
		with self.assertRaises(ValueError):  # a sum missing: the query and COUNTS disagree
			Figures.of([0, 0, 0])

	def test_figures_of_parts_add_up(self):
		a = Figures.of([2, 1, 1, 1, 2, 0, 0, 10])
		a.satisfaction = Counter({"Satisfied": 1})
		b = Figures.of([3, 0, 2, 0, 1, 3, 2, 5.5])
		b.satisfaction = Counter({"Partly Satisfied": 1, "Not Satisfied": 1})
		whole = total([a, b])
		self.assertEqual((whole.complaints, whole.major, whole.decided, whole.substantiated), (5, 1, 3, 1))
		self.assertEqual((whole.sla_met, whole.sla_breached, whole.recurrences), (3, 3, 2))
		self.assertEqual(whole.loss_amount, 15.5)
		self.assertEqual(
			dict(whole.satisfaction), {"Satisfied": 1, "Partly Satisfied": 1, "Not Satisfied": 1}
		)
		self.assertEqual(total([]).complaints, 0)

	def test_counts_by_value_and_period(self):
		counts = {("II", "2026-01"): 1, ("II", "2026-02"): 1, ("I", "2026-02"): 1, (None, "2026-02"): 1}
		counts[("", "2026-01")] = 1  # not set, as NULL or as an empty string: one row
		table = ordered_counts(counts, ["2026-01", "2026-02", "2026-03"])
		self.assertEqual(list(table), ["", "II", "I"])
		self.assertEqual(table["II"], {"2026-01": 1, "2026-02": 1, "2026-03": 0})
		self.assertEqual(table[""], {"2026-01": 1, "2026-02": 1, "2026-03": 0})

	def test_shares_and_changes(self):
		self.assertEqual(share(1, 3), 33.3)
		self.assertIsNone(share(1, 0))
		self.assertEqual(change(150, 100), 50.0)
		self.assertIsNone(change(5, 0))
		self.assertIsNone(change(None, 4))


if __name__ == "__main__":
	unittest.main()
