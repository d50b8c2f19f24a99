"""The people a record names get it as a ToDo: an investigator on their investigation, a panel
member on their appeal, an action owner on their CAPA action (issue 12: "the assignment reaches
them"). Frappe's own assignment does the rest: the desk notification, the ToDo list, the
assignee's list filter and the awesome bar.

Only the app's own assignments are touched here (the callers say whose: the people the record
names now and named before this save); assignments made by hand are left alone.
"""

from datetime import date

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.translate import get_user_lang
from frappe.utils import getdate

from complaint_handling.engine.messaging import warn


def sync(
	doc,
	open_for: dict[str, tuple[str, tuple, date | None]],
	done: set[str],
	removed: set[str],
	*,
	share: bool = False,
) -> None:
	"""Bring ``doc``'s assignments in line with who it names.

	``open_for``: user -> (description, its format arguments, the day their part is due or None);
	each gets one open ToDo (made if they have none open) described in their own language, not in
	that of whoever saved the record, dated the day it is due (the ToDo list sorts by it), which
	follows a later change of that day.
	``done``: users whose part is finished; their open ToDo is closed.
	``removed``: users the record no longer names; their open ToDo is cancelled and, with
	``share``, the read share the app gave them is withdrawn.
	``share``: whether a user who cannot read ``doc`` through a role is given read access to it
	(and only it) by a document share, made by the app for them, not by the session user. If the
	site disabled document sharing, the session user is told that the person cannot open it.
	Runs with the app's rights: being named on a record is what entitles a person to the ToDo.
	"""
	for user, (description, args, due) in open_for.items():
		if not frappe.db.get_value("User", user, "enabled"):
			continue
		if share and not shared_for_reading(doc, user):
			continue
		due = getdate(due) if due else None
		if todo := open_todo(doc, user):
			if due and frappe.db.get_value("ToDo", todo, "date") != due:
				frappe.db.set_value("ToDo", todo, "date", due)
			continue
		assign_to.add(
			{
				"assign_to": [user],
				"doctype": doc.doctype,
				"name": doc.name,
				"description": _(description, lang=get_user_lang(user)).format(*args),
				**({"date": due} if due else {}),
			},
			ignore_permissions=True,
		)
	for user in done:
		set_status(doc, user, "Closed")
	for user in removed:
		set_status(doc, user, "Cancelled")
		if share:
			unshare(doc, user)


def shared_for_reading(doc, user: str) -> bool:
	"""Whether ``user`` can read ``doc``, sharing it with them when they cannot."""
	if frappe.has_permission(doc.doctype, "read", doc=doc, user=user):
		return True
	if frappe.get_system_settings("disable_document_sharing"):
		warn(
			_(
				"{0} cannot open {1} {2}: document sharing is disabled on this site. Give them a role that reads it."
			).format(frappe.utils.get_fullname(user), _(doc.doctype), doc.name)
		)
		return False
	frappe.share.add_docshare(doc.doctype, doc.name, user, read=1, flags={"ignore_share_permission": True})
	return True


def unshare(doc, user: str) -> None:
	if name := frappe.db.get_value(
		"DocShare", {"user": user, "share_doctype": doc.doctype, "share_name": doc.name}
	):
		frappe.delete_doc(
			"DocShare", name, ignore_permissions=True, flags=frappe._dict(ignore_share_permission=True)
		)


def open_todo(doc, user: str) -> str | None:
	return frappe.db.get_value(
		"ToDo",
		{"reference_type": doc.doctype, "reference_name": doc.name, "allocated_to": user, "status": "Open"},
	)


def set_status(doc, user: str, status: str) -> None:
	name = open_todo(doc, user)
	if name:
		todo = frappe.get_doc("ToDo", name)
		todo.status = status
		todo.save(ignore_permissions=True)
