"""Appeal rules that need no database: filing windows, deadlines, and who may not sit on a panel.

domain.md "Deadlines": appeals are filed within 30 days of the decision (accreditation) or 10
working days (certification); acceptance is decided within 5 working days; the decision is due
within 2 months (or 30 days); an overturned decision is implemented within 10 working days.
"Independence": nobody involved in the original case may decide the appeal (ISO/IEC 17065).
"""

import calendar as gregorian
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from complaint_handling.rules.service_levels import Event, deadline_events
from complaint_handling.rules.working_time import WorkingCalendar

DAYS, WORKING_DAYS, MONTHS = "Days", "Working Days", "Months"
END_OF_DAY = time(23, 59, 59)


class AppealStatus:
	DRAFT = "Draft"
	RECEIVED = "Received"
	ACCEPTED = "Accepted"
	NOT_ACCEPTED = "Not Accepted"
	DECIDED = "Decided"
	CLOSED = "Closed"


# moving an appeal into these is a decision on it (acceptance, outcome, closure); registering a
# received appeal is not, so whoever decided the complaint may still register it
DECIDING_STATUSES = frozenset(
	{AppealStatus.ACCEPTED, AppealStatus.NOT_ACCEPTED, AppealStatus.DECIDED, AppealStatus.CLOSED}
)


class Outcome:
	UPHELD = "Upheld"
	OVERTURNED = "Overturned"
	PARTIALLY_UPHELD = "Partially Upheld"


# an appeal still running: a second one on the same decision is refused while one of these exists
OPEN_STATUSES = frozenset(
	{AppealStatus.DRAFT, AppealStatus.RECEIVED, AppealStatus.ACCEPTED, AppealStatus.DECIDED}
)
# decided outcomes that send the original case back to be handled again
REOPENING_OUTCOMES = frozenset({Outcome.OVERTURNED, Outcome.PARTIALLY_UPHELD})


def add_months(day: date, months: int) -> date:
	month_index = day.month - 1 + months
	year, month = day.year + month_index // 12, month_index % 12 + 1
	return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def period_end(calendar: WorkingCalendar, start: datetime, amount: int, unit: str) -> datetime:
	"""When a period of ``amount`` ``unit`` that begins at ``start`` runs out.

	Days and months end at the end of their last day; working days at the same time of day so
	many working days later, from the first working moment."""
	if amount < 0:
		raise ValueError("a period cannot be negative")
	if unit == DAYS:
		return datetime.combine(start.date() + timedelta(days=amount), END_OF_DAY)
	if unit == MONTHS:
		return datetime.combine(add_months(start.date(), amount), END_OF_DAY)
	if unit == WORKING_DAYS:
		return calendar.add_working_days(start, amount)
	raise ValueError(f"unknown unit {unit!r}")


def filed_late(filed_on: datetime, window_closes: datetime) -> bool:
	return filed_on > window_closes


def panel_conflicts(
	panel: Iterable[str],
	decided: Iterable[str],
	handled: Iterable[str],
	investigated: Iterable[str],
	involved: Mapping[str, str],
	declared: Mapping[str, str],
) -> dict[str, str]:
	"""For each panel member who may not sit, the reason: ``(kind, detail)`` joined as ``kind:detail``.

	Kinds: decided, handled, investigated (the original case), involved (with the relation),
	declared (a conflict recorded on the appeal, e.g. worked for the client in the last 2 years).
	"""
	decided, handled, investigated = set(decided), set(handled), set(investigated)
	conflicts = {}
	for user in panel:
		if user in declared:
			conflicts[user] = f"declared:{declared[user]}"
		elif user in involved:
			conflicts[user] = f"involved:{involved[user]}"
		elif user in decided:
			conflicts[user] = "decided:"
		elif user in investigated:
			conflicts[user] = "investigated:"
		elif user in handled:
			conflicts[user] = "handled:"
	return conflicts


# escalation after a missed appeal deadline: the quality managers at once, the general managers a
# working day (8 working hours) later
ESCALATION_HOURS = (0, 8)


def deadline_events_of(
	calendar: WorkingCalendar,
	appeal: str,
	status: str,
	deadlines: Mapping[str, datetime | None],
	implemented: bool,
	reminder_days: int,
) -> list[Event]:
	"""Reminder before, breach at, and escalation after the one deadline the appeal's ``status``
	waits on: acceptance (Received), decision (Accepted) or implementation (Decided, until
	implemented). ``deadlines`` is keyed by those names (naive, system time zone); the reminder
	comes ``reminder_days`` working days before. No deadline, no events."""
	clock = {
		AppealStatus.RECEIVED: "acceptance",
		AppealStatus.ACCEPTED: "decision",
		AppealStatus.DECIDED: "implementation",
	}.get(status)
	due = clock and deadlines.get(clock)
	if not due or (clock == "implementation" and implemented):
		return []
	reminder = calendar.before(due, reminder_days, WORKING_DAYS) if reminder_days else None
	return deadline_events(calendar, f"{appeal}:{clock}", clock, due, reminder, ESCALATION_HOURS)
