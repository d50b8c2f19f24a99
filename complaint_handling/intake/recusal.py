"""Recusal (回避): people involved in a complaint never handle, investigate or approve it.

ISO/IEC 17025 7.9.6 wants decisions made by people not involved; ISO/IEC 17065 adds anyone who
worked for the client recently, recorded as an involvement with an end date.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_handling.rules.complaint import FINAL_STATUSES, is_active_involvement
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


# the ToDo fields that say who was given which record
ASSIGNMENT_FIELDS = ("reference_type", "reference_name", "allocated_to", "assigned_by")


def guard_assignment_record(todo, method=None) -> None:
	"""ToDo validate hook. Who handled a complaint is read from its ToDos (:func:`handlers`), so a
	ToDo of a complaint is made only by someone who may edit the complaint, or by its Assignment
	Rules (``intake/routing.py``), and once made it is never pointed at another record or person.
	Frappe lets anyone make a ToDo that names any record, and the person a ToDo is for edit it: a user
	who cannot even read a complaint could record the quality manager as its handler (barring them
	from approving it), and a handler could erase their own handling before approving. Raises
	``frappe.PermissionError``; Administrator is not checked."""
	if frappe.session.user == "Administrator":
		return
	before = todo.get_doc_before_save()
	changed = [field for field in ASSIGNMENT_FIELDS if before and todo.has_value_changed(field)]
	if before and before.reference_type in RECORDED and changed:
		frappe.throw(
			_("The assignment of {0} {1} is part of its record: {2} cannot be changed.").format(
				_(before.reference_type),
				before.reference_name,
				", ".join(_(todo.meta.get_label(field)) for field in changed),
			),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	record = before or todo
	if record.reference_type in RECORDED and (before is None or todo.status not in (before.status, "Closed")):
		# an ended complaint's assignments stay as they ended, and it takes no new ones: the
		# register names its handlers
		status = frappe.db.get_value(record.reference_type, record.reference_name, "status")
		if status in FINAL_STATUSES:
			frappe.throw(
				_("{0} {1} is {2}: its assignments stay as they ended.").format(
					_(record.reference_type), record.reference_name, _(status)
				),
				frappe.PermissionError,
				title=_("Not Allowed"),
			)
	if todo.reference_type not in RECORDED or (before and not changed) or frappe.flags.complaint_routing:
		return
	if not frappe.has_permission(todo.reference_type, "write", doc=todo.reference_name):
		frappe.throw(
			_("Only someone who may edit {0} {1} can assign it.").format(
				_(todo.reference_type), todo.reference_name
			),
			frappe.PermissionError,
			title=_("Not Allowed"),
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
