"""Service levels of complaints on the site: the deadlines a complaint gets on every save, and
what the scheduled sweep does with them (reminders, breaches, escalation, closure without
feedback).

Data flows one way: gather what the site knows (policy, calendar, pauses, extensions, events
already done) once, call :func:`complaint_handling.rules.service_levels.schedule`, write back.
"""

from collections import defaultdict

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.model.workflow import get_workflow_name
from frappe.utils import cint, get_datetime, now_datetime
from frappe.utils.user import get_users_with_role

from complaint_handling.engine import reminders
from complaint_handling.engine.messaging import (
	can_email,
	render_template,
	users_with_role,
	warn,
	with_fallback,
)
from complaint_handling.engine.workflow import transition_to
from complaint_handling.rules.complaint import FINAL_STATUSES, Status
from complaint_handling.rules.service_levels import (
	CLOCKS,
	ComplaintClocks,
	EventKind,
	FeedbackRule,
	SlaStatus,
	complaint_events,
	match_policy,
	overall_status,
	schedule,
)
from complaint_handling.security import parties
from complaint_handling.security.access import require_role
from complaint_handling.security.stamped import app_stamping
from complaint_handling.service_levels import rounds
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.service_levels.policies import get_policies
from complaint_handling.setup import defaults

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
	"received_on",
	"calendar_warning",
	"_assign",
	*(clock.deadline_field for clock in CLOCKS),
	*(clock.met_field for clock in CLOCKS),
	*(clock.status_field for clock in CLOCKS),
]


def clock_facts(row) -> ComplaintClocks:
	"""A complaint document or sweep row as its clocks see it (dates parsed, desk strings too)."""
	return ComplaintClocks(
		name=row.name,
		status=row.status,
		received_on=get_datetime(row.received_on),
		is_major=bool(cint(row.is_major)),
		waiting_on_customer=bool(cint(row.waiting_on_customer)),
		responded_on=row.responded_on and get_datetime(row.responded_on),
		customer_feedback=bool(row.customer_feedback),
		met={c.name: row.get(c.met_field) and get_datetime(row.get(c.met_field)) for c in CLOCKS},
		deadlines={
			c.name: row.get(c.deadline_field) and get_datetime(row.get(c.deadline_field)) for c in CLOCKS
		},
		round_started_on=rounds.round_started_on(row),
	)


def feedback_rule() -> FeedbackRule | None:
	"""Closure without feedback as Complaint Settings configure it, or None when switched off."""
	settings = frappe.get_cached_doc("Complaint Settings")
	if not settings.auto_close:
		return None
	return FeedbackRule(cint(settings.feedback_reminder_days), cint(settings.auto_close_days))


# ------------------------------------------------------------------ on save


def apply(doc) -> None:
	"""Set the complaint's policy, deadlines, clock statuses and next check (Complaint.validate).

	Deadlines are naive datetimes in the system time zone; nothing is raised for a missing policy
	(the clocks are cleared) or calendar (weekdays only, with a warning)."""
	leave_waiting_state(doc)
	track_pause(doc)
	policy = match_policy(get_policies(), doc.complaint_category, doc.severity)
	doc.sla_policy = policy and policy["name"]
	if not policy:
		for clock in CLOCKS:
			doc.set(clock.deadline_field, None)
			doc.set(clock.status_field, None)
		doc.sla_status = None
		doc.next_sla_check = None
		doc.calendar_warning = None
		return

	calendar = get_calendar(doc.company)
	result = schedule(
		calendar,
		clock_facts(doc),
		policy,
		pauses=[
			(get_datetime(p.paused_on), p.resumed_on and get_datetime(p.resumed_on)) for p in doc.sla_pauses
		],
		extensions=approved_extensions(doc),
		feedback=feedback_rule(),
		done=set() if doc.is_new() else reminders.done_keys([doc.name]),
		now=now_datetime(),
	)
	for clock in CLOCKS:
		doc.set(clock.deadline_field, result.deadlines[clock.name])
		doc.set(clock.status_field, result.statuses[clock.name])
	doc.sla_status = overall_status(result.statuses.values())
	doc.next_sla_check = result.next_check
	doc.calendar_warning = flag_calendar_gap(doc.company, calendar) if result.beyond_calendar else None


