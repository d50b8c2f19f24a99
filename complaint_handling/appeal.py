"""Appeals on the site: who may not judge them, their deadlines in the reminder engine, the
letters to the appellant, and what an outcome does to the original complaint."""

from collections import defaultdict
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.core.doctype.communication.email import make as make_communication
from frappe.utils import cint, get_datetime, getdate

from complaint_handling import recusal, reminders
from complaint_handling.appeal_rules import REOPENING_OUTCOMES, AppealStatus, panel_conflicts, period_end
from complaint_handling.rules import Status
from complaint_handling.setup import defaults
from complaint_handling.sla import get_calendar
from complaint_handling.sla_rules import EventKind, deadline_events, next_check
from complaint_handling.working_time import WORKING_DAYS

CONFLICT_TEXT = {
	"declared": "declared a conflict: {0}",
	"involved": "was involved in the original case ({0})",
	"decided": "decided the original case",
	"investigated": "investigated the original case",
	"handled": "handled the original case",
}


def conflicts_of(appeal, users) -> dict[str, str]:
	"""Each of ``users`` who may not judge this appeal, with the reason in words."""
	today = getdate()
	declared = {
		row.user: row.reason for row in appeal.conflicts if not row.until or getdate(row.until) >= today
	}
	decided, handled, investigated, involved = set(), set(), set(), {}
	if appeal.complaint:
		complaint = frappe.get_doc("Complaint", appeal.complaint)
		decided = {
			complaint.validity_decided_by,
			complaint.response_approved_by,
			complaint.closure_approved_by,
		} - {None}
		handled = recusal.handlers("Complaint", complaint.name)
		investigated = set(
			frappe.get_all(
				"Complaint Investigation", filters={"complaint": complaint.name}, pluck="investigator"
			)
		)
		involved = recusal.involved_users(complaint)
	found = panel_conflicts(users, decided, handled, investigated, involved, declared)
	return {
		user: _(CONFLICT_TEXT[kind]).format(_(detail) if kind == "involved" else detail)
		for user, reason in found.items()
		for kind, detail in [reason.split(":", 1)]
	}


PERIODS = {
	"window": ("appeal_window", "appeal_window_unit"),
	"acceptance": ("appeal_acceptance_within", "appeal_acceptance_unit"),
	"decision": ("appeal_decision_within", "appeal_decision_unit"),
	"implementation": ("appeal_implementation_within", "appeal_implementation_unit"),
}


def period_from(company: str, start, period: str):
	"""The end of the configured ``period`` (window, acceptance, decision, implementation) from ``start``."""
	settings = frappe.get_cached_doc("Complaint Settings")
	amount_field, unit_field = PERIODS[period]
	return period_end(
		get_calendar(company), get_datetime(start), cint(settings.get(amount_field)), settings.get(unit_field)
	)


def describe_period(period: str) -> str:
	settings = frappe.get_cached_doc("Complaint Settings")
	amount_field, unit_field = PERIODS[period]
	return f"{cint(settings.get(amount_field))} {_(settings.get(unit_field))}"


def appeal_events(row):
	"""Reminders before, and escalation after, the acceptance, decision and implementation deadlines."""
	calendar = get_calendar(row.company)
	reminder_days = cint(frappe.get_cached_doc("Complaint Settings").appeal_reminder_days)
	deadlines = {
		AppealStatus.RECEIVED: ("acceptance", row.acceptance_due),
		AppealStatus.ACCEPTED: ("decision", row.decision_due),
		AppealStatus.DECIDED: ("implementation", None if row.implemented_on else row.implementation_due),
	}
	clock, due = deadlines.get(row.status, (None, None))
	if not due:
		return []
	due = get_datetime(due)
	reminder = calendar.before(due, reminder_days, WORKING_DAYS) if reminder_days else None
	return deadline_events(calendar, f"{row.name}:{clock}", clock, due, reminder, [0, 8])


def apply(doc) -> None:
	"""When the reminder engine must next look at this appeal (Complaint Appeal.validate)."""
	done = set() if doc.is_new() else reminders.done_keys([doc.name])
	doc.next_sla_check = next_check(appeal_events(doc), done)


