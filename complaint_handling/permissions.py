"""Row-level access: investigators see the complaints they investigate, not all complaints.

Users who also hold a wider complaint role see what that role sees.
"""

import frappe

from complaint_handling.setup import defaults

WIDER_ROLES = frozenset(
	{
		defaults.INTAKE,
		defaults.HANDLER,
		defaults.QUALITY_MANAGER,
		defaults.AUDITOR,
		defaults.GENERAL_MANAGER,
		defaults.APPEAL_PANEL,
		"System Manager",
	}
)


def investigator_only(user: str) -> bool:
	if user == "Administrator":
		return False
	roles = set(frappe.get_roles(user))
	return defaults.INVESTIGATOR in roles and not roles & WIDER_ROLES


def complaint_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not investigator_only(user):
		return ""
	return (
		"`tabComplaint`.`name` in (select `complaint` from `tabComplaint Investigation` "
		f"where `investigator` = {frappe.db.escape(user)})"
	)


def complaint_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	if not investigator_only(user):
		return None
	return bool(frappe.db.exists("Complaint Investigation", {"complaint": doc.name, "investigator": user}))


def investigation_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if not investigator_only(user):
		return ""
	return f"`tabComplaint Investigation`.`investigator` = {frappe.db.escape(user)}"


def investigation_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	if not investigator_only(user) or doc.is_new():
		return None
	return doc.investigator == user
