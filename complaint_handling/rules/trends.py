"""Trend figures of complaints that need no database (issue 14, the quarterly trend analysis of
domain.md "Records and analysis"): periods, percentiles, shares, recurrences and the figures of a
set of complaints. The Complaint Trends report gathers the rows once and calls these.

A row is a mapping with the keys the report reads from a complaint (``validity``, ``is_major``,
``sla_statuses``, ``loss_amount``, ``satisfaction``) plus the working hours to each step
(``hours_to_acknowledge``, ``hours_to_respond``, ``hours_to_close``, None while not reached) and
``recurrence`` (see :func:`recurrences`).
"""

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from complaint_handling.rules.working_time import WorkingCalendar

MONTH, QUARTER = "Month", "Quarter"
ACCEPTED = "Accepted"  # the validity of a substantiated complaint (投诉成立)
UNDECIDED = frozenset({None, "", "Pending"})
MET, BREACHED = "Met", "Breached"
STEPS = ("hours_to_acknowledge", "hours_to_respond", "hours_to_close")
SATISFACTION = ("Satisfied", "Partly Satisfied", "Not Satisfied")


# ------------------------------------------------------------------ numbers


def percentile(values: Iterable[float], q: float) -> float | None:
	"""The ``q``-th percentile (0 to 100) by linear interpolation between the closest ranks (as
	``statistics.quantiles(method="inclusive")`` and numpy's default): the median is ``q=50``.
	None for no values."""
	ordered = sorted(v for v in values if v is not None)
	if not ordered:
		return None
	if not 0 <= q <= 100:
		raise ValueError(f"percentile {q} is not between 0 and 100")
	position = (len(ordered) - 1) * q / 100
	low = math.floor(position)
	high = min(low + 1, len(ordered) - 1)
	return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def share(part: float, whole: float) -> float | None:
	"""``part`` as a percentage of ``whole``, one decimal; None when there is no whole."""
	return round(100 * part / whole, 1) if whole else None


def change(current: float | None, before: float | None) -> float | None:
	"""The change from ``before`` to ``current`` in percent; None when there was nothing before."""
	if current is None or not before:
		return None
	return round(100 * (current - before) / before, 1)


# ------------------------------------------------------------------ working time of many complaints


class WorkingClock:
	"""``WorkingCalendar.between`` for many spans at once: the working seconds before each day are
	summed once, so a span costs two look-ups however many days it covers (a year of complaints
	with weeks to closure would otherwise walk every day of every span). Same answers, to the
	second, as the calendar it reads."""

	def __init__(self, calendar: WorkingCalendar):
		self.calendar = calendar
		self._before: dict[date, float] = {}  # working seconds from the first day known to this day
		self._first: date | None = None
		self._last: date | None = None

	def between(self, start: datetime, end: datetime) -> timedelta:
		"""Working time from ``start`` to ``end`` (zero if end is not later)."""
		if end <= start:
			return timedelta(0)
		return timedelta(seconds=self._position(end) - self._position(start))

	def _position(self, moment: datetime) -> float:
		day = moment.date()
		self._cover(day)
		seconds = self._before[day]
		for begin, finish in self.calendar.intervals(day):
			if moment <= begin:
				break
			seconds += (min(moment, finish) - begin).total_seconds()
		return seconds

	def _cover(self, day: date) -> None:
		if self._first is None:
			self._first = self._last = day
			self._before[day] = 0.0
			return
		while day > self._last:
			self._before[self._last + ONE_DAY] = self._before[self._last] + self._day_seconds(self._last)
			self._last += ONE_DAY
		while day < self._first:
			earlier = self._first - ONE_DAY
			self._before[earlier] = self._before[self._first] - self._day_seconds(earlier)
			self._first = earlier

	def _day_seconds(self, day: date) -> float:
		return sum((finish - begin).total_seconds() for begin, finish in self.calendar.intervals(day))


ONE_DAY = timedelta(days=1)


# ------------------------------------------------------------------ periods


def period_of(day: date | datetime, periodicity: str) -> str:
	"""The key of the month (``2026-03``) or quarter (``2026-Q1``) ``day`` falls in."""
	if periodicity == QUARTER:
		return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
	return f"{day.year}-{day.month:02d}"


def periods(from_date: date, to_date: date, periodicity: str) -> list[str]:
	"""The keys of every month or quarter from ``from_date`` to ``to_date``, in order."""
	keys, year, month = [], from_date.year, from_date.month
	while (year, month) <= (to_date.year, to_date.month):
		key = period_of(date(year, month, 1), periodicity)
		if not keys or keys[-1] != key:
			keys.append(key)
		year, month = (year + 1, 1) if month == 12 else (year, month + 1)
	return keys


def add_months(day: date, months: int) -> date:
	"""``day`` moved by ``months``, kept within the month (31 January + 1 month is 28/29 February)."""
	index = day.year * 12 + day.month - 1 + months
	year, month = divmod(index, 12)
	last = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
	return date(year, month + 1, min(day.day, last))


def month_end(day: date) -> date:
	return add_months(date(day.year, day.month, 1), 1) - timedelta(days=1)


