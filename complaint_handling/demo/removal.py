"""``complaint-demo --remove``: every demo record and user, and what hangs off them, so that the
site is as it was before the demo.

Demo records are those tagged *Complaint Demo*, everything recorded against a demo complaint
(investigations, appeals, CAPAs raised from it), and every case a demo user created while trying
the app. Hanging off them: assignments, comments, versions, emails and their queue, shares,
notifications, SLA events, follow and view logs. The configuration the demo added (Holiday List,
outgoing account, working hours, a suspended email queue, the demo handler on the categories) is
taken back; the complaint and document numbers the demo used are handed back when nothing was
numbered after them, as Frappe does for naming series.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_handling.demo import marks
from complaint_handling.demo.data import OUTBOX, TAG, USER_EMAILS
from complaint_handling.demo.report import Report
from complaint_handling.intake.numbering import get_pattern

# deleted in this order: each only after whatever links to it
CASES = ("Complaint Appeal", "CAPA", "Complaint Investigation", "Complaint")
PARTIES = {"Complaint": ("complainant", "Complainant"), "Complaint Appeal": ("appellant", "Appellant")}

# (DocType, its reference DocType field, its reference name field): rows about a record
TRACES = (
	("ToDo", "reference_type", "reference_name"),
	("Comment", "reference_doctype", "reference_name"),
	("Version", "ref_doctype", "docname"),
	("DocShare", "share_doctype", "share_name"),
	("Notification Log", "document_type", "document_name"),
	("Complaint SLA Event", "reference_doctype", "reference_name"),
	("View Log", "reference_doctype", "reference_name"),
	("Document Follow", "ref_doctype", "ref_docname"),
	("Activity Log", "reference_doctype", "reference_name"),
	("Energy Point Log", "reference_doctype", "reference_name"),
	("Error Log", "reference_doctype", "reference_name"),
	("Workflow Action", "reference_doctype", "reference_name"),
	("Document Share Key", "reference_doctype", "reference_docname"),
	("Deleted Document", "deleted_doctype", "deleted_name"),
)
# (DocType, its user field): what Frappe keeps about a person's use of the desk
USER_TRACES = (
	("Notification Log", "for_user"),
	("Activity Log", "user"),
	("Access Log", "user"),
	("Route History", "user"),
	("View Log", "viewed_by"),
	("Document Follow", "user"),
	("Workflow Action", "completed_by"),
	("Workflow Action", "user"),
)


def remove(report: Report) -> None:
	"""Delete every demo record and user. Records and users something else still links to are
	kept and named in ``report``."""
	users = demo_users()
	changed = marks.changes()
	records = collect(users)
	party_records = parties(records)  # read before the cases naming them go
	for doctype in CASES:
		for name in records[doctype]:
			if doctype == "Complaint":
				hand_back_number(name)
			delete(doctype, name)
	for doctype, party_names in party_records.items():
		records[doctype] = [name for name in party_names if delete_party(doctype, name)]
	erase_traces([(dt, name) for dt, names in records.items() for name in names])
	detach_capas(records["Complaint"])
	restore_configuration(report, changed)
	removed_users = remove_users(users, report, changed)
	summarise(report, records, removed_users)
	drop_tag()
	marks.forget()


# ------------------------------------------------------------------ what is the demo's


def demo_users() -> list[str]:
	return sorted(
		{*marks.tagged("User"), *(email for email in USER_EMAILS if frappe.db.exists("User", email))}
	)


def collect(users: list[str]) -> dict[str, list[str]]:
	"""The demo's cases by DocType, newest first (so numbers can be handed back)."""
	by_owner = {"owner": ("in", users or [""])}
	complaints = names("Complaint", marks.tagged("Complaint"), by_owner)
	investigations = names(
		"Complaint Investigation",
		marks.tagged("Complaint Investigation"),
		by_owner,
		{"complaint": ("in", complaints or [""])},
	)
	appeals = names(
		"Complaint Appeal",
		marks.tagged("Complaint Appeal"),
		by_owner,
		{"complaint": ("in", complaints or [""])},
	)
	capas = names(
		"CAPA",
		marks.tagged("CAPA"),
		by_owner,
		{"source_doctype": "Complaint", "source_name": ("in", complaints or [""])},
		{"source_doctype": "Complaint Investigation", "source_name": ("in", investigations or [""])},
		{"name": ("in", capas_only_about(complaints) or [""])},
	)
	return {
		"Complaint Appeal": appeals,
		"CAPA": capas,
		"Complaint Investigation": investigations,
		"Complaint": complaints,
	}


