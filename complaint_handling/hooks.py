from complaint_handling.setup.defaults import ROLES

app_name = "complaint_handling"
app_title = "Complaint Handling"
app_publisher = "complaint_handling contributors"
app_description = "Auditable complaints, appeals, investigations and CAPA for ERPNext"
app_email = "maintainers@complaint-handling.invalid"
app_license = "mit"
# "org/repo" form: a bare name makes install-app ask GitHub for the org, which fails offline
required_apps = ["frappe/erpnext"]

# Only records the app owns outright, filtered by name: fixtures are re-imported on every migrate.
fixtures = [{"dt": "Role", "filters": [["name", "in", list(ROLES)]]}]

# Installation
# ------------
# The workflow, assignment rules, email template and policy defaults belong to the admin once
# installed: they are seeded if missing, never overwritten (see setup/install.py).
after_install = "complaint_handling.setup.install.after_install"
before_uninstall = "complaint_handling.setup.install.before_uninstall"
# Helpdesk installed (or removed) after this app: its HD Ticket gets (or loses) the Complaint link
after_app_install = "complaint_handling.setup.install.after_app_install"
before_app_uninstall = "complaint_handling.setup.install.before_app_uninstall"

# Testing
# -------
before_tests = "complaint_handling.setup.install.before_tests"

# Document Events
# ---------------
doc_events = {
	"ToDo": {
		# recusal: an involved person is never assigned a complaint, by a rule or by hand
		"validate": [
			"complaint_handling.intake.recusal.validate_assignment",
			# and who handled it is its record: assignments are made and kept by those who may
			"complaint_handling.intake.recusal.guard_assignment_record",
		],
		# who handled a complaint is its record: assignments are cancelled, never deleted
		"on_trash": "complaint_handling.intake.recusal.keep_assignment_history",
		# a closed assignment Frappe reopens on save stays closed for someone who can no longer take it
		"before_validate": "complaint_handling.intake.routing.hold_reopened_assignment",
	},
	"Communication": {
		# the first email to the complainant after the acknowledgement meets the first-response clock
		"after_insert": "complaint_handling.service_levels.clocks.record_first_response",
		# a received email lands on the complaint its subject names, or describes the new draft
		"before_insert": "complaint_handling.intake.email_intake.receive_email",
		# the list view's copy of a case's emails (_comments) would show them to every reader
		"on_update": "complaint_handling.security.timeline.keep_out_of_comments",
		# a case's emails are its record: their sender does not delete them
		"on_trash": "complaint_handling.security.timeline.keep_case_emails",
	},
	# rows Frappe keeps beside a record ask the record (security/side_rows.py)
	"Tag Link": {"before_insert": "complaint_handling.security.side_rows.untitled_tag"},
	"Document Follow": {"validate": "complaint_handling.security.side_rows.follower_may_read"},
	"File": {"before_validate": "complaint_handling.security.side_rows.keep_private"},
	"Comment": {
		"validate": "complaint_handling.security.side_rows.keep_recorded_comments",
		"on_trash": "complaint_handling.security.side_rows.keep_recorded_comments",
	},
	# a row of the app's child tables changes only through its record
	"*": {
		"validate": "complaint_handling.security.side_rows.rows_through_their_record",
		"on_trash": "complaint_handling.security.side_rows.rows_through_their_record",
	},
	"Complaint": {
		# email intake opens no new complaint for a reply that names an existing one
		"before_insert": "complaint_handling.intake.email_intake.refuse_reply_as_new",
		# a deleted draft escalated from a support ticket frees the ticket (channels/issue_escalation.py)
		"on_trash": "complaint_handling.channels.issue_escalation.unlink_source",
	},
}

# "Escalate to Formal Complaint" and the complaint's status on a support ticket's form; HD Ticket
# only matters where Helpdesk is installed (channels/issue_escalation.py)
doctype_js = {"Issue": "public/js/issue.js", "HD Ticket": "public/js/issue.js"}
# admins edit the app's letters in the Print Format form: without this, Frappe 15 could drop the
# edit of a print format opened before its DocType (public/js/print_format.js)
doctype_js["Print Format"] = "public/js/print_format.js"

# Complaint Assignment Rules pass over whoever cannot take the case, and a failed assignment never
# stops the save: the complaint stays unassigned and says why (intake/routing.py)
override_doctype_class = {"Assignment Rule": "complaint_handling.intake.routing.ComplaintAssignmentRule"}
# received mail keeps the sender's display name and the whole subject in any script (intake/email_intake.py)
override_doctype_class["Email Account"] = "complaint_handling.intake.email_intake.ComplaintEmailAccount"

