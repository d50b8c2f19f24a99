"""Who may see and do what, decided here and nowhere else.

Row-level access: investigators see the complaints they investigate, and appeal panel members
the appeals they sit on and the complaints behind them, not every complaint. Users who also hold
a wider complaint role see what that role sees. Acts reserved to one role (a quality manager's
decisions) are checked with :func:`require_role`.
"""

import frappe
from frappe import _

from complaint_handling.setup import defaults

WIDER_ROLES = frozenset(
	{
		defaults.INTAKE,
		defaults.HANDLER,
		defaults.QUALITY_MANAGER,
		defaults.AUDITOR,
		defaults.GENERAL_MANAGER,
		"System Manager",
	}
)


def has_role(role: str, user: str | None = None) -> bool:
	"""Whether ``user`` (default: the session user; Administrator holds every role) has ``role``."""
	return role in frappe.get_roles(user)


def require_role(role: str, message: str, title: str | None = None) -> None:
	"""Raise ``frappe.PermissionError`` with ``message`` unless the session user holds ``role``."""
	if not has_role(role):
		frappe.throw(message, frappe.PermissionError, title=title)


def scoped_roles(user: str) -> set[str]:
	"""The row-scoped complaint roles that are all this user has (empty: not restricted)."""
	if user == "Administrator":
		return set()
	roles = set(frappe.get_roles(user))
	if roles & WIDER_ROLES:
		return set()
	return roles & {defaults.INVESTIGATOR, defaults.APPEAL_PANEL}


def complaint_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	scoped = scoped_roles(user)
	if not scoped:
		return ""
	escaped = frappe.db.escape(user)
	visible = []
	if defaults.INVESTIGATOR in scoped:
		visible.append(
			f"select `complaint` from `tabComplaint Investigation` where `investigator` = {escaped}"
		)
	if defaults.APPEAL_PANEL in scoped:
		visible.append(
			"select `appeal`.`complaint` from `tabComplaint Appeal` `appeal` join `tabComplaint Appeal Panel Member` `member` "
			f"on `member`.`parent` = `appeal`.`name` where `member`.`user` = {escaped}"
		)
	return "`tabComplaint`.`name` in (" + " union ".join(visible) + ")"


def complaint_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	scoped = scoped_roles(user)
	if not scoped:
		return None
	if defaults.INVESTIGATOR in scoped and frappe.db.exists(
		"Complaint Investigation", {"complaint": doc.name, "investigator": user}
	):
		return True
	return defaults.APPEAL_PANEL in scoped and doc.name in panel_complaints(user)


def panel_complaints(user: str) -> set[str]:
	appeals = frappe.get_all(
		"Complaint Appeal Panel Member",
		filters={"user": user, "parenttype": "Complaint Appeal"},
		pluck="parent",
	)
	return (
		set(frappe.get_all("Complaint Appeal", filters={"name": ("in", appeals)}, pluck="complaint"))
		if appeals
		else set()
	)


def investigation_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if defaults.INVESTIGATOR not in scoped_roles(user):
		return ""
	return f"`tabComplaint Investigation`.`investigator` = {frappe.db.escape(user)}"


def investigation_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	if defaults.INVESTIGATOR not in scoped_roles(user) or doc.is_new():
		return None
	return doc.investigator == user


def appeal_query(user: str | None = None) -> str:
	user = user or frappe.session.user
	if defaults.APPEAL_PANEL not in scoped_roles(user):
		return ""
	return (
		"`tabComplaint Appeal`.`name` in (select `parent` from `tabComplaint Appeal Panel Member` "
		f"where `user` = {frappe.db.escape(user)})"
	)


def appeal_has_permission(doc, ptype=None, user=None) -> bool | None:
	user = user or frappe.session.user
	if defaults.APPEAL_PANEL not in scoped_roles(user) or doc.is_new():
		return None
	return user in {row.user for row in doc.panel}


# Frappe 15's frappe.client.get_count counts with no permission check at all, so a filter on any
# field answers "does a row like this exist?" to anyone logged in (or Guest). For the app's
# DocTypes and the rows that carry a case's words and history, the count respects permissions.
COUNTED_WITH_PERMISSION = frozenset({"Communication", "Version", "Email Queue", "Comment"})


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""``frappe.client.get_count``; for the app's DocTypes and those above, only rows the user
	may read are counted (raises ``frappe.PermissionError`` without read permission)."""
	from frappe.client import get_count as frappe_get_count

	if not counted_with_permission(doctype):
		return frappe_get_count(doctype, filters, debug, cache)
	frappe.has_permission(doctype, "read", throw=True)
	return frappe.get_list(doctype, filters=filters, fields=["count(*) as count"], order_by=None)[0].count


def counted_with_permission(doctype) -> bool:
	"""Raises ``frappe.DoesNotExistError`` (404) for a name that is no DocType."""
	module = isinstance(doctype, str) and frappe.db.get_value("DocType", doctype, "module", cache=True)
	if not module:
		frappe.throw(
			_("{0} is not a DocType.").format(frappe.bold(str(doctype)[:140])), frappe.DoesNotExistError
		)
	return doctype in COUNTED_WITH_PERMISSION or module == "Complaint Handling"
