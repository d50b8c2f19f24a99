"""Service level clocks of a complaint: deadlines, statuses and the events they make due.

Pure functions over a :class:`~complaint_handling.rules.working_time.WorkingCalendar`; the site
side (``service_levels.clocks``) gathers the policy, the calendar, the pauses, the extensions and
the events already done once, calls :func:`schedule`, and writes back what it returns.

An event's ``key`` is its identity: the scheduler records each key once, and a key names the
deadline it belongs to, so an extended or paused deadline arms its reminders again.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from complaint_handling.rules.complaint import FINAL_STATUSES, Status
from complaint_handling.rules.working_time import WorkingCalendar


class SlaStatus:
	ON_TRACK = "On Track"
	DUE_SOON = "Due Soon"
	BREACHED = "Breached"
	MET = "Met"


def overall_status(statuses) -> str | None:
	"""A complaint's service level at a glance: its worst clock. ``statuses``: the clock statuses
	(``SlaStatus`` values or None for a clock that does not run). Breached before Due Soon before
	On Track before Met; None when no clock runs (no policy applies)."""
	present = {status for status in statuses if status}
	return next(
		(
			status
			for status in (SlaStatus.BREACHED, SlaStatus.DUE_SOON, SlaStatus.ON_TRACK, SlaStatus.MET)
			if status in present
		),
		None,
	)


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


@dataclass(frozen=True)
class FeedbackRule:
	"""Closure without feedback (domain.md, GMP): remind after ``reminder_days`` working days,
	close ``close_days`` working days later."""

	reminder_days: int
	close_days: int


@dataclass(frozen=True)
class ComplaintClocks:
	"""A complaint as its clocks see it. ``met`` and ``deadlines`` are keyed by clock name; the
	datetimes are naive, in the system time zone."""

	name: str
	status: str
	received_on: datetime
	is_major: bool = False
	waiting_on_customer: bool = False
	responded_on: datetime | None = None
	customer_feedback: bool = False
	met: Mapping[str, datetime | None] = field(default_factory=dict)
	deadlines: Mapping[str, datetime | None] = field(default_factory=dict)
	# when the current round of handling began: the resolution clock of a reopened complaint runs
	# from its reopening (None: from receipt)
	round_started_on: datetime | None = None


@dataclass(frozen=True)
class Schedule:
	"""Everything :func:`schedule` decides for one complaint, keyed by clock name."""

	deadlines: dict[str, datetime]
	statuses: dict[str, str]
	events: list
	next_check: datetime | None
	# a deadline runs outside the period the holidays are known for (issue: the Holiday List ends)
	beyond_calendar: bool = False


def clock_rule(policy: Mapping, clock: Clock, is_major: bool) -> ClockRule:
	"""The rule a Complaint SLA Policy (as a dict) sets for ``clock``; a major complaint's
	resolution uses ``resolve_within_major`` when the policy sets one."""
	amount = policy[f"{clock.policy_prefix}_within"]
	if clock.name == "resolution" and is_major and float(policy.get("resolve_within_major") or 0):
		amount = policy["resolve_within_major"]
	return ClockRule(
		float(amount or 0),
		policy[f"{clock.policy_prefix}_unit"],
		float(policy[f"{clock.policy_prefix}_remind_before"] or 0),
	)


def schedule(
	calendar: WorkingCalendar,
	complaint: ComplaintClocks,
	policy: Mapping,
	pauses: Iterable[Pause],
	extensions: Mapping[str, datetime],
	feedback: FeedbackRule | None,
	done: set[str],
	now: datetime,
) -> Schedule:
	"""Every deadline, clock status and event of a complaint, and when to look at it next.

	In: the company's calendar, the complaint, its matched policy (a dict with the escalation
	steps), its pauses, its approved extensions keyed by clock label (for a later round, only those
	decided during it), the feedback rule (None when
	closure without feedback is off), the keys of events already done, and ``now``. The complaint's
	stored ``deadlines`` are ignored: they are what this computes. Raises nothing of its own.
	"""
	pauses = list(pauses)
	deadlines, statuses = {}, {}
	for clock in CLOCKS:
		rule = clock_rule(policy, clock, complaint.is_major)
		start = complaint.received_on
		clock_pauses = pauses
		if clock.name == "resolution" and complaint.round_started_on:
			start = complaint.round_started_on
			clock_pauses = pauses_since(pauses, start)
		due = deadline(calendar, start, rule, clock_pauses, extensions.get(clock.label), now)
		deadlines[clock.name] = due
		statuses[clock.name] = status(due, remind_at(calendar, due, rule), complaint.met.get(clock.name), now)
	events = complaint_events(calendar, replace(complaint, deadlines=deadlines), policy, feedback)
	unmet = [deadlines[c.name] for c in CLOCKS if not complaint.met.get(c.name)]
	beyond = bool(unmet) and not calendar.covers(complaint.received_on, max(unmet))
	return Schedule(deadlines, statuses, events, next_check(events, done), beyond)


def pauses_since(pauses: Iterable[Pause], start: datetime) -> list[Pause]:
	"""The part of each pause that falls after ``start`` (a new round does not inherit old pauses)."""
	return [(max(paused, start), resumed) for paused, resumed in pauses if resumed is None or resumed > start]


def complaint_events(
	calendar: WorkingCalendar, complaint: ComplaintClocks, policy: Mapping, feedback: FeedbackRule | None
) -> list[Event]:
	"""Everything still to happen on a complaint, from its ``deadlines``: each unmet clock's
	reminder, breach and escalations (none while waiting on the customer), and, after the formal
	reply, the feedback reminder and closure without feedback. An ended complaint has none."""
	if complaint.status in FINAL_STATUSES:
		return []
	events = []
	if not complaint.waiting_on_customer:
		steps = [float(step["after_hours"] or 0) for step in policy.get("escalation_steps") or []]
		for clock in CLOCKS:
			due = complaint.deadlines.get(clock.name)
			if complaint.met.get(clock.name) or not due:
				continue
			rule = clock_rule(policy, clock, complaint.is_major)
			events += clock_events(calendar, complaint.name, clock, due, rule, steps)
	if (
		feedback
		and complaint.status == Status.RESPONDED
		and complaint.responded_on
		and not complaint.customer_feedback
	):
		events += feedback_events(
			calendar, complaint.name, complaint.responded_on, feedback.reminder_days, feedback.close_days
		)
	return events


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