def previous_range(from_date: date, to_date: date) -> tuple[date, date]:
	"""The period just before ``from_date``..``to_date`` and as long: whole months when the range is
	whole months (a quarter's previous quarter), else the same number of days."""
	if from_date.day == 1 and to_date == month_end(to_date):
		months = (to_date.year - from_date.year) * 12 + to_date.month - from_date.month + 1
		start = add_months(from_date, -months)
		return start, from_date - timedelta(days=1)
	days = (to_date - from_date).days + 1
	return from_date - timedelta(days=days), from_date - timedelta(days=1)


def last_year_range(from_date: date, to_date: date) -> tuple[date, date]:
	"""The same dates a year earlier (29 February becomes 28 February; a range ending on the last
	day of a month ends on the last day of that month a year earlier)."""
	end = add_months(to_date, -12)
	if to_date == month_end(to_date):
		end = month_end(end)
	return add_months(from_date, -12), end


# ------------------------------------------------------------------ recurrence


@dataclass(frozen=True)
class Occurrence:
	name: str
	received: datetime
	category: str | None
	item_code: str | None
	customer: str | None


def recurrences(complaints: Sequence[Occurrence], threshold: int, window_days: int) -> set[str]:
	"""The complaints that recur: with the earlier ones of the same category and the same item, or
	the same category and the same customer, received within ``window_days`` up to it, they reach
	``threshold`` (the rule that proposes a CAPA, ``rules.capa.recurring_complaints``, applied to
	every complaint at once in O(n log n)). Pass the complaints of the window before the period too,
	so the first ones of the period are judged with what came before them."""
	if threshold < 1:
		return set()
	window = timedelta(days=window_days)
	times = defaultdict(list)
	for c in complaints:
		if not c.category:
			continue
		for kind in ("item_code", "customer"):
			if value := getattr(c, kind):
				times[(c.category, kind, value)].append(c.received)
	for received in times.values():
		received.sort()
	found = set()
	for c in complaints:
		if not c.category:
			continue
		for kind in ("item_code", "customer"):
			value = getattr(c, kind)
			if not value:
				continue
			received = times[(c.category, kind, value)]
			# the others received from the window's start up to this one, at the same moment included
			others = (
				bisect.bisect_right(received, c.received)
				- bisect.bisect_left(received, c.received - window)
				- 1
			)
			if others + 1 >= threshold:
				found.add(c.name)
				break
	return found


# ------------------------------------------------------------------ figures of a set of complaints


@dataclass
class Figures:
	"""What the management review reads of a set of complaints."""

	complaints: int = 0
	major: int = 0
	decided: int = 0  # a validity decision other than Pending
	substantiated: int = 0  # validity Accepted
	sla_met: int = 0  # clocks met in time
	sla_breached: int = 0  # clocks breached (met late, or past due and still running)
	recurrences: int = 0
	loss_amount: float = 0.0
	satisfaction: Counter = field(default_factory=Counter)
	hours: dict = field(default_factory=dict)  # step -> (median, 90th percentile)

	@property
	def substantiated_share(self) -> float | None:
		"""Substantiated complaints as a share of those decided."""
		return share(self.substantiated, self.decided)

	@property
	def sla_compliance(self) -> float | None:
		"""Clocks met in time as a share of the clocks that were met or breached."""
		return share(self.sla_met, self.sla_met + self.sla_breached)

	def satisfaction_share(self, answer: str) -> float | None:
		"""``answer`` as a share of the complaints whose satisfaction was recorded."""
		return share(self.satisfaction[answer], sum(self.satisfaction.values()))

	def median(self, step: str) -> float | None:
		return self.hours.get(step, (None, None))[0]

	def p90(self, step: str) -> float | None:
		return self.hours.get(step, (None, None))[1]


def figures(rows: Iterable[Mapping]) -> Figures:
	"""The figures of ``rows`` (see the module docstring)."""
	out = Figures()
	hours = defaultdict(list)
	for row in rows:
		out.complaints += 1
		out.major += 1 if row.get("is_major") else 0
		validity = row.get("validity")
		if validity not in UNDECIDED:
			out.decided += 1
			out.substantiated += validity == ACCEPTED
		for status in row.get("sla_statuses") or ():
			out.sla_met += status == MET
			out.sla_breached += status == BREACHED
		out.recurrences += 1 if row.get("recurrence") else 0
		out.loss_amount += row.get("loss_amount") or 0
		if row.get("satisfaction"):
			out.satisfaction[row["satisfaction"]] += 1
		for step in STEPS:
			if row.get(step) is not None:
				hours[step].append(row[step])
	out.hours = {step: (percentile(hours[step], 50), percentile(hours[step], 90)) for step in STEPS}
	return out


def counts_by(rows: Iterable[Mapping], key: str, period_keys: Sequence[str]) -> dict[str, dict[str, int]]:
	"""Complaints per value of ``key`` and per period (``row["period"]``): {value: {period: n}};
	values are in descending order of their total, then by name; a missing value is ``""``."""
	table = defaultdict(Counter)
	for row in rows:
		table[row.get(key) or ""][row["period"]] += 1
	ordered = sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))
	return {value: {p: counts.get(p, 0) for p in period_keys} for value, counts in ordered}
