"""Appeal deadlines on the site: acceptance, decision and implementation, in the reminder engine
(registered in the ``complaint_alert_sources`` hook), and the configured periods they run for."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import cint, get_datetime

from complaint_handling.engine import reminders
from complaint_handling.engine.messaging import users_with_role, with_fallback
from complaint_handling.rules.appeals import deadline_events_of, period_end
from complaint_handling.rules.service_levels import EventKind, next_check
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.setup import defaults

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
	"""The appeal's deadline events (see :func:`complaint_handling.rules.appeals.deadline_events_of`)."""
	return deadline_events_of(
		get_calendar(row.company),
		row.name,
		row.status,
		{
			"acceptance": row.acceptance_due and get_datetime(row.acceptance_due),
			"decision": row.decision_due and get_datetime(row.decision_due),
			"implementation": row.implementation_due and get_datetime(row.implementation_due),
		},
		bool(row.implemented_on),
		cint(frappe.get_cached_doc("Complaint Settings").appeal_reminder_days),
	)


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
		quality_managers = users_with_role(defaults.QUALITY_MANAGER)
		if event.level == 2:
			users = users_with_role(defaults.GENERAL_MANAGER)
		elif event.clock == "decision":
			users = self.panels[row.name] + (quality_managers if event.level else [])
		elif event.clock == "implementation" and row.complaint:
			users = self.assignees.get(row.complaint, []) + (quality_managers if event.level else [])
		else:
			users = quality_managers
		return with_fallback(
			list(dict.fromkeys(users)), _("{0} on appeal {1}").format(_(event.kind), row.name)
		)

	def clock_label(self, event):
		return {
			"acceptance": _("Acceptance decision"),
			"decision": _("Appeal decision"),
			"implementation": _("Implementation"),
		}[event.clock]
