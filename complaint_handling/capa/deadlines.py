"""CAPA deadlines on the site: action due dates and the effectiveness check, in the reminder
engine (registered in the ``complaint_alert_sources`` hook)."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, flt, get_datetime, getdate

from complaint_handling.engine import reminders
from complaint_handling.engine.messaging import users_with_role, with_fallback
from complaint_handling.rules.capa import Action, Check, capa_events
from complaint_handling.rules.service_levels import EventKind, next_check
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.setup import defaults


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
	events = capa_events(
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
		return capa_events(
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
			users = users_with_role(defaults.QUALITY_MANAGER)
		return with_fallback(list(dict.fromkeys(users)), _("{0} on CAPA {1}").format(_(event.kind), row.name))

	def clock_label(self, event):
		if event.clock == "effectiveness":
			return _("Effectiveness check")
		return _("Action {0}").format(event.clock.split()[-1])
