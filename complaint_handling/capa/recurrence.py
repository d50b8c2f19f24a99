"""CAPAs and the complaints behind them: which CAPAs are open for a complaint, and the CAPA
proposed when complaints recur or one is reopened too often (domain.md, seeds 001 and 003)."""

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import cint, get_datetime
from frappe.utils.user import get_users_with_role

from complaint_handling.rules.capa import ENDED, ComplaintFacts, recurring_complaints, reopened_too_often
from complaint_handling.rules.complaint import Status
from complaint_handling.security.stamped import app_stamping
from complaint_handling.setup import defaults


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
	if complaint.status == Status.REOPENED and reopened_too_often(
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
	with app_stamping(capa):
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
	return recurring_complaints(
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
	managers = get_users_with_role(defaults.QUALITY_MANAGER)  # enabled users only
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
	users = get_users_with_role(defaults.QUALITY_MANAGER)
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