def names(doctype: str, tagged: list[str], *filters: dict) -> list[str]:
	"""Existing ``doctype`` records that are tagged or match any of ``filters``, newest first."""
	found = set(tagged)
	for where in filters:
		found.update(frappe.get_all(doctype, filters=where, pluck="name"))
	if not found:
		return []
	return frappe.get_all(
		doctype, filters={"name": ("in", list(found))}, pluck="name", order_by="creation desc"
	)


def capas_only_about(complaints: list[str]) -> list[str]:
	"""CAPAs linked to demo complaints and nothing else (a recurrence proposal, say)."""
	if not complaints:
		return []
	linked = set(frappe.get_all("CAPA Complaint", filters={"complaint": ("in", complaints)}, pluck="parent"))
	return [
		capa
		for capa in linked
		if set(frappe.get_all("CAPA Complaint", filters={"parent": capa}, pluck="complaint"))
		<= set(complaints)
	]


def parties(records: dict[str, list[str]]) -> dict[str, list[str]]:
	"""Complainants and appellants of the demo's cases, and tagged ones."""
	found = {}
	for case_doctype, (field, party_doctype) in PARTIES.items():
		linked = frappe.get_all(
			case_doctype, filters={"name": ("in", records[case_doctype] or [""])}, pluck=field
		)
		found[party_doctype] = sorted({*marks.tagged(party_doctype), *filter(None, linked)})
	return found


# ------------------------------------------------------------------ deleting


def delete(doctype: str, name: str) -> None:
	# the cases refuse deletion once registered (they are records); the demo's are not
	frappe.delete_doc(
		doctype, name, force=True, ignore_permissions=True, ignore_on_trash=True, delete_permanently=True
	)


def delete_party(doctype: str, name: str) -> bool:
	"""Delete a complainant or appellant unless a case outside the demo names it."""
	case_doctype = next(case for case, (_f, party) in PARTIES.items() if party == doctype)
	if not frappe.db.exists(doctype, name) or frappe.db.exists(
		case_doctype, {PARTIES[case_doctype][0]: name}
	):
		return False
	delete(doctype, name)
	return True


