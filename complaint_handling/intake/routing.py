"""Routing (分派) that never stops intake.

Each category's Assignment Rule hands registered complaints round robin to the category's
handlers. Here the rule learns who cannot take a case (involved in it, disabled, on leave, unable
to read it) and passes over them in its own order; when nobody is left, or the rule itself fails,
the complaint still registers, unassigned, says why in its timeline and the quality managers are
told to assign it by hand.
"""

import frappe
from frappe import _
from frappe.automation.doctype.assignment_rule.assignment_rule import AssignmentRule
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.utils import get_fullname, getdate, strip_html

from complaint_handling.engine.messaging import enabled_users, users_with_role, warn
from complaint_handling.intake.recusal import involved_users
from complaint_handling.setup import defaults

# the DocTypes whose Assignment Rules follow these rules; other apps' rules are left as Frappe has them
ROUTED = frozenset({"Complaint"})


# ------------------------------------------------------------------ who cannot take a case


def unavailable(users: list[str], complaint) -> dict[str, str]:
	"""Of ``users``, those who cannot take ``complaint`` now, each with the reason (translated).

	``complaint`` is the Complaint document or its ``as_dict()``. Reasons, first one wins: involved
	in the complaint, disabled (or no such user), on leave or holiday (only where HRMS is
	installed), cannot read the complaint while document sharing is off (Frappe would refuse to
	assign them). Raises nothing.
	"""
	users = [user for user in users if user]
	if not users:
		return {}
	reasons = {
		user: _("involved in it ({0})").format(_(relation))
		for user, relation in involved_users(complaint).items()
		if user in users
	}
	enabled = set(enabled_users(users))
	for user in users:
		if user not in enabled:
			reasons.setdefault(user, _("disabled"))
	for user, reason in away(users, getdate()).items():
		reasons.setdefault(user, reason)
	for user in unable_to_read([user for user in users if user not in reasons], complaint):
		reasons[user] = _("cannot read complaints, and document sharing is disabled")
	return reasons


def hrms_installed() -> bool:
	"""Whether leave is known on this site: Leave Application comes with HRMS, not ERPNext."""
	return bool(frappe.db.exists("DocType", "Leave Application"))


def away(users: list[str], day) -> dict[str, str]:
	"""Users whose employee is on approved leave on ``day`` or has it as a holiday in their own
	Holiday List, with the reason. Empty without HRMS: then nobody's absence is known."""
	if not hrms_installed():
		return {}
	employees = frappe.get_all(
		"Employee",
		filters={"user_id": ("in", users), "status": "Active"},
		fields=["name", "user_id", "holiday_list"],
	)
	if not employees:
		return {}
	on_leave = on_approved_leave([row.name for row in employees], day)
	lists = {row.holiday_list for row in employees if row.holiday_list}
	holiday_lists = (
		set(
			frappe.get_all(
				"Holiday", filters={"parent": ("in", list(lists)), "holiday_date": day}, pluck="parent"
			)
		)
		if lists
		else set()
	)
	reasons = {}
	for row in employees:
		if row.name in on_leave:
			reasons[row.user_id] = _("on leave")
		elif row.holiday_list in holiday_lists:
			reasons[row.user_id] = _("on holiday")
	return reasons


def on_approved_leave(employees: list[str], day) -> set[str]:
	"""Employees with an approved (submitted) Leave Application covering ``day``. Needs HRMS."""
	return set(
		frappe.get_all(
			"Leave Application",
			filters={
				"employee": ("in", employees),
				"docstatus": 1,
				"status": "Approved",
				"from_date": ("<=", day),
				"to_date": (">=", day),
			},
			pluck="employee",
		)
	)


def unable_to_read(users: list[str], complaint) -> list[str]:
	"""Users who may not read the complaint, when document sharing is disabled: Frappe then refuses
	to assign them instead of sharing the document. Empty while sharing is on (the default)."""
	if not users or not frappe.get_system_settings("disable_document_sharing"):
		return []
	doc = frappe.get_doc("Complaint", complaint.get("name"))
	return [user for user in users if not frappe.has_permission("Complaint", "read", doc=doc, user=user)]


def describe(reasons: dict[str, str]) -> str:
	"""'Full Name: reason; …' for a comment or a message."""
	return "; ".join(f"{get_fullname(user)}: {reason}" for user, reason in reasons.items())


# ------------------------------------------------------------------ the rule


