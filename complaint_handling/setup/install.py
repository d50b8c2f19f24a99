"""Seed what a site needs to handle complaints, once: insert if missing, never overwrite.

Runs from ``after_install`` and, for sites that had the app before a default was added, from the
``seed_defaults`` patch (a fresh install marks patches done without running them).
"""

from pathlib import Path

import frappe
from frappe.permissions import reset_perms, rights
from frappe.utils import validate_email_address

from complaint_handling.intake.numbering import ensure_numbering_lock
from complaint_handling.setup import defaults


def after_install():
	seed_defaults()


def before_tests():
	# Only the before_tests hook of the app under test runs, so complete ERPNext's setup wizard too.
	from erpnext.setup.utils import before_tests as erpnext_before_tests

	erpnext_before_tests()
	seed_defaults()
	frappe.db.commit()  # nosemgrep: the test runner starts from committed fixtures


def seed_defaults():
	seed_severities()
	seed_categories()
	seed_email_templates()
	seed_print_formats()
	seed_notifications()
	seed_workflows()
	seed_sla_policy()
	seed_settings()
	seed_pickers()
	seed_escalation_fields()
	seed_review_reports()
	ensure_numbering_lock()


def before_uninstall():
	"""Remove the records seeded into Frappe's own DocTypes, so uninstalling leaves the site clean."""
	for name in frappe.get_all(
		"Workflow", filters={"document_type": ("in", list(defaults.WORKFLOWS))}, pluck="name"
	):
		frappe.delete_doc("Workflow", name, ignore_permissions=True, force=True)
	for name in frappe.get_all("Assignment Rule", filters={"document_type": "Complaint"}, pluck="name"):
		frappe.delete_doc("Assignment Rule", name, ignore_permissions=True, force=True)
	for template in defaults.EMAIL_TEMPLATES:
		if frappe.db.exists("Email Template", template):
			frappe.delete_doc("Email Template", template, ignore_permissions=True, force=True)
	# an Auto Email Report of a report that is gone fails the monthly scheduler job
	reports = frappe.get_all("Report", filters={"module": "Complaint Handling"}, pluck="name")
	for name in frappe.get_all(
		"Auto Email Report", filters={"report": ("in", reports or [""])}, pluck="name"
	):
		frappe.delete_doc("Auto Email Report", name, ignore_permissions=True, force=True)
	# what Frappe keeps about our documents elsewhere: assignments, timeline, history, mail
	ours = frappe.get_all("DocType", filters={"module": "Complaint Handling"}, pluck="name")
	queued = frappe.get_all("Email Queue", filters={"reference_doctype": ("in", ours)}, pluck="name")
	if queued:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
	for doctype, field in (
		("ToDo", "reference_type"),
		("DocShare", "share_doctype"),
		("Comment", "reference_doctype"),
		("Communication", "reference_doctype"),
		("Version", "ref_doctype"),
		("Notification Log", "document_type"),
		("Email Queue", "reference_doctype"),
		("Error Log", "reference_doctype"),
	):
		frappe.db.delete(doctype, {field: ("in", ours)})
	for prefix in ("Complaint:", "CAPA-", "APL-", "CINV-"):
		frappe.db.delete("Series", {"name": ("like", f"{prefix}%")})
	for role in defaults.ROLES:
		frappe.db.delete("Custom DocPerm", {"role": role})
		frappe.db.delete("Has Role", {"role": role})
		if frappe.db.exists("Role", role):
			frappe.delete_doc("Role", role, ignore_permissions=True, force=True)
	uncustomise_pickers()
	frappe.db.delete("Series", {"name": ("like", "Complaint:%")})
	# Frappe leaves an uninstalled app's scheduled jobs, which then fail on every run
	for name in frappe.get_all(
		"Scheduled Job Type", filters={"method": ("like", "complaint_handling.%")}, pluck="name"
	):
		frappe.delete_doc("Scheduled Job Type", name, ignore_permissions=True, force=True)
	remove_escalation_fields(defaults.ESCALATION_SOURCES)