class AppealAlerts(reminders.AlertSource):
	"""Appeal deadlines for the reminder engine."""

	doctype = "Complaint Appeal"
	fields = (
		"status",
		"company",
		"complaint",
		"acceptance_due",
		"decision_due",
		"implementation_due",
		"implemented_on",
	)

	def prepare(self, rows):
		self.panels = defaultdict(list)
		for member in frappe.get_all(
			"Complaint Appeal Panel Member",
			filters={"parent": ("in", [row.name for row in rows]), "parenttype": self.doctype},
			fields=["parent", "user"],
		):
			self.panels[member.parent].append(member.user)
		complaints = [row.complaint for row in rows if row.complaint]
		self.assignees = (
			{
				c.name: frappe.parse_json(c._assign or "[]")
				for c in frappe.get_all(
					"Complaint", filters={"name": ("in", complaints)}, fields=["name", "_assign"]
				)
			}
			if complaints
			else {}
		)

	def events(self, row):
		return appeal_events(row)

	def recipients(self, row, event):
		if event.kind == EventKind.BREACH:
			return []
		quality_managers = reminders.users_with_role(defaults.QUALITY_MANAGER)
		if event.level == 2:
			users = reminders.users_with_role(defaults.GENERAL_MANAGER)
		elif event.clock == "decision":
			users = self.panels[row.name] + (quality_managers if event.level else [])
		elif event.clock == "implementation" and row.complaint:
			users = self.assignees.get(row.complaint, []) + (quality_managers if event.level else [])
		else:
			users = quality_managers
		return reminders.with_fallback(
			list(dict.fromkeys(users)), _("{0} on appeal {1}").format(_(event.kind), row.name)
		)

	def clock_label(self, event):
		return {
			"acceptance": _("Acceptance decision"),
			"decision": _("Appeal decision"),
			"implementation": _("Implementation"),
		}[event.clock]


# ------------------------------------------------------------------ letters and outcomes

LETTERS = {
	AppealStatus.ACCEPTED: ("appeal_acceptance_template", defaults.APPEAL_NOTICE),
	AppealStatus.NOT_ACCEPTED: ("appeal_rejection_template", defaults.APPEAL_NOTICE),
	AppealStatus.DECIDED: ("appeal_decision_template", defaults.APPEAL_DECISION_LETTER),
}


def send_letter(appeal) -> None:
	"""The written notice or decision letter, through the email queue, with its print format."""
	template_field, print_format = LETTERS[appeal.status]
	if not appeal.appellant_email or not reminders.can_email(_("the letter"), appeal.doctype):
		frappe.msgprint(
			_("The letter was not emailed: print it ({0}) and send it by post.").format(_(print_format)),
			indicator="orange",
		)
		return
	subject, message = reminders.render_template(
		frappe.get_cached_doc("Complaint Settings").get(template_field), appeal.as_dict()
	)
	make_communication(
		doctype=appeal.doctype,
		name=appeal.name,
		subject=subject or _("Your appeal {0}: {1}").format(appeal.name, _(appeal.status)),
		content=message or _("Please find our letter about your appeal {0} attached.").format(appeal.name),
		recipients=[appeal.appellant_email],
		send_email=True,
		print_format=print_format,
	)


@contextmanager
def acting_for_the_panel():
	"""The panel's decision, not its members' desk roles, authorises reopening the complaint."""
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		yield
	finally:
		frappe.set_user(user)


def apply_outcome(appeal) -> None:
	"""Show the outcome on the complaint; reopen it through its workflow if the decision falls."""
	if not appeal.complaint:
		return
	complaint = frappe.get_doc("Complaint", appeal.complaint)
	reasons = frappe.utils.strip_html_tags(appeal.decision_reasons or "")
	if appeal.outcome in REOPENING_OUTCOMES:
		from complaint_handling.workflow import transition_to

		with acting_for_the_panel():
			complaint = transition_to(complaint, Status.REOPENED)
	complaint.add_comment(
		"Info",
		_("Appeal {0} decided by {1}: {2}. {3}").format(
			appeal.name, frappe.utils.get_fullname(appeal.decided_by), _(appeal.outcome), reasons
		),
	)