class ComplaintAssignmentRule(AssignmentRule):
	"""Assignment Rule (override_doctype_class) that, for complaints, assigns only users who can
	take the case and never lets a failed assignment stop the save."""

	def get_user(self, doc):
		"""The first user in the rule's own order who can take ``doc``, or None (the reasons are
		reported on the complaint). Round robin then records that user as ``last_user``
		(Frappe's ``do_assignment``), so the turn goes on from them and nobody gets two in a row
		while others wait."""
		if self.document_type not in ROUTED:
			return super().get_user(doc)
		candidates = self.candidates(doc)
		if not candidates:
			report_unassigned(
				doc.get("name"), _("Assignment Rule {0} has nobody to assign").format(self.name)
			)
			return None
		reasons = unavailable(candidates, doc)
		for user in candidates:
			if user not in reasons:
				return user
		report_unassigned(
			doc.get("name"),
			_("nobody of Assignment Rule {0} can take it ({1})").format(self.name, describe(reasons)),
		)
		return None

	def candidates(self, doc) -> list[str]:
		"""The rule's users in the order it would try them: round robin from the one after
		``last_user``, load balancing from the least loaded, or the user the field names."""
		users = [row.user for row in self.users if row.user]
		if self.rule == "Round Robin":
			start = users.index(self.last_user) + 1 if self.last_user in users else 0
			return users[start:] + users[:start]
		if self.rule == "Load Balancing":
			load = (
				dict(
					frappe.get_all(
						"ToDo",
						filters={
							"reference_type": self.document_type,
							"allocated_to": ("in", users),
							"status": "Open",
						},
						fields=["allocated_to", "count(name) as assigned"],
						group_by="allocated_to",
						as_list=True,
					)
				)
				if users
				else {}
			)
			return sorted(users, key=lambda user: load.get(user, 0))  # stable: ties keep the rule's order
		user = super().get_user(doc)
		return [user] if user else []

	def do_assignment(self, doc):
		"""Frappe's assignment, undone to a savepoint if it raises (a broken description
		template, a refused assignee): the complaint saves unassigned and says why. Returns whether
		someone was assigned. Database errors (deadlocks, timeouts) still raise."""
		if self.document_type not in ROUTED:
			return super().do_assignment(doc)
		savepoint, ended = "complaint_routing", []
		messages = len(frappe.local.message_log)
		frappe.db.savepoint(savepoint)
		# a commit inside (an assignment email sent at once) ends the savepoint: nothing to undo then
		frappe.db.before_commit.add(lambda: ended.append(True))
		frappe.db.before_rollback.add(lambda: ended.append(True))
		# the assignment is the rule's, whoever saved the complaint (recusal.guard_assignment_record)
		frappe.flags.complaint_routing = True
		try:
			assigned = super().do_assignment(doc)
		except (frappe.ValidationError, frappe.PermissionError) as error:
			if not ended:
				frappe.db.rollback(save_point=savepoint)
			# the refusal was queued for the desk as an error; the save goes on, so it is not one
			del frappe.local.message_log[messages:]
			frappe.log_error(title=_("Assignment Rule {0} failed on {1}").format(self.name, doc.get("name")))
			report_unassigned(
				doc.get("name"),
				_("Assignment Rule {0} failed ({1})").format(
					self.name, strip_html(str(error)) or type(error).__name__
				),
			)
			return False
		finally:
			frappe.flags.complaint_routing = False
		if not ended:
			frappe.db.release_savepoint(savepoint)
		return assigned


# ------------------------------------------------------------------ closed assignments Frappe reopens


def hold_reopened_assignment(todo, method=None) -> None:
	"""ToDo before_validate hook. On every save of a complaint Frappe's Assignment Rules reopen
	its closed assignments; one of someone who can no longer take the case (since involved,
	disabled, away) stays closed instead, and the complaint says so. A person reopening a ToDo by
	hand is not routing: the recusal check decides (``recusal.validate_assignment``)."""
	if todo.reference_type not in ROUTED or todo.is_new() or todo.status != "Open":
		return
	if not todo.flags.ignore_permissions:  # Frappe's reopen saves with it; a desk user does not
		return
	before = todo.get_doc_before_save()
	if not before or before.status != "Closed" or before.allocated_to != todo.allocated_to:
		return
	if not frappe.db.exists(todo.reference_type, todo.reference_name):
		return  # the case is gone: nothing to keep the assignment closed for
	complaint = frappe.get_doc(todo.reference_type, todo.reference_name)
	if reason := unavailable([todo.allocated_to], complaint).get(todo.allocated_to):
		todo.status = before.status
		report_unassigned(
			complaint.name,
			_("the closed assignment of {0} was not reopened: {1}").format(
				get_fullname(todo.allocated_to), reason
			),
		)


# ------------------------------------------------------------------ telling people


def report_unassigned(complaint: str | None, why: str) -> None:
	"""Say on the complaint's timeline (an Info comment) why nobody was assigned and tell the
	quality managers (desk notification) to assign it by hand. The same message is left once,
	however many saves repeat it. Raises nothing of its own."""
	if not complaint:
		return
	text = _("Not assigned automatically: {0}. A quality manager must assign it by hand.").format(why)
	comment = {
		"reference_doctype": "Complaint",
		"reference_name": complaint,
		"comment_type": "Info",
		"content": text,
	}
	if frappe.db.exists("Comment", comment):
		return
	frappe.get_doc(
		{
			"doctype": "Comment",
			"comment_email": frappe.session.user,
			"comment_by": get_fullname(frappe.session.user),
			**comment,
		}
	).insert(ignore_permissions=True)
	warn(f"{complaint}: {text}")
	managers = users_with_role(defaults.QUALITY_MANAGER)
	if not managers:
		warn(
			_("No enabled user is a quality manager: nobody was told that {0} is unassigned.").format(
				complaint
			)
		)
		return
	make_notification_logs(
		frappe._dict(
			subject=_("Complaint {0} needs assigning by hand").format(complaint),
			email_content=text,
			type="Alert",
			document_type="Complaint",
			document_name=complaint,
			from_user=frappe.session.user,
		),
		managers,
	)
