"""Who may see and do what, decided here and nowhere else.

Row-level access: investigators see the complaints they investigate, and appeal panel members
the appeals they sit on and the complaints behind them, not every complaint. Users who also hold
a wider complaint role see what that role sees. Acts reserved to one role (a quality manager's
decisions) are checked with :func:`require_role`.
"""

import frappe
from frappe import _
from frappe.desk import listview
from frappe.model import is_default_field

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


def is_app_doctype(doctype) -> bool:
	"""Whether ``doctype`` (a name, or anything else) is one of this app's DocTypes."""
	return (
		isinstance(doctype, str)
		and frappe.db.get_value("DocType", doctype, "module", cache=True) == "Complaint Handling"
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


# the row-level condition of each case DocType that has one
SCOPED_CASES = {
	"Complaint": complaint_query,
	"Complaint Investigation": investigation_query,
	"Complaint Appeal": appeal_query,
}


def child_query(user: str | None = None, doctype: str | None = None) -> str:
	"""The condition on rows of ``doctype``, a child table of a case in SCOPED_CASES (the reply
	rounds of a complaint, the panel of an appeal), listed through ``frappe.get_list`` with
	``parent_doctype``: Frappe asks the parent's role permission there but not its row-level
	condition, so an investigator would list the reply rounds of every complaint. A row shows only
	if the user sees its case. Empty when the user sees every case."""
	table = f"`tab{doctype}`"
	conditions, scoped = [], False
	for case, case_query in SCOPED_CASES.items():
		if doctype not in {df.options for df in frappe.get_meta(case).get_table_fields()}:
			continue
		rows_of_case = f"{table}.`parenttype` = {frappe.db.escape(case)}"
		if condition := case_query(user):
			scoped = True
			rows_of_case += f" and {table}.`parent` in (select `name` from `tab{case}` where {condition})"
		conditions.append(f"({rows_of_case})")
	return f"({' or '.join(conditions)})" if scoped else ""


# Frappe 15's frappe.client.get_count counts with no permission check at all, so a filter on any
# field of any DocType answers "does a row like this exist?" to anyone logged in: a complainant's
# address letter by letter from Email Queue Recipient. Every count respects permissions, as the
# desk's own count (frappe.desk.reportview.get_count) does.
@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""``frappe.client.get_count``: the number of rows of ``doctype`` matching ``filters`` that the
	session user may read (``debug`` and ``cache`` are accepted and ignored). Raises
	``frappe.DoesNotExistError`` (404) for a name that is no DocType and ``frappe.PermissionError``
	(403) without read permission, always for a child table (it has no parent to ask)."""
	if not (isinstance(doctype, str) and frappe.db.exists("DocType", doctype)):
		frappe.throw(
			_("{0} is not a DocType.").format(frappe.bold(str(doctype)[:140])), frappe.DoesNotExistError
		)
	frappe.has_permission(doctype, "read", throw=True)
	return frappe.get_list(doctype, filters=filters, fields=["count(*) as count"], order_by=None)[0].count


# The list sidebar's "Assigned To" counts (Frappe 15's listview.get_group_by_count) select the
# records without any permission check and count the ToDos of any DocType that carry their names:
# with a filter on a field, an investigator spelled out a complainant's email from counts.
@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""``frappe.desk.listview.get_group_by_count``: up to 50 ``{name, count}`` of ``field``'s values
	over the rows of ``doctype`` matching ``current_filters`` (JSON), most first. For
	``assigned_to`` the rows are those the session user may read, and each system user counts
	their open ToDos of ``doctype`` among them. Raises ``frappe.PermissionError`` (403) without read
	permission on ``doctype``."""
	try:
		filters = frappe.parse_json(current_filters)
	except ValueError:
		frappe.throw(_("Send the list's filters as JSON."), title=_("Invalid Filter"))
	if not isinstance(doctype, str) or not frappe.db.exists("DocType", doctype):
		frappe.throw(
			_("{0} is not a DocType.").format(frappe.bold(str(doctype)[:140])), frappe.DoesNotExistError
		)
	if field != "assigned_to":
		if not (
			isinstance(field, str) and (frappe.get_meta(doctype).has_field(field) or is_default_field(field))
		):
			frappe.throw(
				_("{0} has no field {1} to count by.").format(_(doctype), frappe.bold(str(field)[:140])),
				title=_("Invalid Filter"),
			)
		return listview.get_group_by_count(doctype, filters, field)
	frappe.has_permission(doctype, "read", throw=True)
	readable = frappe.get_list(doctype, filters=filters, fields=["name"], order_by=None, run=0)
	# no parameters: the readable rows' query may hold a LIKE pattern's % as it is
	return frappe.db.sql(
		f"""select todo.allocated_to as name, count(*) as count
		from `tabToDo` todo join `tabUser` user on user.name = todo.allocated_to
		where todo.status != 'Cancelled' and user.user_type = 'System User'
			and todo.reference_type = {frappe.db.escape(doctype)} and todo.reference_name in ({readable})
		group by todo.allocated_to order by count desc limit 50""",
		as_dict=True,
	)


def refuse_aliases(cmd: str) -> None:
	"""A Frappe method the app overrides (``override_whitelisted_methods``) is called only by its own
	path. Frappe whitelists the function, not its path, and resolves an override by the path: a
	module that imports the function reaches the original under another name (an investigator
	called ``frappe.tests.test_assign.get_group_by_count`` and ``frappe.tests.test_form_load.getdoc``
	past the overrides). Raises ``frappe.PermissionError`` (403) naming the path to call."""
	try:
		function = frappe.get_attr(cmd)
	except Exception:
		return  # Frappe answers for a path that names nothing
	for path, targets in (frappe.get_hooks("override_whitelisted_methods") or {}).items():
		if path == cmd or not targets[-1].startswith("complaint_handling."):
			continue
		try:
			original = frappe.get_attr(path)
		except Exception:
			continue
		if original is function:
			frappe.throw(_("Call {0} by its own path.").format(path), frappe.PermissionError)