def hand_back_number(complaint: str) -> None:
	"""Lower the complaint counter if ``complaint`` took its last number, as Frappe's
	``revert_series_if_last`` does for naming series. A number followed by others stays used."""
	doc = frappe.db.get_value("Complaint", complaint, ["received_on", "severity", "company"], as_dict=True)
	pattern = get_pattern()
	values = {
		"severity": doc.severity,
		"company": doc.company and frappe.get_cached_value("Company", doc.company, "abbr"),
	}
	values = {token: values[token] for token in pattern.value_tokens}
	received = getdate(doc.received_on)
	try:
		key = pattern.series_key(received, values)
	except KeyError:
		return
	# tabSeries is Frappe's counter table, not a DocType: read and lower it as numbering does
	current = frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name`=%s FOR UPDATE", key)
	if current and pattern.render(received, values, int(current[0][0])) == complaint:
		frappe.db.sql("UPDATE `tabSeries` SET `current` = `current` - 1 WHERE `name`=%s", key)


def erase_traces(records: list[tuple[str, str]]) -> None:
	"""Everything Frappe and the app recorded about the deleted ``records``."""
	by_doctype = {}
	for doctype, name in records:
		by_doctype.setdefault(doctype, []).append(name)
	for doctype, doc_names in by_doctype.items():
		for trace, type_field, name_field in TRACES:
			delete_rows(trace, {type_field: doctype, name_field: ("in", doc_names)})
		erase_mail({"reference_doctype": doctype, "reference_name": ("in", doc_names)}, doctype, doc_names)
		# the "deleted" line Frappe adds to the activity feed for each
		frappe.db.delete(
			"Comment",
			{
				"comment_type": "Deleted",
				"reference_doctype": doctype,
				"subject": ("in", [f"{_(doctype)} {name}" for name in doc_names]),
			},
		)


def erase_mail(reference: dict, doctype: str, doc_names: list[str]) -> None:
	"""The emails of these records (and their timeline links) and what is queued for them."""
	communications = set(frappe.get_all("Communication", filters=reference, pluck="name"))
	communications.update(
		frappe.get_all(
			"Communication Link",
			filters={"link_doctype": doctype, "link_name": ("in", doc_names), "parenttype": "Communication"},
			pluck="parent",
		)
	)
	queued = set(frappe.get_all("Email Queue", filters=reference, pluck="name"))
	if communications:
		queued.update(
			frappe.get_all(
				"Email Queue", filters={"communication": ("in", list(communications))}, pluck="name"
			)
		)
		delete_rows("Communication", {"name": ("in", list(communications))})
	delete_queued(queued)


def delete_queued(queued) -> None:
	if queued:
		delete_rows("Email Queue", {"name": ("in", list(queued))})


def delete_rows(doctype: str, filters: dict) -> None:
	"""Delete the ``doctype`` rows matching ``filters`` with their child rows, without the
	DocType's hooks: these are logs about records already gone (the ToDo hook, for one, keeps
	complaint assignments, which is right for a record and wrong for a demo)."""
	names = frappe.get_all(doctype, filters=filters, pluck="name")
	if not names:
		return
	for table in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(table.options, {"parent": ("in", names), "parenttype": doctype})
	frappe.db.delete(doctype, {"name": ("in", names)})
	if doctype != "Version":  # assignments, for one, keep a history of their own
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})


def detach_capas(complaints: list[str]) -> None:
	"""A CAPA that also covers complaints outside the demo stays, without the demo's."""
	if complaints:
		frappe.db.delete("CAPA Complaint", {"complaint": ("in", complaints), "parenttype": "CAPA"})


# ------------------------------------------------------------------ configuration


def restore_configuration(report: Report, changed: dict) -> None:
	if changed.get("working_hours"):
		settings = frappe.get_single("Complaint Settings")
		settings.set("working_hours", [])
		settings.save(ignore_permissions=True)
		report.say(_("Complaint Settings: the working hours the demo added are taken out again."))
	if changed.get("workspace_setup"):
		frappe.db.set_single_value("Workspace Settings", "workspace_setup_completed", 0)
		report.say(_("Workspace setup: asked for again, as before the demo."))
	if changed.get("suspended_queue"):
		frappe.db.set_default("suspend_email_queue", 0)
		report.say(_("Email Queue: sending resumed, as before the demo."))
	for name in marks.tagged("Auto Email Report"):
		if remove_or_report(report, "Auto Email Report", name):
			report.say(_("Auto Email Report {0} deleted.").format(name))
	for name in marks.tagged("Holiday List"):
		for company in frappe.get_all("Company", filters={"default_holiday_list": name}, pluck="name"):
			frappe.db.set_value("Company", company, "default_holiday_list", None, update_modified=False)
			frappe.clear_document_cache("Company", company)
		if remove_or_report(report, "Holiday List", name):
			report.say(_("Holiday List {0} deleted.").format(name))
	if OUTBOX in marks.tagged("Email Account"):
		# real mail queued through the demo's account meanwhile waits for the site's own account
		frappe.db.set_value(
			"Email Queue", {"email_account": OUTBOX}, "email_account", None, update_modified=False
		)
		if remove_or_report(report, "Email Account", OUTBOX):
			report.say(_("Email Account {0} deleted.").format(OUTBOX))


def remove_or_report(report: Report, doctype: str, name: str) -> bool:
	"""Delete ``name`` the way Frappe deletes it; if something still links to it, keep it and
	say so. Returns whether it was deleted."""
	savepoint = "complaint_demo_delete"
	frappe.db.savepoint(savepoint)
	try:
		frappe.delete_doc(doctype, name, ignore_permissions=True, delete_permanently=True)
	except frappe.ValidationError as e:
		frappe.db.rollback(save_point=savepoint)
		frappe.clear_messages()
		report.say(
			_("Kept {0} {1}: {2}").format(
				_(doctype), name, frappe.utils.strip_html_tags(str(e)) or _(type(e).__name__)
			)
		)
		return False
	erase_traces([(doctype, name)])
	return True


# ------------------------------------------------------------------ people


def remove_users(users: list[str], report: Report, changed: dict) -> list[str]:
	"""Take the demo users off the categories and delete them with what Frappe keeps about them.
	Returns those deleted."""
	release(users, report, changed.get("last_users") or {})
	return [user for user in users if remove_user(user, report)]


def release(users: list[str], report: Report, last_users: dict) -> None:
	"""Undo what names the demo users outside their own records: category handlers (the Assignment
	Rule follows), the rule's round-robin pointer (back to the user noted before the demo, if
	still there), their Employee records."""
	categories = frappe.get_all(
		"Complaint Category User", filters={"user": ("in", users or [""])}, pluck="parent", distinct=True
	)
	for category in categories:
		doc = frappe.get_doc("Complaint Category", category)
		doc.set("users", [row for row in doc.users if row.user not in users])
		doc.save(ignore_permissions=True)
	forget_handler_history(users)
	for rule in frappe.get_all("Assignment Rule", filters={"last_user": ("in", users or [""])}, pluck="name"):
		previous = last_users.get(rule) or None
		if previous and not frappe.db.exists("User", previous):
			previous = None
		frappe.db.set_value("Assignment Rule", rule, "last_user", previous, update_modified=False)
	employees = {
		*marks.tagged("Employee"),
		*frappe.get_all("Employee", filters={"user_id": ("in", users or [""])}, pluck="name"),
	}
	for employee in employees:
		remove_or_report(report, "Employee", employee)
	for gender in marks.tagged("Gender"):
		remove_or_report(report, "Gender", gender)


def forget_handler_history(users: list[str]) -> None:
	"""The category and Assignment Rule versions that record the demo users joining and leaving:
	the categories' own history is as it was before the demo."""
	for user in users:
		for doctype in ("Complaint Category", "Assignment Rule"):
			frappe.db.delete("Version", {"ref_doctype": doctype, "data": ("like", f"%{user}%")})


def remove_user(user: str, report: Report) -> bool:
	"""Delete the demo user ``user``, its contact, logs, defaults and the mail queued for it."""
	contacts = set(frappe.get_all("Contact", filters={"user": user}, pluck="name"))
	contacts.update(
		frappe.get_all("Contact Email", filters={"email_id": user, "parenttype": "Contact"}, pluck="parent")
	)
	# the person's own logs; workflow actions they took would keep the user linked
	for trace, field in USER_TRACES:
		delete_rows(trace, {field: user})
	if not remove_or_report(report, "User", user):
		return False
	for contact in contacts:
		if frappe.db.exists("Contact", contact):
			delete("Contact", contact)
			erase_traces([("Contact", contact)])
	frappe.db.delete("DefaultValue", {"parent": user})
	erase_traces([("Notification Settings", user)])  # deleted with the user
	# mail to the person (assignment notices): nobody will read it
	delete_queued(frappe.get_all("Email Queue Recipient", filters={"recipient": user}, pluck="parent"))
	return True


def drop_tag() -> None:
	if frappe.db.exists("Tag", TAG) and not frappe.db.exists("Tag Link", {"tag": TAG}):
		frappe.delete_doc("Tag", TAG, ignore_permissions=True, force=True, delete_permanently=True)
		erase_traces([("Tag", TAG)])


def summarise(report: Report, records: dict[str, list[str]], users: list[str]) -> None:
	counts = [f"{len(found)} {_(doctype)}" for doctype, found in records.items() if found]
	if users:
		counts.append(f"{len(users)} {_('User')}")
	report.say(_("Removed: {0}.").format(", ".join(counts)) if counts else _("No demo records found."))