def approved_extensions(doc) -> dict:
	"""Approved extensions by clock label; the resolution clock of a reopened complaint takes only
	those decided since it was reopened (the earlier round's deadline is not the new one's)."""
	round_start = rounds.round_started_on(doc)
	reopened = round_start and doc.reply_rounds[-1].round > 1
	return {
		row.clock: get_datetime(row.extend_to)
		for row in doc.deadline_extensions
		if row.status == "Approved"
		and not (reopened and row.clock == "Resolution" and get_datetime(row.decided_on) < round_start)
	}


def flag_calendar_gap(company: str, calendar) -> str:
	"""The complaint's warning that its deadlines count unknown days as working days; the quality
	managers hear of it once per company and Holiday List period (an event keyed by both)."""
	holiday_list = company and frappe.get_cached_value("Company", company, "default_holiday_list")
	if calendar.covered:
		message = _(
			"Deadlines run past the period of Holiday List {0} ({1} to {2}): days outside it count as working days. Extend the list or add the next year's."
		).format(holiday_list, *(frappe.utils.formatdate(day) for day in calendar.covered))
	else:
		message = _(
			"Company {0} has no Holiday List: deadlines skip weekends but no holidays. Set the company's Default Holiday List."
		).format(company)
	key = "calendar-gap:{}:{}:{}".format(
		company, holiday_list or "", calendar.covered and calendar.covered[1]
	)
	if frappe.db.exists(reminders.EVENT_DOCTYPE, key):
		return message
	users = users_with_role(defaults.QUALITY_MANAGER)
	# claimed by key: of complaints saved at the same moment, one tells the quality managers
	frappe.db.savepoint("calendar_gap")
	try:
		reminders.record_event("Company", company, key, "Calendar Gap", now_datetime(), recipients=users)
	except frappe.DuplicateEntryError:
		frappe.db.rollback(save_point="calendar_gap")
		return message
	make_notification_logs(
		frappe._dict(subject=message, type="Alert", document_type="Company", document_name=company), users
	)
	warn(message)
	return message


def leave_waiting_state(doc) -> None:
	"""A workflow state of the admin's that sets *Waiting on Customer* (README "Configure") stops
	the clocks; moving on to a state that does not set it starts them again. Frappe lets a state set
	one field, and the state the case moves to sets its status, so nothing else would clear it. A
	box ticked by hand, not by the state left, stays as it is."""
	before = doc.get_doc_before_save()
	if not (before and cint(doc.waiting_on_customer) and doc.has_value_changed("workflow_state")):
		return
	workflow = get_workflow_name(doc.doctype)
	if not workflow:
		return

	def waits(state: str | None) -> bool:
		row = next(
			(row for row in frappe.get_cached_doc("Workflow", workflow).states if row.state == state), None
		)
		return bool(row and row.update_field == "waiting_on_customer" and cint(row.update_value))

	if waits(before.workflow_state) and not waits(doc.workflow_state):
		doc.waiting_on_customer = 0


def track_pause(doc) -> None:
	"""Waiting on the customer stops the clocks; each pause is kept as a row."""
	if not doc.has_value_changed("waiting_on_customer") or (doc.is_new() and not doc.waiting_on_customer):
		return
	open_pause = next((p for p in doc.sla_pauses if not p.resumed_on), None)
	if doc.waiting_on_customer and not open_pause:
		doc.append("sla_pauses", {"paused_on": now_datetime(), "paused_by": frappe.session.user})
	elif not doc.waiting_on_customer and open_pause:
		open_pause.resumed_on = now_datetime()


# ------------------------------------------------------------------ the sweep


