"""Service levels of complaints on the site: the policy and calendar a complaint runs on, its
deadlines on every save, and the scheduled sweep that reminds, marks breaches, escalates and
closes complaints whose complainant never answered.

The maths lives in ``working_time`` and ``sla_rules``; this module loads what they need (once,
from cached documents) and acts on what they decide.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import cint, flt, format_datetime, get_datetime, getdate, now_datetime
from frappe.utils.user import get_users_with_role

from complaint_handling import reminders, sla_rules
from complaint_handling.rules import FINAL_STATUSES, Status
from complaint_handling.setup import defaults
from complaint_handling.sla_rules import CLOCKS, ClockRule, EventKind, SlaStatus
from complaint_handling.working_time import CalendarError, WorkingCalendar

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FALLBACK_HOURS = {day: [(time(9), time(17))] for day in range(5)}
POLICY_CACHE_KEY = "complaint_sla_policies"
CLOCK_LABELS = {clock.name: clock.label for clock in CLOCKS}

# what the sweep reads of each due complaint: one indexed query, no documents loaded
SWEEP_FIELDS = [
	"name",
	"subject",
	"company",
	"status",
	"sla_policy",
	"is_major",
	"waiting_on_customer",
	"complaint_category",
	"customer_feedback",
	"_assign",
	*(clock.deadline_field for clock in CLOCKS),
	*(clock.met_field for clock in CLOCKS),
	*(clock.status_field for clock in CLOCKS),
]

_calendars: dict[tuple, WorkingCalendar] = {}


# ------------------------------------------------------------------ configuration


def get_policies() -> list[dict]:
	"""Enabled policies with their escalation steps, cached until a policy changes."""
	policies = frappe.cache.get_value(POLICY_CACHE_KEY)
	if policies is None:
		policies = [
			frappe.get_doc("Complaint SLA Policy", name).as_dict()
			for name in frappe.get_all("Complaint SLA Policy", filters={"enabled": 1}, pluck="name")
		]
		frappe.cache.set_value(POLICY_CACHE_KEY, policies)
	return policies


def clear_policy_cache() -> None:
	frappe.cache.delete_value(POLICY_CACHE_KEY)


def get_calendar(company: str | None, on: datetime | None = None) -> WorkingCalendar:
	"""Working hours from Complaint Settings and holidays from the company's Holiday List.

	Both are read from the document cache and each distinct calendar is built once, so computing a
	deadline costs no query. A missing holiday list, or one that does not cover the date, is
	logged and the deadlines count weekdays only.
	"""
	settings = frappe.get_cached_doc("Complaint Settings")
	holiday_list = company and frappe.get_cached_value("Company", company, "default_holiday_list")
	holiday_doc = frappe.get_cached_doc("Holiday List", holiday_list) if holiday_list else None
	if on and not (
		holiday_doc and getdate(holiday_doc.from_date) <= getdate(on) <= getdate(holiday_doc.to_date)
	):
		reminders.warn(
			_(
				"Company {0} has no Holiday List covering {1}: deadlines skip weekends but no holidays."
			).format(company, format_datetime(on, "yyyy-MM-dd"))
		)

	# the same cached documents give the same calendar: skip rebuilding the key for them
	seen = getattr(frappe.local, "complaint_calendars", None)
	if seen is None:
		seen = frappe.local.complaint_calendars = {}
	if (hit := seen.get((id(settings), id(holiday_doc)))) and hit[0] is settings and hit[1] is holiday_doc:
		return hit[2]
	# keyed by content, not by modified stamps: two versions saved in the same instant (frozen
	# time in tests, fast scripts) must not share a calendar
	hours = working_hours(settings) or FALLBACK_HOURS
	holidays = (
		frozenset(getdate(row.holiday_date) for row in holiday_doc.holidays) if holiday_doc else frozenset()
	)
	key = (tuple((day, tuple(spans)) for day, spans in sorted(hours.items())), holidays)
	if key not in _calendars:
		try:
			_calendars[key] = WorkingCalendar(hours, holidays)
		except CalendarError as e:
			reminders.warn(
				_(
					"Working hours in Complaint Settings are not usable ({0}); using Monday to Friday, 09:00 to 17:00."
				).format(e)
			)
			_calendars[key] = WorkingCalendar(FALLBACK_HOURS, holidays)
	seen[(id(settings), id(holiday_doc))] = (settings, holiday_doc, _calendars[key])
	return _calendars[key]


def working_hours(settings) -> dict[int, list[tuple[time, time]]]:
	hours = defaultdict(list)
	for row in settings.working_hours:
		hours[WEEKDAYS.index(row.weekday)].append((_as_time(row.start_time), _as_time(row.end_time)))
	return dict(hours)


def clock_rule(policy: dict, clock: sla_rules.Clock, is_major: bool) -> ClockRule:
	amount = policy[f"{clock.policy_prefix}_within"]
	if clock.name == "resolution" and is_major and flt(policy.get("resolve_within_major")):
		amount = policy["resolve_within_major"]
	return ClockRule(
		flt(amount),
		policy[f"{clock.policy_prefix}_unit"],
		flt(policy[f"{clock.policy_prefix}_remind_before"]),
	)


# ------------------------------------------------------------------ on save


def apply(doc) -> None:
	"""Set the complaint's policy, deadlines, clock statuses and next check (from validate)."""
	track_pause(doc)
	policy = sla_rules.match_policy(get_policies(), doc.complaint_category, doc.severity)
	doc.sla_policy = policy and policy["name"]
	if not policy:
		for clock in CLOCKS:
			doc.set(clock.deadline_field, None)
			doc.set(clock.status_field, None)
		doc.next_sla_check = None
		return

	now = now_datetime()
	calendar = get_calendar(doc.company, doc.received_on)
	pauses = [
		(get_datetime(p.paused_on), p.resumed_on and get_datetime(p.resumed_on)) for p in doc.sla_pauses
	]
	extended = {
		row.clock: get_datetime(row.extend_to) for row in doc.deadline_extensions if row.status == "Approved"
	}
	for clock in CLOCKS:
		rule = clock_rule(policy, clock, doc.is_major)
		due = sla_rules.deadline(
			calendar, get_datetime(doc.received_on), rule, pauses, extended.get(clock.label), now
		)
		met_on = doc.get(clock.met_field) and get_datetime(doc.get(clock.met_field))
		doc.set(clock.deadline_field, due)
		doc.set(
			clock.status_field, sla_rules.status(due, sla_rules.remind_at(calendar, due, rule), met_on, now)
		)

	done = set() if doc.is_new() else reminders.done_keys([doc.name])
	doc.next_sla_check = sla_rules.next_check(complaint_events(doc, policy, calendar), done)


