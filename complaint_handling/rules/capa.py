"""CAPA rules that need no database: recurrence, closure gates, and action deadlines.

domain.md (002): a complaint that recurs, or stays unresolved after being tracked twice or more,
must enter the CAPA procedure; (000, 001, 003): CAPA is implemented, tracked and its
effectiveness verified before it closes.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from complaint_handling.rules.service_levels import Event, EventKind, deadline_events
from complaint_handling.rules.working_time import WorkingCalendar


class CapaStatus:
	DRAFT = "Draft"
	OPEN = "Open"
	PENDING_VERIFICATION = "Pending Verification"
	CLOSED = "Closed"
	CANCELLED = "Cancelled"


class ActionStatus:
	OPEN = "Open"
	DONE = "Done"
	CANCELLED = "Cancelled"


EFFECTIVE, INEFFECTIVE = "Effective", "Ineffective"
ENDED = frozenset({CapaStatus.CLOSED, CapaStatus.CANCELLED})


@dataclass(frozen=True)
class ComplaintFacts:
	name: str
	received: datetime
	category: str | None
	item_code: str | None
	customer: str | None


def recurring_complaints(
	new: ComplaintFacts, earlier: Iterable[ComplaintFacts], threshold: int, window_days: int
) -> list[str]:
	"""The complaints that together make ``new`` a recurrence, ``new`` included, or [].

	A recurrence is ``threshold`` complaints of the same category and the same item, or the same
	category and the same customer, received within ``window_days`` up to ``new``.
	"""
	if threshold < 1 or not new.category:
		return []
	since = new.received - timedelta(days=window_days)
	recent = [
		c
		for c in earlier
		if c.name != new.name and since <= c.received <= new.received and c.category == new.category
	]
	for field in ("item_code", "customer"):
		value = getattr(new, field)
		if not value:
			continue
		same = [c.name for c in recent if getattr(c, field) == value]
		if len(same) + 1 >= threshold:
			return sorted([new.name, *same])
	return []


def reopened_too_often(reopen_count: int, threshold: int) -> bool:
	return threshold > 0 and reopen_count >= threshold


@dataclass(frozen=True)
class Action:
	name: str
	idx: int
	owner: str
	due: date
	status: str
	completed_on: date | None = None
	added: datetime | None = None  # None: being added now


@dataclass(frozen=True)
class Check:
	checked_on: date
	result: str
	recorded: datetime | None = None  # None: being recorded now


def open_actions(actions: Iterable[Action]) -> list[Action]:
	return [a for a in actions if a.status == ActionStatus.OPEN]


def verification_problems(actions: Sequence[Action], checks: Sequence[Check]) -> list[str]:
	"""Why the actions cannot go for verification yet ([] if they can)."""
	problems = []
	if not any(a.status == ActionStatus.DONE for a in actions):
		problems.append("no action done")
	if open_actions(actions):
		problems.append("open actions")
	if not acted_since_ineffective(actions, checks):
		problems.append("no action done since the ineffective check")
	return problems


def acted_since_ineffective(actions: Sequence[Action], checks: Sequence[Check]) -> bool:
	"""Whether an action added after the latest ineffective check (recorded earlier) is done: what
	an ineffective finding asks for, so neither verification nor a later effective check can skip
	it. True when no check was found ineffective."""
	recorded = [c.recorded for c in checks if c.result == INEFFECTIVE and c.recorded]
	if not recorded:
		return True
	since = max(recorded)
	return any(a.status == ActionStatus.DONE and (a.added is None or a.added > since) for a in actions)


def closure_problems(actions: Sequence[Action], checks: Sequence[Check]) -> list[str]:
	"""Why the CAPA cannot close yet ([] if it can): every action done, one of them added after any
	ineffective check, and the last check effective and made after the last action was done."""
	problems = verification_problems(actions, checks)
	last = checks[-1] if checks else None
	if not last:
		problems.append("no effectiveness check")
	elif last.result != EFFECTIVE:
		problems.append("last check not effective")
	else:
		done = [a.completed_on for a in actions if a.status == ActionStatus.DONE and a.completed_on]
		if done and last.checked_on < max(done):
			problems.append("check before the last action was done")
	return problems


def action_deadline(due: date) -> datetime:
	"""An action due on a day is overdue once that day is over."""
	return datetime.combine(due, time(23, 59, 59))


def capa_events(
	calendar: WorkingCalendar,
	capa: str,
	status: str,
	actions: Iterable[Action],
	check_date: date | None,
	reminder_days: int,
	escalation_hours: float,
) -> list[Event]:
	"""Reminders before each open action's due date, then the owner and the quality managers
	after it passes; a reminder to the verifier on the effectiveness check date."""
	events = []
	if status in (CapaStatus.OPEN, CapaStatus.PENDING_VERIFICATION):
		for action in open_actions(actions):
			due = action_deadline(action.due)
			reminder = calendar.subtract_working_days(due, reminder_days) if reminder_days else None
			events += deadline_events(
				calendar,
				f"{capa}:action:{action.name}",
				f"action {action.idx}",
				due,
				reminder,
				[0, escalation_hours],
			)
	if status == CapaStatus.PENDING_VERIFICATION and check_date:
		at = calendar.next_working_moment(datetime.combine(check_date, time.min))
		key = f"{capa}:effectiveness:{check_date:%Y%m%d}:reminder"
		events.append(Event(at, key, "effectiveness", EventKind.REMINDER, deadline=at))
	return events