class ComplaintAlerts(reminders.AlertSource):
	"""Complaint clocks for the reminder engine: reminders, breaches, escalation, no feedback."""

	doctype = "Complaint"
	fields = tuple(SWEEP_FIELDS)
	document_kinds = frozenset({EventKind.FEEDBACK_REMINDER, EventKind.AUTO_CLOSE})

	def prepare(self, rows):
		self.policies = {policy["name"]: policy for policy in get_policies()}
		self.feedback = feedback_rule()
		# deadlines the calendar cannot vouch for: said in the scheduler's log, once per company
		for company, message in {
			row.company: row.calendar_warning for row in rows if row.calendar_warning
		}.items():
			frappe.logger("complaint_handling").warning(f"{company}: {message}")

	def events(self, row):
		policy = self.policies.get(row.sla_policy)
		if not policy:
			return []
		return complaint_events(get_calendar(row.company), clock_facts(row), policy, self.feedback)

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
		return with_fallback(users, _("{0} on complaint {1}").format(_(event.kind), row.name))

	def clock_label(self, event):
		return _(CLOCK_LABELS.get(event.clock, event.clock))

	def on_claimed(self, alerts):
		new_status = {EventKind.REMINDER: SlaStatus.DUE_SOON, EventKind.BREACH: SlaStatus.BREACHED}
		changes = defaultdict(list)
		changed_rows = {}
		for row, event, _users in alerts:
			if status := new_status.get(event.kind):
				clock = next(c for c in CLOCKS if c.name == event.clock)
				if row.get(clock.status_field) != SlaStatus.BREACHED:
					changes[(clock.status_field, status)].append(row.name)
					row[clock.status_field] = status
					changed_rows[row.name] = row
		for row in changed_rows.values():
			changes[("sla_status", overall_status(row.get(c.status_field) for c in CLOCKS))].append(row.name)
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
		return users_with_role(category.responsible_role) if category and category.responsible_role else []
	if step["escalate_to"] == "Role":
		return users_with_role(step["role"])
	return [step["user"]]


def assignees(row) -> list[str]:
	return frappe.parse_json(row.get("_assign") or "[]")


# ------------------------------------------------------------------ feedback and auto-close


def send_feedback_reminder(complaint) -> None:
	email = parties.contact(complaint).email
	if not email or not can_email(_("the feedback reminder"), "Complaint"):
		return
	from frappe.core.doctype.communication.email import make

	settings = frappe.get_cached_doc("Complaint Settings")
	subject, message = render_template(settings.feedback_reminder_template, parties.letter_context(complaint))
	make(
		doctype="Complaint",
		name=complaint.name,
		subject=subject or _("Your complaint {0}: are you satisfied with our reply?").format(complaint.name),
		content=message
		or _("Please tell us whether our reply resolved your complaint {0}.").format(complaint.name),
		recipients=[email],
		send_email=True,
	)


def close_for_lack_of_feedback(complaint) -> None:
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
	users = get_users_with_role(settings.on_call_role)  # enabled users only
	reminders.record_event("Complaint", doc.name, key, "On-Call Alert", doc.received_on, recipients=users)
	if not users:
		warn(_("No enabled user has the on-call role {0}.").format(settings.on_call_role))
		return
	subject, message = render_template(settings.on_call_template, doc.as_dict())
	subject = subject or _("Urgent complaint {0} received out of hours").format(doc.name)
	make_notification_logs(
		frappe._dict(subject=subject, type="Alert", document_type="Complaint", document_name=doc.name), users
	)
	if not can_email(_("the on-call alert"), "Complaint"):
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
	require_role(defaults.QUALITY_MANAGER, _("Only a quality manager can decide on deadline extensions."))
	row = next((r for r in doc.deadline_extensions if r.name == extension), None)
	if not row or row.status != "Requested":
		frappe.throw(
			_("Extension {0} is not waiting for a decision.").format(extension), title=_("Not Requested")
		)
	row.status = "Approved" if cint(approve) else "Rejected"
	row.decided_by = frappe.session.user
	row.decided_on = now_datetime()
	doc.flags.deciding_extension = row.name
	with app_stamping(doc):
		doc.save()
