"""Service level clocks of a complaint: deadlines, statuses and the events they make due.

Pure functions over a :class:`~complaint_handling.working_time.WorkingCalendar`; the frappe side
(``sla.py``) loads the policy, the calendar and the complaint, and acts on the events.

An event's ``key`` is its identity: the scheduler records each key once, and a key names the
deadline it belongs to, so an extended or paused deadline arms its reminders again.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from complaint_handling.working_time import WorkingCalendar


class SlaStatus:
	ON_TRACK = "On Track"
	DUE_SOON = "Due Soon"
	BREACHED = "Breached"
	MET = "Met"


class EventKind:
	REMINDER = "Reminder"
	BREACH = "Breach"
	ESCALATION = "Escalation"
	FEEDBACK_REMINDER = "Feedback Reminder"
	AUTO_CLOSE = "Auto Close"


@dataclass(frozen=True)
class Clock:
	name: str  # used in event keys
	label: str  # the option in Complaint Deadline Extension.clock
	policy_prefix: str  # Complaint SLA Policy fields: <prefix>_within, _unit, _remind_before
	deadline_field: str
	status_field: str
	met_field: str


CLOCKS = (
	Clock(
		"acknowledgement",
		"Acknowledgement",
		"acknowledge",
		"acknowledge_by",
		"acknowledgement_sla_status",
		"acknowledged_on",
	),
	Clock("response", "First Response", "respond", "respond_by", "response_sla_status", "first_responded_on"),
	Clock("resolution", "Resolution", "resolve", "resolve_by", "resolution_sla_status", "responded_on"),
)


@dataclass(frozen=True)
class ClockRule:
	amount: float
	unit: str
	remind_before: float = 0


@dataclass(frozen=True, order=True)
class Event:
	at: datetime
	key: str
	clock: str
	kind: str
	level: int = 0
	deadline: datetime | None = None  # the moment the event is about (for reminders, later than ``at``)


Pause = tuple[datetime, datetime | None]


def match_policy(policies: Iterable, category: str | None, severity: str | None):
	"""The most specific policy that fits: category and severity, then category, then severity,
	then a policy for everything. Each policy has ``complaint_category`` and ``severity`` (or None)."""
	best, best_rank = None, -1
	for policy in policies:
		if policy.get("complaint_category") and policy.get("complaint_category") != category:
			continue
		if policy.get("severity") and policy.get("severity") != severity:
			continue
		rank = 2 * bool(policy.get("complaint_category")) + bool(policy.get("severity"))
		if rank > best_rank:
			best, best_rank = policy, rank
	return best


def deadline(
	calendar: WorkingCalendar,
	start: datetime,
	rule: ClockRule,
	pauses: Iterable[Pause] = (),
	extended_to: datetime | None = None,
	now: datetime | None = None,
) -> datetime:
	"""When the clock runs out: from the first working moment after ``start`` (or the approved
	extension), pushed back by every pause that began before it. An open pause counts until now."""
	due = extended_to or calendar.deadline(start, rule.amount, rule.unit)
	for paused_on, resumed_on in sorted(pauses, key=lambda p: p[0]):
		if paused_on >= due:
			continue
		due = calendar.shift(due, paused_on, resumed_on or now or paused_on, rule.unit)
	return due


def remind_at(calendar: WorkingCalendar, due: datetime, rule: ClockRule) -> datetime | None:
	return calendar.before(due, rule.remind_before, rule.unit) if rule.remind_before else None


def status(due: datetime, reminder: datetime | None, met_on: datetime | None, now: datetime) -> str:
	if met_on:
		return SlaStatus.MET if met_on <= due else SlaStatus.BREACHED
	if now >= due:
		return SlaStatus.BREACHED
	if reminder and now >= reminder:
		return SlaStatus.DUE_SOON
	return SlaStatus.ON_TRACK


def clock_events(
	calendar: WorkingCalendar,
	complaint: str,
	clock: Clock,
	due: datetime,
	rule: ClockRule,
	escalation_hours: Sequence[float],
) -> list[Event]:
	"""Reminder before, breach at, and each escalation step after the deadline."""
	return deadline_events(
		calendar,
		f"{complaint}:{clock.name}",
		clock.name,
		due,
		remind_at(calendar, due, rule),
		escalation_hours,
	)


def deadline_events(
	calendar: WorkingCalendar,
	prefix: str,
	clock: str,
	due: datetime,
	reminder: datetime | None,
	escalation_hours: Sequence[float],
) -> list[Event]:
	"""Reminder before, breach at, and each escalation step so many working hours after ``due``."""
	stamp = f"{prefix}:{due:%Y%m%d%H%M%S}"
	events = [Event(due, f"{stamp}:breach", clock, EventKind.BREACH, deadline=due)]
	if reminder:
		events.append(Event(reminder, f"{stamp}:reminder", clock, EventKind.REMINDER, deadline=due))
	for level, hours in enumerate(escalation_hours, start=1):
		at = calendar.add(due, timedelta(hours=hours)) if hours else due
		events.append(
			Event(at, f"{stamp}:escalation:{level}", clock, EventKind.ESCALATION, level, deadline=due)
		)
	return events


def feedback_events(
	calendar: WorkingCalendar, complaint: str, responded_on: datetime, reminder_days: int, close_days: int
) -> list[Event]:
	"""domain.md: remind a silent complainant N working days after the formal reply, close M later."""
	reminder = calendar.add_working_days(responded_on, reminder_days)
	stamp = f"{complaint}:feedback:{responded_on:%Y%m%d%H%M%S}"
	close = calendar.add_working_days(reminder, close_days)
	return [
		Event(reminder, f"{stamp}:reminder", "feedback", EventKind.FEEDBACK_REMINDER, deadline=reminder),
		Event(close, f"{stamp}:close", "feedback", EventKind.AUTO_CLOSE, deadline=close),
	]


def due_events(events: Iterable[Event], done: set[str], now: datetime) -> list[Event]:
	return sorted(e for e in events if e.at <= now and e.key not in done)


def next_check(events: Iterable[Event], done: set[str]) -> datetime | None:
	"""When the scheduler must next look at this complaint: its earliest event not yet done."""
	return min((e.at for e in events if e.key not in done), default=None)