def track_pause(doc) -> None:
	"""Waiting on the customer stops the clocks; each pause is kept as a row."""
	if not doc.has_value_changed("waiting_on_customer") or (doc.is_new() and not doc.waiting_on_customer):
		return
	open_pause = next((p for p in doc.sla_pauses if not p.resumed_on), None)
	if doc.waiting_on_customer and not open_pause:
		doc.append("sla_pauses", {"paused_on": now_datetime(), "paused_by": frappe.session.user})
	elif not doc.waiting_on_customer and open_pause:
		open_pause.resumed_on = now_datetime()


def complaint_events(row, policy: dict, calendar: WorkingCalendar) -> list[sla_rules.Event]:
	"""Everything still to happen on this complaint, from its stored deadlines."""
	if row.status in FINAL_STATUSES:
		return []
	events = []
	if not cint(row.waiting_on_customer):
		for clock in CLOCKS:
			if row.get(clock.met_field) or not row.get(clock.deadline_field):
				continue
			steps = [flt(step["after_hours"]) for step in policy.get("escalation_steps") or []]
			events += sla_rules.clock_events(
				calendar,
				row.name,
				clock,
				get_datetime(row.get(clock.deadline_field)),
				clock_rule(policy, clock, cint(row.is_major)),
				steps,
			)

	settings = frappe.get_cached_doc("Complaint Settings")
	if (
		row.status == Status.RESPONDED
		and row.responded_on
		and not row.customer_feedback
		and settings.auto_close
	):
		events += sla_rules.feedback_events(
			calendar,
			row.name,
			get_datetime(row.responded_on),
			cint(settings.feedback_reminder_days),
			cint(settings.auto_close_days),
		)
	return events