# the columns that make a permission rule what it is
PERMISSION_COLUMNS = ("role", "permlevel", "if_owner", *rights)


def uncustomise_pickers() -> None:
	"""After the app's roles' rules are gone: a DocType of ``defaults.PICKERS`` whose remaining
	custom rules are the copy of its standard ones that :func:`seed_pickers` made goes back to
	its standard permissions; one an admin customised keeps their rules."""
	for doctype in defaults.PICKERS:
		custom = frappe.get_all("Custom DocPerm", filters={"parent": doctype}, fields=PERMISSION_COLUMNS)
		standard = frappe.get_all("DocPerm", filters={"parent": doctype}, fields=PERMISSION_COLUMNS)
		if custom and sorted(map(tuple_of, custom)) == sorted(map(tuple_of, standard)):
			reset_perms(doctype)
			frappe.clear_cache(doctype=doctype)


def tuple_of(rule: dict) -> tuple:
	return tuple(rule[column] or 0 for column in PERMISSION_COLUMNS)


def seed_pickers():
	"""The roles that pick an employee, a company or a customer in a link field get Frappe's
	*Select* permission on that DocType (``defaults.PICKERS``: search and link check, no record
	read), added as Role Permissions Manager adds a rule, once per role that has no rule on it yet.
	DocTypes the site does not have are passed over."""
	from frappe.permissions import setup_custom_perms

	for doctype, roles in defaults.PICKERS.items():
		if not frappe.db.exists("DocType", doctype):
			continue
		for role in roles:
			if frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": role}):
				continue
			setup_custom_perms(doctype)
			frappe.get_doc(
				{
					"doctype": "Custom DocPerm",
					"parent": doctype,
					"parenttype": "DocType",
					"parentfield": "permissions",
					"role": role,
					"permlevel": 0,
					"select": 1,
					"read": 0,
				}
			).insert(ignore_permissions=True)
		frappe.clear_cache(doctype=doctype)


def insert_if_missing(doctype: str, name: str, values: dict) -> None:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


def seed_severities():
	for severity in defaults.SEVERITIES:
		insert_if_missing("Complaint Severity", severity["code"], severity)


def seed_categories():
	for category in defaults.CATEGORIES:
		insert_if_missing("Complaint Category", category["category_name"], category)


def seed_email_templates():
	for name, (subject, response) in defaults.EMAIL_TEMPLATES.items():
		insert_if_missing(
			"Email Template",
			name,
			{"name": name, "subject": subject, "use_html": 1, "response_html": response},
		)


def seed_print_formats():
	"""The app's letters and reports as Print Formats the admin edits in the desk (not Standard:
	Frappe refuses to save a standard one); a print format of that name already there is left as
	it is."""
	for name, doctype in defaults.PRINT_FORMATS.items():
		insert_if_missing("Print Format", name, print_format(name, doctype))


def print_format(name: str, doctype: str) -> dict:
	"""The values of a seeded Print Format: its Jinja from ``setup/print_formats``, margins of
	15 mm, no page numbers."""
	return {
		"name": name,
		"doc_type": doctype,
		"module": "Complaint Handling",
		"standard": "No",
		"custom_format": 1,
		"print_format_type": "Jinja",
		"html": (Path(__file__).parent / "print_formats" / f"{frappe.scrub(name)}.html").read_text(),
		**dict.fromkeys(("margin_top", "margin_bottom", "margin_left", "margin_right"), 15),
		"page_number": "Hide",
	}


def seed_notifications():
	for name, values in defaults.NOTIFICATIONS.items():
		insert_if_missing("Notification", name, {"name": name, "enabled": 1, **values})


def seed_sla_policy():
	if not frappe.db.count("Complaint SLA Policy"):
		frappe.get_doc({"doctype": "Complaint SLA Policy", **defaults.SLA_POLICY}).insert(
			ignore_permissions=True
		)


