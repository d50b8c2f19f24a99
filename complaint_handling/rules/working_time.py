"""Working-time arithmetic: the only place in the app where deadlines are computed.

A :class:`WorkingCalendar` is built from working hours per weekday, a set of holidays (the
caller loads the company's ERPNext Holiday List once) and the system time zone; after that
nothing here touches a database. Moments are naive datetimes in the system time zone, as Frappe
stores them; only elapsed time is converted, at the edges, so that 48 hours across a change of
UTC offset are 48 real hours.

Three kinds of duration, as complaint procedures state them:

- ``Hours``: elapsed real time ("acknowledge within 24 hours"), counted from the first working
  moment;
- ``Working Hours``: time inside working hours only, as ERPNext's service level agreements count;
- ``Working Days``: the same time of day so many working days later ("resolve within 5 working
  days"), from the first working moment.

No frappe import: unit tests in ``tests/test_working_time.py`` run without a site.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

HOURS = "Hours"
WORKING_HOURS = "Working Hours"
WORKING_DAYS = "Working Days"

# A calendar whose every day is a holiday would loop for ever; ten years without a working
# moment is treated as a configuration error.
MAX_SCAN_DAYS = 3660
ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
	"""The calendar cannot answer: no working hours, overlapping hours, or none for ten years."""


class WorkingCalendar:
	def __init__(
		self,
		weekly_hours: Mapping[int, Sequence[tuple[time, time]]],
		holidays: Iterable[date] = (),
		time_zone: str | None = None,
		covered: tuple[date, date] | None = None,
	):
		"""``weekly_hours`` maps a weekday (0 is Monday) to its (start, end) intervals. An end of
		00:00 means midnight at the end of the day, so 00:00 to 00:00 is a whole day.
		``time_zone`` (an IANA name such as Europe/Berlin) is the zone the naive moments are in;
		without it elapsed time is wall-clock time. ``covered`` is the first and last day the holidays
		are known for (the Holiday List's period); days outside it count as working days. Raises :class:`CalendarError` for unusable
		hours and ``zoneinfo.ZoneInfoNotFoundError`` for an unknown zone."""
		self.holidays = frozenset(holidays)
		self.zone = ZoneInfo(time_zone) if time_zone else None
		self.covered = covered
		self._days: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
		self._hours: dict[int, tuple[tuple[timedelta, timedelta], ...]] = {}
		for weekday, intervals in weekly_hours.items():
			spans = sorted((_offset(start), _offset(end) or ONE_DAY) for start, end in intervals)
			for (start, end), following in zip(spans, [*spans[1:], None], strict=True):
				if start >= end:
					raise CalendarError(f"working hours on weekday {weekday} end before they start")
				if following and following[0] < end:
					raise CalendarError(f"working hours on weekday {weekday} overlap")
			if spans:
				self._hours[weekday] = tuple(spans)
		if not self._hours:
			raise CalendarError("no working hours in the week")

	def intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
		"""The working intervals of one day, empty on a holiday (memoised: deadlines revisit days)."""
		try:
			return self._days[day]
		except KeyError:
			pass
		if day in self.holidays:
			spans = ()
		else:
			midnight = datetime.combine(day, time.min)
			spans = tuple(
				(midnight + start, midnight + end) for start, end in self._hours.get(day.weekday(), ())
			)
		self._days[day] = spans
		return spans

	def covers(self, start: datetime, end: datetime) -> bool:
		"""Whether the holidays are known for every day from ``start`` to ``end`` (False when the
		calendar knows no period at all)."""
		return bool(self.covered) and self.covered[0] <= start.date() and end.date() <= self.covered[1]

	def is_working_day(self, day: date) -> bool:
		return day not in self.holidays and day.weekday() in self._hours

	def is_working_time(self, moment: datetime) -> bool:
		return any(start <= moment < end for start, end in self.intervals(moment.date()))

	def next_working_moment(self, moment: datetime) -> datetime:
		"""``moment`` itself if it is working time, else the start of the next working interval."""
		for day in self._days_from(moment.date()):
			for start, end in self.intervals(day):
				if moment < end:
					return max(moment, start)
		raise CalendarError("no working time within ten years")

	def add(self, moment: datetime, duration: timedelta) -> datetime:
		"""The moment ``duration`` of working time after ``moment``."""
		if duration < timedelta(0):
			raise ValueError("duration must not be negative")
		remaining = duration
		for day in self._days_from(moment.date()):
			for start, end in self.intervals(day):
				if moment >= end:
					continue
				begin = max(moment, start)
				if remaining <= end - begin:
					return begin + remaining
				remaining -= end - begin
		raise CalendarError("no working time within ten years")

	def subtract(self, moment: datetime, duration: timedelta) -> datetime:
		"""The moment ``duration`` of working time before ``moment``."""
		if duration < timedelta(0):
			raise ValueError("duration must not be negative")
		remaining = duration
		day = moment.date()
		for _ in range(MAX_SCAN_DAYS):
			for start, end in reversed(self.intervals(day)):
				if moment <= start:
					continue
				finish = min(moment, end)
				if remaining <= finish - start:
					return finish - remaining
				remaining -= finish - start
			day -= ONE_DAY
		raise CalendarError("no working time within ten years")

	def between(self, start: datetime, end: datetime) -> timedelta:
		"""Working time from ``start`` to ``end`` (zero if end is not later)."""
		total = timedelta(0)
		day = start.date()
		while day <= end.date():
			for begin, finish in self.intervals(day):
				overlap = min(finish, end) - max(begin, start)
				if overlap > timedelta(0):
					total += overlap
			day += ONE_DAY
		return total

	def add_working_days(self, moment: datetime, days: int) -> datetime:
		"""The same time of day ``days`` working days after the first working moment."""
		if days < 0:
			raise ValueError("days must not be negative")
		start = self.next_working_moment(moment)
		day = start.date()
		for _ in range(days):
			day = self._next_working_day(day + ONE_DAY)
		return self._clamp(day, start - datetime.combine(start.date(), time.min))

	def subtract_working_days(self, moment: datetime, days: int) -> datetime:
		"""The same time of day ``days`` working days before ``moment``."""
		if days < 0:
			raise ValueError("days must not be negative")
		if days == 0:
			return moment
		day = moment.date()
		for _ in range(days):
			day -= ONE_DAY
			for _ in range(MAX_SCAN_DAYS):
				if self.is_working_day(day):
					break
				day -= ONE_DAY
			else:
				raise CalendarError("no working time within ten years")
		return self._clamp(day, moment - datetime.combine(moment.date(), time.min))

	def deadline(self, start: datetime, amount: float, unit: str) -> datetime:
		"""When a clock of ``amount`` ``unit`` started at ``start`` runs out."""
		begin = self.next_working_moment(start)
		if unit == HOURS:
			return self.elapsed(begin, timedelta(hours=amount))
		if unit == WORKING_HOURS:
			return self.add(begin, timedelta(hours=amount))
		if unit == WORKING_DAYS:
			return self.add_working_days(begin, _whole_days(amount))
		raise ValueError(f"unknown unit {unit!r}")

	def before(self, moment: datetime, amount: float, unit: str) -> datetime:
		"""``amount`` ``unit`` before ``moment`` (for reminders ahead of a deadline)."""
		if unit == HOURS:
			return self.elapsed(moment, -timedelta(hours=amount))
		if unit == WORKING_HOURS:
			return self.subtract(moment, timedelta(hours=amount))
		if unit == WORKING_DAYS:
			return self.subtract_working_days(moment, _whole_days(amount))
		raise ValueError(f"unknown unit {unit!r}")

	def shift(self, moment: datetime, pause_start: datetime, pause_end: datetime, unit: str) -> datetime:
		"""``moment`` pushed back by a pause, measured the way the clock counts."""
		if unit == HOURS:
			return self.elapsed(moment, max(self.real_time_between(pause_start, pause_end), timedelta(0)))
		return self.add(moment, self.between(pause_start, pause_end))

	def elapsed(self, moment: datetime, duration: timedelta) -> datetime:
		"""The local moment ``duration`` of real time after (or, negative, before) ``moment``: the
		hour a clock change skips or repeats counts once, as it passes."""
		if not self.zone:
			return moment + duration
		instant = moment.replace(tzinfo=self.zone).astimezone(timezone.utc) + duration
		return instant.astimezone(self.zone).replace(tzinfo=None)

	def real_time_between(self, start: datetime, end: datetime) -> timedelta:
		"""Real time from ``start`` to ``end`` (local moments)."""
		if not self.zone:
			return end - start
		return end.replace(tzinfo=self.zone).astimezone(timezone.utc) - start.replace(
			tzinfo=self.zone
		).astimezone(timezone.utc)

	def _next_working_day(self, day: date) -> date:
		for candidate in self._days_from(day):
			if self.is_working_day(candidate):
				return candidate
		raise CalendarError("no working time within ten years")

	def _clamp(self, day: date, time_of_day: timedelta) -> datetime:
		"""That time on ``day``, kept inside the day's working hours."""
		midnight = datetime.combine(day, time.min)
		spans = self._hours[day.weekday()]
		offset = min(max(time_of_day, spans[0][0]), spans[-1][1])
		return midnight + offset

	@staticmethod
	def _days_from(day: date):
		for _ in range(MAX_SCAN_DAYS):
			yield day
			day += ONE_DAY


def _offset(moment: time) -> timedelta:
	return timedelta(
		hours=moment.hour, minutes=moment.minute, seconds=moment.second, microseconds=moment.microsecond
	)


def _whole_days(amount: float) -> int:
	if amount != int(amount):
		raise ValueError("working days must be a whole number")
	return int(amount)


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