# ------------------------------------------------------------------ the sweep


class ComplaintAlerts(reminders.AlertSource):
	"""Complaint clocks for the reminder engine: reminders, breaches, escalation, no feedback."""

	doctype = "Complaint"
	fields = tuple(SWEEP_FIELDS)
	document_kinds = frozenset({EventKind.FEEDBACK_REMINDER, EventKind.AUTO_CLOSE})

	def prepare(self, rows):
		self.policies = {policy["name"]: policy for policy in get_policies()}

	def events(self, row):
		policy = self.policies.get(row.sla_policy)
		return complaint_events(row, policy, get_calendar(row.company)) if policy else []

	def recipients(self, row, event):
		"""The assignees for a reminder, the escalation step's people after a breach."""
		if event.kind == EventKind.BREACH:
			return []  # the breach marks the clock; escalation step 1 tells the people
		if event.kind == EventKind.REMINDER:
			users = assignees(row)
		else:
			steps = (self.policies.get(row.sla_policy) or {}).get("escalation_steps") or []
			step = steps[event.level - 1] if 0 < event.level <= len(steps) else None
			users = step_users(row, step) if step else []
		return reminders.with_fallback(users, _("{0} on complaint {1}").format(_(event.kind), row.name))

	def clock_label(self, event):
		return _(CLOCK_LABELS.get(event.clock, event.clock))

	def on_claimed(self, alerts):
		new_status = {EventKind.REMINDER: SlaStatus.DUE_SOON, EventKind.BREACH: SlaStatus.BREACHED}
		changes = defaultdict(list)
		for row, event, _users in alerts:
			if status := new_status.get(event.kind):
				clock = next(c for c in CLOCKS if c.name == event.clock)
				if row.get(clock.status_field) != SlaStatus.BREACHED:
					changes[(clock.status_field, status)].append(row.name)
		# scheduling state, not a business edit: written directly, as ERPNext's SLA job does
		table = frappe.qb.DocType("Complaint")
		for (field, status), names in changes.items():
			frappe.qb.update(table).set(table[field], status).where(table.name.isin(names)).run()

	def act(self, row, event):
		complaint = frappe.get_doc("Complaint", row.name)
		if event.kind == EventKind.FEEDBACK_REMINDER:
			send_feedback_reminder(complaint)
		else:
			close_for_lack_of_feedback(complaint)


def step_users(row, step) -> list[str]:
	if step["escalate_to"] == "Assignee":
		return assignees(row)
	if step["escalate_to"] == "Category Manager":
		category = (
			frappe.get_cached_doc("Complaint Category", row.complaint_category)
			if row.complaint_category
			else None
		)
		if category and category.responsible_user:
			return [category.responsible_user]
		return (
			reminders.users_with_role(category.responsible_role)
			if category and category.responsible_role
			else []
		)
	if step["escalate_to"] == "Role":
		return reminders.users_with_role(step["role"])
	return [step["user"]]


def assignees(row) -> list[str]:
	return frappe.parse_json(row.get("_assign") or "[]")


# ------------------------------------------------------------------ feedback and auto-close


def send_feedback_reminder(complaint) -> None:
	if not complaint.complainant_email or not reminders.can_email(_("the feedback reminder"), "Complaint"):
		return
	from frappe.core.doctype.communication.email import make

	settings = frappe.get_cached_doc("Complaint Settings")
	subject, message = reminders.render_template(settings.feedback_reminder_template, complaint.as_dict())
	make(
		doctype="Complaint",
		name=complaint.name,
		subject=subject or _("Your complaint {0}: are you satisfied with our reply?").format(complaint.name),
		content=message
		or _("Please tell us whether our reply resolved your complaint {0}.").format(complaint.name),
		recipients=[complaint.complainant_email],
		send_email=True,
	)


