"""Recusal (回避): people involved in a complaint never handle, investigate or approve it.

ISO/IEC 17025 7.9.6 wants decisions made by people not involved; ISO/IEC 17065 adds anyone who
worked for the client recently, recorded as an involvement with an end date.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_handling.rules.complaint import is_active_involvement


def involved_users(doc) -> dict[str, str]:
	"""Users currently involved in the complaint, with the relation recorded for each."""
	employees = [row.employee for row in doc.involved_persons if row.employee]
	employee_users = (
		dict(
			frappe.get_all(
				"Employee", filters={"name": ("in", employees)}, fields=["name", "user_id"], as_list=True
			)
		)
		if employees
		else {}
	)
	today = getdate()
	involved = {}
	for row in doc.involved_persons:
		if not is_active_involvement(getdate(row.involved_until) if row.involved_until else None, today):
			continue
		for user in (row.user, employee_users.get(row.employee)):
			if user:
				involved.setdefault(user, row.relation)
	return involved


def handlers(doctype: str, name: str) -> set[str]:
	"""Everyone who has been assigned the case, including assignments since completed."""
	return set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": doctype, "reference_name": name, "status": ("!=", "Cancelled")},
			pluck="allocated_to",
		)
	)


def recusal_error(user: str, doc, relation: str, acting: str) -> None:
	frappe.throw(
		_("{0} cannot {1} {2} {3}: they are recorded as involved in it ({4}).").format(
			frappe.bold(frappe.utils.get_fullname(user)), acting, _(doc.doctype), doc.name, _(relation)
		),
		frappe.PermissionError,
		title=_("Recusal"),
	)


def validate_assignment(todo, method=None):
	"""ToDo validate hook: refuse to assign a complaint to someone involved in it.

	An Assignment Rule's round robin may land on an involved user; the next eligible user of the
	same rule takes the case instead, so registration is not blocked by a rule doing its job.
	"""
	if todo.reference_type != "Complaint" or todo.status != "Open" or not todo.reference_name:
		return
	if not (todo.is_new() or todo.has_value_changed("allocated_to") or todo.has_value_changed("status")):
		return

	complaint = frappe.get_doc("Complaint", todo.reference_name)
	involved = involved_users(complaint)
	if todo.allocated_to not in involved:
		return

	if todo.assignment_rule:
		users = [row.user for row in frappe.get_cached_doc("Assignment Rule", todo.assignment_rule).users]
		start = users.index(todo.allocated_to) + 1 if todo.allocated_to in users else 0
		eligible = [user for user in users[start:] + users[:start] if user not in involved]
		if eligible:
			todo.allocated_to = eligible[0]
			return

	recusal_error(todo.allocated_to, complaint, involved[todo.allocated_to], _("be assigned"))