def seed_workflows():
	"""Insert each workflow unless the site already has one for its DocType."""
	for doctype, (name, states, transitions) in defaults.WORKFLOWS.items():
		if frappe.db.exists("Workflow", {"document_type": doctype}):
			continue
		for state, _status, _role, style in states:
			insert_if_missing("Workflow State", state, {"workflow_state_name": state, "style": style})
		for action in {t[1] for t in transitions}:
			insert_if_missing("Workflow Action Master", action, {"workflow_action_name": action})
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": name,
				"document_type": doctype,
				"workflow_state_field": "workflow_state",
				"is_active": 1,
				"send_email_alert": 0,
				"states": [
					{
						"state": state,
						"doc_status": "0",
						"update_field": "status",
						"update_value": status,
						"allow_edit": role,
					}
					for state, status, roles, _style in states
					for role in roles
				],
				"transitions": [
					{
						"state": state,
						"action": action,
						"next_state": next_state,
						"allowed": role,
						"allow_self_approval": 1,
					}
					for state, action, next_state, roles in transitions
					for role in roles
				],
			}
		).insert(ignore_permissions=True)


def seed_settings():
	stored = frappe.db.get_singles_dict("Complaint Settings")
	seeded = {
		"send_acknowledgement": 1,
		"send_end_notice": 1,
		"send_reply_letter": 1,
		"restatement_confirmation_days": 5,
		"naming_pattern": defaults.DEFAULT_NAMING_PATTERN,
		"default_severity": "III",
		"default_company": frappe.defaults.get_global_default("company"),
		"acknowledgement_template": defaults.ACKNOWLEDGEMENT,
		"acknowledgement_print_format": defaults.ACKNOWLEDGEMENT,
		"on_call_role": defaults.QUALITY_MANAGER,
		"sla_alert_template": defaults.SLA_ALERT,
		"on_call_template": defaults.ON_CALL_ALERT,
		"feedback_reminder_template": defaults.FEEDBACK_REMINDER,
		"auto_close": 1,
		"feedback_reminder_days": 25,
		"auto_close_days": 10,
		"similar_case_days": 365,
		"capa_reminder_days": 2,
		"capa_escalation_hours": 8,
		"recurrence_threshold": 2,
		"recurrence_days": 90,
		"reopen_threshold": 2,
		"appeal_window": 30,
		"appeal_window_unit": "Days",
		"appeal_acceptance_within": 5,
		"appeal_acceptance_unit": "Working Days",
		"appeal_decision_within": 2,
		"appeal_decision_unit": "Months",
		"appeal_implementation_within": 10,
		"appeal_implementation_unit": "Working Days",
		"appeal_reminder_days": 2,
		"appeal_acceptance_template": defaults.APPEAL_ACCEPTED,
		"appeal_rejection_template": defaults.APPEAL_NOT_ACCEPTED,
		"appeal_decision_template": defaults.APPEAL_DECIDED,
		"survey_template": defaults.SATISFACTION_SURVEY,
	}
	# a field the site has never stored is ours to fill; a stored one (even 0) is the admin's
	missing = {field: value for field, value in seeded.items() if value and stored.get(field) is None}
	seed_hours = not frappe.db.exists("Complaint Working Hours", {"parent": "Complaint Settings"})
	if missing or seed_hours:
		settings = frappe.get_single("Complaint Settings")
		settings.update(missing)
		if seed_hours:
			settings.set("working_hours", defaults.WORKING_HOURS)
		settings.flags.ignore_permissions = True
		settings.save()


# the reports mailed to the quality managers every month (Auto Email Report): report -> (format,
# period of data); Frappe has no quarterly frequency, so the trends go monthly over the last quarter
REVIEW_REPORTS = {"Complaint Register": ("XLSX", "Monthly"), "Complaint Trends": ("HTML", "Quarterly")}