def close_for_lack_of_feedback(complaint) -> None:
	from complaint_handling.workflow import transition_to

	# apply_workflow reloads the document, so the reason travels beside it
	frappe.flags.complaint_closing_without_feedback = complaint.name
	try:
		closed = transition_to(complaint, Status.CLOSED)
	finally:
		frappe.flags.complaint_closing_without_feedback = None
	closed.add_comment(
		"Info",
		_(
			"Closed automatically: no feedback from the complainant {0} working days after the reminder."
		).format(frappe.get_cached_doc("Complaint Settings").auto_close_days),
	)


def record_first_response(communication, method=None) -> None:
	"""Communication after_insert: the first email to the complainant after the acknowledgement
	is the first response."""
	if (
		communication.reference_doctype != "Complaint"
		or communication.sent_or_received != "Sent"
		or communication.communication_type != "Communication"
		or communication.email_template
		== frappe.get_cached_doc("Complaint Settings").acknowledgement_template
	):
		return
	complaint = frappe.get_doc("Complaint", communication.reference_name)
	if complaint.first_responded_on or complaint.status in FINAL_STATUSES or not complaint.acknowledged_on:
		return
	complaint.first_responded_on = communication.communication_date or now_datetime()
	complaint.save(ignore_permissions=True)


# ------------------------------------------------------------------ on-call and extensions


def alert_on_call(doc) -> None:
	"""An urgent complaint received out of hours: the on-call role hears of it at once (domain 001)."""
	settings = frappe.get_cached_doc("Complaint Settings")
	urgent = doc.is_major or cint(frappe.get_cached_value("Complaint Severity", doc.severity, "rank")) == 1
	if not (urgent and settings.on_call_role and doc.received_on):
		return
	if get_calendar(doc.company).is_working_time(get_datetime(doc.received_on)):
		return
	key = f"{doc.name}:on-call"
	if frappe.db.exists(reminders.EVENT_DOCTYPE, key):
		return
	users = reminders.enabled_users(get_users_with_role(settings.on_call_role))
	reminders.record_event("Complaint", doc.name, key, "On-Call Alert", doc.received_on, recipients=users)
	if not users:
		reminders.warn(_("No enabled user has the on-call role {0}.").format(settings.on_call_role))
		return
	subject, message = reminders.render_template(settings.on_call_template, doc.as_dict())
	subject = subject or _("Urgent complaint {0} received out of hours").format(doc.name)
	make_notification_logs(
		frappe._dict(subject=subject, type="Alert", document_type="Complaint", document_name=doc.name), users
	)
	if not reminders.can_email(_("the on-call alert"), "Complaint"):
		return
	frappe.sendmail(
		recipients=[frappe.get_cached_value("User", user, "email") or user for user in users],
		subject=subject,
		message=message or _("{0}: {1}. Please act now.").format(doc.name, doc.subject),
		reference_doctype="Complaint",
		reference_name=doc.name,
	)


@frappe.whitelist(methods=["POST"])
def decide_extension(complaint: str, extension: str, approve: bool | int | str) -> None:
	"""A quality manager approves or rejects a requested deadline extension."""
	doc = frappe.get_doc("Complaint", complaint)
	doc.check_permission("write")
	if defaults.QUALITY_MANAGER not in frappe.get_roles():
		frappe.throw(_("Only a quality manager can decide on deadline extensions."), frappe.PermissionError)
	row = next((r for r in doc.deadline_extensions if r.name == extension), None)
	if not row or row.status != "Requested":
		frappe.throw(
			_("Extension {0} is not waiting for a decision.").format(extension), title=_("Not Requested")
		)
	row.status = "Approved" if cint(approve) else "Rejected"
	row.decided_by = frappe.session.user
	row.decided_on = now_datetime()
	doc.flags.deciding_extension = row.name
	doc.save()


def _as_time(value) -> time:
	if isinstance(value, timedelta):
		return (datetime.min + value).time()
	if isinstance(value, str):
		return time.fromisoformat(value)
	return value