# Permissions
# -----------
# investigators and panel members see only the cases they work on
permission_query_conditions = {
	"Complaint": "complaint_handling.security.access.complaint_query",
	"Communication": "complaint_handling.security.parties.communication_query",
	"Complaint Investigation": "complaint_handling.security.access.investigation_query",
	"Complaint Appeal": "complaint_handling.security.access.appeal_query",
}
# rows of those cases' child tables listed on their own (frappe.get_list with a parent DocType) show
# only for the cases the reader sees; test_hooks checks that every child table of a scoped case is here
permission_query_conditions.update(
	dict.fromkeys(
		(
			"Complaint Involved Person",
			"Complaint Loss Document",
			"Complaint Reply Round",
			"Complaint Deadline Extension",
			"Complaint SLA Pause",
			"Complaint Affected Batch",
			"Complaint Appeal Panel Member",
			"Complaint Appeal Conflict",
		),
		"complaint_handling.security.access.child_query",
	)
)
has_permission = {
	"Complaint": "complaint_handling.security.access.complaint_has_permission",
	"Communication": "complaint_handling.security.parties.communication_has_permission",
	"Complaint Investigation": "complaint_handling.security.access.investigation_has_permission",
	"Complaint Appeal": "complaint_handling.security.access.appeal_has_permission",
	# a new File attached to a record, or naming a private file, asks that record or file
	"File": "complaint_handling.security.side_rows.file_permission",
}

# malformed bodies and calls for the app's DocTypes and methods get a 417 that says what to fix
before_request = [
	"complaint_handling.security.boundary.check_request",
	# a letter's web view link opens that letter, not the case in any print format
	"complaint_handling.security.print_keys.letters_only_by_key",
]

# a form's timeline hides the emails of a case from readers who may not see its party
override_whitelisted_methods = {
	"frappe.desk.form.load.getdoc": "complaint_handling.security.timeline.getdoc",
	"frappe.desk.form.load.get_docinfo": "complaint_handling.security.timeline.get_docinfo",
	"frappe.desk.form.load.get_communications": "complaint_handling.security.timeline.get_communications",
	# saving answers with the timeline too
	"frappe.desk.form.save.savedocs": "complaint_handling.security.timeline.savedocs",
	"frappe.desk.form.save.cancel": "complaint_handling.security.timeline.cancel",
	# a linked complaint's title (its subject) only for who may read it
	"frappe.desk.search.get_link_title": "complaint_handling.security.timeline.get_link_title",
	# live updates push each new email of a case to everyone with its form open
	"frappe.realtime.can_subscribe_doc": "complaint_handling.security.timeline.can_subscribe_doc",
	# Frappe 15 counts without a permission check: an oracle on any field
	"frappe.client.get_count": "complaint_handling.security.access.get_count",
	# and the list sidebar's "Assigned To" counts select their records without any
	"frappe.desk.listview.get_group_by_count": "complaint_handling.security.access.get_group_by_count",
	# and moves any email to any record without asking either
	"frappe.email.relink": "complaint_handling.security.timeline.relink",
}

# print formats show a case's party only to readers who may see it
jinja = {"methods": ["complaint_handling.security.parties.complaint_party"]}

# Customer portal (channels/portal.py): website users of an ERPNext Customer (role Customer) follow
# their customer's complaints at /my-complaints; one page per complaint, and /my-complaints/new
portal_menu_items = [{"title": "My Complaints", "route": "/my-complaints", "role": "Customer"}]
website_route_rules = [
	{"from_route": "/my-complaints/new", "to_route": "my-complaints/new"},
	{"from_route": "/my-complaints/<name>", "to_route": "my-complaints/complaint"},
]

# the email composer takes the signature from the boot, not from Email Account the roles cannot read
boot_session = "complaint_handling.engine.messaging.boot_session"

# Scheduled Tasks
# ---------------
# Every ten minutes, off the hour: reminders, breaches, escalations, closure without feedback, and
# restatements of oral complaints left unconfirmed past their working days.
scheduler_events = {
	"cron": {
		"4-59/10 * * * *": [
			"complaint_handling.engine.reminders.send_due_alerts",
			"complaint_handling.intake.restatement.record_unanswered",
		],
		# the quarterly satisfaction survey, when switched on in Complaint Settings (channels/survey.py)
		"37 6 * * *": ["complaint_handling.channels.survey.send_quarterly_surveys"],
	},
}

# Deadline sources of the reminder engine (engine/reminders.py), one AlertSource class each: the
# engine knows none of them. Another app adds a kind of deadline by declaring its own here.
complaint_alert_sources = [
	"complaint_handling.service_levels.clocks.ComplaintAlerts",
	"complaint_handling.capa.deadlines.CapaAlerts",
	"complaint_handling.appeals.deadlines.AppealAlerts",
]
