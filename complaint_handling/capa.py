"""CAPA on the site: action reminders through the reminder engine, CAPAs proposed when complaints
recur, and the link between complaints and the CAPAs raised from them."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import cint, flt, get_datetime, getdate
from frappe.utils.user import get_users_with_role

from complaint_handling import capa_rules, reminders
from complaint_handling.capa_rules import ENDED, Action, Check, ComplaintFacts
from complaint_handling.rules import Status
from complaint_handling.setup import defaults
from complaint_handling.sla import get_calendar
from complaint_handling.sla_rules import EventKind, next_check


def actions_of(doc) -> list[Action]:
	return [
		Action(
			row.name,
			row.idx,
			row.action_owner,
			getdate(row.due_date),
			row.status,
			row.completed_on and getdate(row.completed_on),
			row.added_on and get_datetime(row.added_on),
		)
		for row in doc.actions
	]


def checks_of(doc) -> list[Check]:
	return [
		Check(getdate(row.checked_on), row.result, row.recorded_on and get_datetime(row.recorded_on))
		for row in doc.effectiveness_checks
	]


def capa_settings() -> tuple[int, float]:
	settings = frappe.get_cached_doc("Complaint Settings")
	return cint(settings.capa_reminder_days), flt(settings.capa_escalation_hours)


def apply(doc) -> None:
	"""Set when the reminder engine must next look at this CAPA (CAPA.validate)."""
	reminder_days, escalation_hours = capa_settings()
	events = capa_rules.capa_events(
		get_calendar(doc.company),
		doc.name,
		doc.status,
		actions_of(doc),
		doc.effectiveness_check_date and getdate(doc.effectiveness_check_date),
		reminder_days,
		escalation_hours,
	)
	done = set() if doc.is_new() else reminders.done_keys([doc.name])
	doc.next_sla_check = next_check(events, done)


class CapaAlerts(reminders.AlertSource):
	"""CAPA action due dates and effectiveness checks for the reminder engine."""

	doctype = "CAPA"
	fields = ("title", "status", "company", "responsible", "verifier", "effectiveness_check_date")

	def prepare(self, rows):
		self.reminder_days, self.escalation_hours = capa_settings()
		self.actions = defaultdict(list)
		for row in frappe.get_all(
			"CAPA Action",
			filters={"parent": ("in", [r.name for r in rows]), "parenttype": "CAPA"},
			fields=["name", "parent", "idx", "action_owner", "due_date", "status", "completed_on"],
			order_by="idx",
		):
			self.actions[row.parent].append(
				Action(
					row.name, row.idx, row.action_owner, getdate(row.due_date), row.status, row.completed_on
				)
			)

	def events(self, row):
		return capa_rules.capa_events(
			get_calendar(row.company),
			row.name,
			row.status,
			self.actions[row.name],
			row.effectiveness_check_date and getdate(row.effectiveness_check_date),
			self.reminder_days,
			self.escalation_hours,
		)

	def action(self, row, event):
		return next(
			(a for a in self.actions[row.name] if event.key.startswith(f"{row.name}:action:{a.name}:")), None
		)

	def recipients(self, row, event):
		if event.kind == EventKind.BREACH:
			return []
		if event.clock == "effectiveness":
			users = [row.verifier]
		elif event.kind == EventKind.REMINDER:
			users = [self.action(row, event).owner]
		elif event.level == 1:
			users = [self.action(row, event).owner, row.responsible]
		else:
			users = reminders.users_with_role(defaults.QUALITY_MANAGER)
		return reminders.with_fallback(
			list(dict.fromkeys(users)), _("{0} on CAPA {1}").format(_(event.kind), row.name)
		)

	def clock_label(self, event):
		if event.clock == "effectiveness":
			return _("Effectiveness check")
		return _("Action {0}").format(event.clock.split()[-1])


# ------------------------------------------------------------------ complaints and CAPA


def open_capas_for(complaints: list[str]) -> list[str]:
	"""CAPAs raised from or linked to any of the complaints that are not closed or cancelled."""
	linked = frappe.get_all(
		"CAPA Complaint", filters={"complaint": ("in", complaints), "parenttype": "CAPA"}, pluck="parent"
	)
	raised = frappe.get_all(
		"CAPA", filters={"source_doctype": "Complaint", "source_name": ("in", complaints)}, pluck="name"
	)
	names = set(linked) | set(raised)
	if not names:
		return []
	return frappe.get_all(
		"CAPA", filters={"name": ("in", list(names)), "status": ("not in", list(ENDED))}, pluck="name"
	)


def propose_for_recurrence(complaint) -> str | None:
	"""On registration or reopening: propose (or extend) a draft CAPA when the complaint recurs."""
	settings = frappe.get_cached_doc("Complaint Settings")
	group, reason = [], None
	if complaint.status == Status.REOPENED and capa_rules.reopened_too_often(
		cint(complaint.reopen_count), cint(settings.reopen_threshold)
	):
		group = [complaint.name]
		reason = _("Complaint {0} has been reopened {1} times.").format(
			complaint.name, complaint.reopen_count
		)
	elif complaint.status == Status.REGISTERED:
		group = recurring_group(complaint, settings)
		if group:
			reason = _(
				"{0} complaints of category {1} about the same item or customer within {2} days: {3}"
			).format(len(group), complaint.complaint_category, settings.recurrence_days, ", ".join(group))
	if not group:
		return None

	existing = next(iter(open_capas_for(group)), None)
	capa = frappe.get_doc("CAPA", existing) if existing else new_proposal(complaint, reason)
	linked = {row.complaint for row in capa.complaints}
	for member in group:
		if member not in linked:
			capa.append("complaints", {"complaint": member})
	capa.flags.ignore_permissions = True
	capa.save() if existing else capa.insert()
	if not existing:
		tell_quality_managers(capa, reason)
	return capa.name


def recurring_group(complaint, settings) -> list[str]:
	window = cint(settings.recurrence_days)
	received = get_datetime(complaint.received_on)
	filters = {
		"complaint_category": complaint.complaint_category,
		"received_on": (">=", frappe.utils.add_days(received, -window)),
		"name": ("!=", complaint.name),
		"status": ("not in", [Status.DRAFT, Status.REJECTED]),
	}
	or_filters = {
		key: value
		for key, value in (("item_code", complaint.item_code), ("customer", complaint.customer))
		if value
	}
	if not or_filters:
		return []
	earlier = frappe.get_all(
		"Complaint",
		filters=filters,
		or_filters=or_filters,
		fields=["name", "received_on", "complaint_category", "item_code", "customer"],
	)
	return capa_rules.recurring_complaints(
		facts(complaint),
		[facts(row) for row in earlier],
		cint(settings.recurrence_threshold),
		window,
	)


def facts(row) -> ComplaintFacts:
	return ComplaintFacts(
		row.name, get_datetime(row.received_on), row.complaint_category, row.item_code, row.customer
	)


def new_proposal(complaint, reason: str):
	managers = reminders.enabled_users(get_users_with_role(defaults.QUALITY_MANAGER))
	return frappe.get_doc(
		{
			"doctype": "CAPA",
			"title": _("Recurring: {0}").format(complaint.subject)[:140],
			"capa_type": "Corrective",
			"company": complaint.company,
			"responsible": managers[0] if managers else "Administrator",
			"source_doctype": "Complaint",
			"source_name": complaint.name,
			"proposal_reason": reason,
			"problem_statement": reason,
		}
	)


def tell_quality_managers(capa, reason: str) -> None:
	users = reminders.enabled_users(get_users_with_role(defaults.QUALITY_MANAGER))
	if users:
		make_notification_logs(
			frappe._dict(
				subject=_("CAPA {0} proposed: {1}").format(capa.name, reason),
				type="Alert",
				document_type="CAPA",
				document_name=capa.name,
				from_user=frappe.session.user,
			),
			users,
		)