def seed_review_reports() -> None:
	"""A monthly Auto Email Report of each report in REVIEW_REPORTS that exists, to the users with
	the quality manager role (Administrator apart), once: a report that already has an Auto Email
	Report (the admin's edit included) is left alone. Skipped, with a log line, while the site has
	no quality manager or no outgoing Email Account."""
	logger = frappe.logger("complaint_handling")
	wanted = [report for report in REVIEW_REPORTS if frappe.db.exists("Report", report)]
	wanted = [report for report in wanted if not frappe.db.exists("Auto Email Report", {"report": report})]
	if not wanted:
		return
	managers = [
		user
		for user in frappe.get_all(
			"User",
			filters={
				"enabled": 1,
				"user_type": "System User",
				"name": ("in", quality_managers() or [""]),
			},
			fields=["name", "email"],
			order_by="creation asc, name asc",
		)
		# Administrator is the site's account, not a person (its address is admin@example.com)
		if user.name not in frappe.STANDARD_USERS and validate_email_address(user.email or "")
	]
	if not managers:
		logger.info("Complaint reports not scheduled by email: no enabled user has the quality manager role")
		return
	if not frappe.db.exists("Email Account", {"enable_outgoing": 1}):
		logger.info("Complaint reports not scheduled by email: no outgoing Email Account")
		return
	for report in wanted:
		report_format, period = REVIEW_REPORTS[report]
		frappe.get_doc(
			{
				"doctype": "Auto Email Report",
				"report": report,
				"user": managers[0].name,
				"email_to": "\n".join(user.email for user in managers),
				"enabled": 1,
				"frequency": "Monthly",
				"format": report_format,
				"send_if_data": 1,
				"dynamic_date_period": period,
				"from_date_field": "from_date",
				"to_date_field": "to_date",
				"filters": "{}",
				"description": f"<p>{report}: {period.lower()} complaint figures for the quality managers.</p>",
			}
		).insert(ignore_permissions=True)


def quality_managers() -> list[str]:
	return frappe.get_all(
		"Has Role",
		filters={"role": defaults.QUALITY_MANAGER, "parenttype": "User"},
		pluck="parent",
		distinct=True,
	)


def seed_escalation_fields() -> None:
	"""The read-only ``complaint`` link on each support ticket DocType whose app is installed
	(ERPNext's Issue; Helpdesk's HD Ticket when present), added once if missing."""
	installed = frappe.get_installed_apps()
	for doctype, (app, insert_after) in defaults.ESCALATION_SOURCES.items():
		if app not in installed or not frappe.db.exists("DocType", doctype):
			continue
		if frappe.db.exists("Custom Field", {"dt": doctype, "fieldname": defaults.ESCALATION_LINK_FIELD}):
			continue
		frappe.get_doc(
			{"doctype": "Custom Field", "dt": doctype, **defaults.escalation_link_field(insert_after)}
		).insert(ignore_permissions=True)


def remove_escalation_fields(doctypes) -> None:
	"""Remove the link fields seeded on the ticket DocTypes ``doctypes`` (uninstall)."""
	for name in frappe.get_all(
		"Custom Field",
		filters={"dt": ("in", list(doctypes)), "fieldname": defaults.ESCALATION_LINK_FIELD},
		pluck="name",
	):
		frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)


def after_app_install(app_name: str) -> None:
	"""Another app installed after this one: Helpdesk brings HD Ticket, which gets its link field."""
	if any(app == app_name for app, _after in defaults.ESCALATION_SOURCES.values()):
		seed_escalation_fields()


def before_app_uninstall(app_name: str) -> None:
	"""Helpdesk (or ERPNext) leaving: its ticket DocType's link field goes with it."""
	remove_escalation_fields(
		[doctype for doctype, (app, _after) in defaults.ESCALATION_SOURCES.items() if app == app_name]
	)
