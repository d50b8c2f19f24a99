"""The dates a management review covers, with no database: a month or a quarter holding a given day,
or chosen dates."""

import calendar
from datetime import date

MONTH, QUARTER, CUSTOM = "Month", "Quarter", "Custom"


def bounds(period_type: str, from_date: date, to_date: date | None = None) -> tuple[date, date]:
	"""(first day, last day) of the review. A month or quarter is the whole one holding
	``from_date``; a custom period is ``from_date`` to ``to_date`` as given."""
	if period_type == MONTH:
		first = from_date.replace(day=1)
		return first, month_end(first)
	if period_type == QUARTER:
		first = date(from_date.year, 3 * ((from_date.month - 1) // 3) + 1, 1)
		return first, month_end(date(first.year, first.month + 2, 1))
	return from_date, to_date or from_date


def month_end(day: date) -> date:
	return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def key(period_type: str, first: date, last: date) -> str:
	"""The period in a review's name: ``2026-11``, ``2026-Q4``, or ``20261103-20261120``."""
	if period_type == MONTH:
		return f"{first:%Y-%m}"
	if period_type == QUARTER:
		return f"{first.year}-Q{(first.month - 1) // 3 + 1}"
	return f"{first:%Y%m%d}-{last:%Y%m%d}"
