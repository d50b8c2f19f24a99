"""Recusal (回避): people involved in a complaint never handle, investigate or approve it.

ISO/IEC 17025 7.9.6 wants decisions made by people not involved; ISO/IEC 17065 adds anyone who
worked for the client recently, recorded as an involvement with an end date.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_handling.rules.complaint import is_active_involvement
from complaint_handling.security.access import require_role
from complaint_handling.setup import defaults

# the DocTypes whose assignments are kept as their record
RECORDED = frozenset({"Complaint"})


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
	"""Everyone who has ever been assigned the case: an assignment since completed or removed
	(unassigning oneself) still counts, so nobody approves what they handled (ISO/IEC 17025 7.9.6)."""
	return set(
		frappe.get_all(
			"ToDo", filters={"reference_type": doctype, "reference_name": name}, pluck="allocated_to"
		)
	)


def keep_assignment_history(todo, method=None) -> None:
	"""ToDo on_trash hook: an assignment of a complaint is part of its record (who handled it), so
	only an administrator may delete it; unassigning keeps the row, cancelled."""
	if todo.reference_type in RECORDED and frappe.session.user != "Administrator":
		frappe.throw(
			_(
				"Assignments of a {0} are kept as its record: remove the assignment instead of deleting it."
			).format(_(todo.reference_type)),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)


INVOLVEMENT_FIELDS = ("user", "employee", "relation", "involved_until")


def guard_involvement(doc) -> None:
	"""Complaint validate: an involved person stays involved unless a quality manager removes or
	shortens the involvement, giving a reason (recorded in the timeline). So nobody clears their
	own involvement and then acts on the case."""
	before = doc.get_doc_before_save()
	if not before:
		return
	kept = {row.name: row for row in doc.involved_persons}
	changed = [
		old
		for old in before.involved_persons
		if old.name not in kept
		or any(str(old.get(f) or "") != str(kept[old.name].get(f) or "") for f in INVOLVEMENT_FIELDS)
	]
	if not changed:
		doc.involvement_change_reason = None
		return
	names = ", ".join(row.person_name or row.user or row.employee for row in changed)
	require_role(
		defaults.QUALITY_MANAGER,
		_(
			"Only a quality manager may remove or change an involved person ({0}), giving the reason: add people instead, or ask a quality manager."
		).format(names),
		title=_("Recusal"),
	)
	reason = (doc.involvement_change_reason or "").strip()
	if not reason:
		frappe.throw(
			_("Say why the involvement of {0} is removed or changed, in {1}.").format(
				names, frappe.bold(_(doc.meta.get_label("involvement_change_reason")))
			),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	doc.flags.involvement_change_comment = _("Involvement of {0} removed or changed: {1}").format(
		names, reason
	)
	doc.involvement_change_reason = None


def recusal_error(user: str, doc, relation: str, acting: str) -> None:
	frappe.throw(
		_("{0} cannot {1} {2} {3}: they are recorded as involved in it ({4}).").format(
			frappe.bold(frappe.utils.get_fullname(user)), acting, _(doc.doctype), doc.name, _(relation)
		),
		frappe.PermissionError,
		title=_("Recusal"),
	)


def validate_assignment(todo, method=None):
	"""ToDo validate hook: refuse to assign a complaint to someone involved in it (a
	PermissionError naming the relation).

	A person assigning by hand gets that error. An Assignment Rule never gets here with an involved
	user: it passes over whoever cannot take the case, and should this refusal reach it anyway the
	complaint saves unassigned and says why (``intake/routing.py``), so intake is never blocked.
	"""
	if todo.reference_type != "Complaint" or todo.status != "Open" or not todo.reference_name:
		return
	if not (todo.is_new() or todo.has_value_changed("allocated_to") or todo.has_value_changed("status")):
		return

	complaint = frappe.get_doc("Complaint", todo.reference_name)
	involved = involved_users(complaint)
	if todo.allocated_to in involved:
		recusal_error(todo.allocated_to, complaint, involved[todo.allocated_to], _("be assigned"))
