"""Trend figures of complaints that need no database (issue 14, the quarterly trend analysis of
domain.md "Records and analysis"): periods, percentiles, shares and changes, recurrences, the figures of a set of
complaints from the sums the Complaint Trends report's query returns, and its tables of counts.

What counts: a complaint is decided when its validity is not UNDECIDED, substantiated when it is
ACCEPTED; each of its three clocks counts as MET or BREACHED (met late, or past due and running).
"""

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import compress

MONTH, QUARTER = "Month", "Quarter"
ACCEPTED = "Accepted"  # the validity of a substantiated complaint (投诉成立)
UNDECIDED = frozenset({None, "", "Pending"})
MET, BREACHED = "Met", "Breached"
STEPS = ("hours_to_acknowledge", "hours_to_respond", "hours_to_close")
SATISFACTION = ("Satisfied", "Partly Satisfied", "Not Satisfied")
# the sums a set of complaints is summed up by, in the order the report's query returns them
COUNTS = (
	"complaints",
	"major",
	"decided",
	"substantiated",
	"sla_met",
	"sla_breached",
	"recurrences",
	"loss_amount",
)


# ------------------------------------------------------------------ numbers


def percentile(values: Iterable[float], q: float) -> float | None:
	"""The ``q``-th percentile (0 to 100) by linear interpolation between the closest ranks (as
	``statistics.quantiles(method="inclusive")`` and numpy's default): the median is ``q=50``.
	None for no values."""
	return percentiles(values, q)[0]


def percentiles(values: Iterable[float], *qs: float) -> tuple[float | None, ...]:
	""":func:`percentile` for each of ``qs``, sorting ``values`` once (None values are left out)."""
	values = list(values)
	ordered = sorted(values if None not in values else (v for v in values if v is not None))
	out = []
	for q in qs:
		if not 0 <= q <= 100:
			raise ValueError(f"percentile {q} is not between 0 and 100")
		if not ordered:
			out.append(None)
			continue
		position = (len(ordered) - 1) * q / 100
		low = math.floor(position)
		high = min(low + 1, len(ordered) - 1)
		out.append(ordered[low] + (ordered[high] - ordered[low]) * (position - low))
	return tuple(out)


def share(part: float, whole: float) -> float | None:
	"""``part`` as a percentage of ``whole``, one decimal; None when there is no whole."""
	return round(100 * part / whole, 1) if whole else None


def change(current: float | None, before: float | None) -> float | None:
	"""The change from ``before`` to ``current`` in percent; None when there was nothing before."""
	if current is None or not before:
		return None
	return round(100 * (current - before) / before, 1)


# ------------------------------------------------------------------ periods


def period_of(day: date | datetime, periodicity: str) -> str:
	"""The key of the month (``2026-03``) or quarter (``2026-Q1``) ``day`` falls in."""
	if periodicity == QUARTER:
		return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
	return f"{day.year}-{day.month:02d}"


def period_start(key: str) -> date:
	"""The first day of the month (``2026-03``) or quarter (``2026-Q1``) of ``key``."""
	year, part = key.split("-")
	month = (int(part[1:]) - 1) * 3 + 1 if part.startswith("Q") else int(part)
	return date(int(year), month, 1)


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


def recurring(partitions: Iterable[Sequence[Sequence]], threshold: int, window: int) -> set[str]:
	"""The complaints that recur: with the earlier ones of the same category and the same item, or
	the same category and the same customer, received within ``window`` up to it (the same moment
	included), they reach ``threshold`` (the rule that proposes a CAPA,
	``rules.capa.recurring_complaints``, applied to every complaint at once in O(n log n)).

	Each partition is the complaints of one category with one item, or with one customer, each a
	sequence that begins ``(moment, name)`` (what follows is the caller's), in order of moment;
	moments and ``window`` in one unit (the report uses microseconds). Pass the complaints of the
	window before the period too, so the first ones of the period are judged with what came before
	them."""
	if threshold < 1:
		return set()
	found = set()
	for partition in partitions:
		if len(partition) < threshold:
			continue
		moments = [complaint[0] for complaint in partition]
		names = [complaint[1] for complaint in partition]
		if len(set(moments)) < len(moments):
			found.update(_recurring_with_ties(moments, names, threshold, window))
			continue
		# no two at one moment: a complaint recurs when the one threshold - 1 before it came within
		# the window (compared pairwise, which is many times faster than a search for each)
		span = threshold - 1
		found.update(
			compress(names[span:], [b - a <= window for a, b in zip(moments, moments[span:], strict=False)])
		)
	return found


def _recurring_with_ties(moments: list, names: list, threshold: int, window: int) -> list[str]:
	""":func:`recurring` for one partition in which some complaints share a moment: those received
	from the window's start up to each one, the same moment included, are counted."""
	return [
		name
		for moment, name in zip(moments, names, strict=True)
		if bisect.bisect_right(moments, moment) - bisect.bisect_left(moments, moment - window) >= threshold
	]


# ------------------------------------------------------------------ figures of a set of complaints


@dataclass
class Figures:
	"""What the management review reads of a set of complaints. :meth:`of` makes it from the sums
	the report's query returns (COUNTS); ``satisfaction`` counts the SATISFACTION answers given in
	the period (at closure and in surveys); ``hours`` are the median and 90th percentile of the
	working hours to each of STEPS."""

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
		"""``answer`` as a share of the answers given."""
		return share(self.satisfaction[answer], sum(self.satisfaction.values()))

	def median(self, step: str) -> float | None:
		return self.hours.get(step, (None, None))[0]

	def p90(self, step: str) -> float | None:
		return self.hours.get(step, (None, None))[1]

	@classmethod
	def of(cls, sums: Sequence) -> "Figures":
		"""From ``sums`` in the order of COUNTS (None for 0); the satisfaction answers are counted
		apart, by the day they were given."""
		counts = dict(zip(COUNTS, sums, strict=True))
		return cls(
			**{name: int(value or 0) for name, value in counts.items() if name != "loss_amount"},
			loss_amount=float(counts["loss_amount"] or 0),
		)

	def __add__(self, other: "Figures") -> "Figures":
		return Figures(
			**{name: getattr(self, name) + getattr(other, name) for name in COUNTS},
			satisfaction=self.satisfaction + other.satisfaction,
		)


def total(parts: Iterable[Figures]) -> Figures:
	"""The figures of the complaints of all ``parts`` together (no working hours: percentiles do not
	add up)."""
	return sum(parts, Figures())


def ordered_counts(
	counts: Mapping[tuple[str, str], int], period_keys: Sequence[str]
) -> dict[str, dict[str, int]]:
	"""Complaints per value and period, from {(value, period): n}, as {value: {period: n}} with every
	period of ``period_keys``; values in descending order of their total, then by name; a missing
	value is ``""``."""
	table = defaultdict(Counter)
	for (value, period), n in counts.items():
		table[value or ""][period] += n
	ordered = sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0]))
	return {value: {p: by_period.get(p, 0) for p in period_keys} for value, by_period in ordered}
