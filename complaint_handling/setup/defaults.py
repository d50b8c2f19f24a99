"""What a fresh site gets. The admin owns every record once it exists: nothing here overwrites."""

from complaint_handling.rules.complaint import Status

INTAKE = "Complaint Intake Officer"
HANDLER = "Complaint Handler"
QUALITY_MANAGER = "Complaint Quality Manager"
INVESTIGATOR = "Complaint Investigator"
APPEAL_PANEL = "Complaint Appeal Panel Member"
AUDITOR = "Complaint Auditor"
GENERAL_MANAGER = "Complaint General Manager"
ROLES = (INTAKE, HANDLER, QUALITY_MANAGER, INVESTIGATOR, APPEAL_PANEL, AUDITOR, GENERAL_MANAGER)
# the roles that record a complaint's involved persons pick employees (Select permission only)
# ERPNext DocTypes the complaint roles pick a record of without reading the records: Frappe's
# *Select* permission (the link field's search and its check). Involved persons are employees; a
# complaint, a review and the reports' filters name a company and a customer (ERPNext already lets
# every desk user select an Item).
_READERS_OF_FIGURES = (INTAKE, HANDLER, QUALITY_MANAGER, AUDITOR, GENERAL_MANAGER)
PICKERS = {
	"Employee": (INTAKE, HANDLER, QUALITY_MANAGER),
	"Company": _READERS_OF_FIGURES,
	"Customer": _READERS_OF_FIGURES,
}

WORKFLOW_NAME = "Complaint Workflow"
ACKNOWLEDGEMENT = "Complaint Acknowledgement"  # Email Template and Print Format
PROGRESS_REPORT = "Complaint Progress Report"  # Email Template and Print Format (intake/letters.py)
END_NOTICE = "Complaint End Notice"  # Email Template and Print Format, on closure (ISO/IEC 17025 §7.9.7)
REPLY_LETTER = "Complaint Reply"  # Email Template and Print Format: the formal reply of each round
RESTATEMENT = "Complaint Restatement"  # Email Template and Print Format: an oral complaint in writing
DEFAULT_NAMING_PATTERN = "TS-{severity}-{YY}-{###}"

# domain.md "Classification", GMP classes (seed 003)
SEVERITIES = [
	{
		"code": "I",
		"title": "Class I",
		"rank": 1,
		"description": "Can endanger life or seriously threaten health.",
	},
	{"code": "II", "title": "Class II", "rank": 2, "description": "Potential but not serious impact."},
	{"code": "III", "title": "Class III", "rank": 3, "description": "No health hazard."},
]

# domain.md "Who does what": routing by category
CATEGORIES = [
	{"category_name": "Product Quality", "default_severity": "II"},
	{"category_name": "Test Report", "default_severity": "II"},
	{"category_name": "Service Behaviour", "default_severity": "III"},
	{"category_name": "Delivery Delay", "default_severity": "III"},
	{"category_name": "Billing", "default_severity": "III"},
	{"category_name": "Spare Parts", "default_severity": "III"},
]

# Each workflow: (state, code-owned status it writes, roles that may edit in it, style) and
# (from state, action, to state, roles). Seeded once; the admin owns them afterwards. Whoever does
# the job in a state may edit in it (issue 12): a handler completes a registered complaint, a
# quality manager may always correct, a handler drafts the investigation they open.
WORKFLOW_STATES = [
	("Draft", Status.DRAFT, (INTAKE, QUALITY_MANAGER), ""),
	("Registered", Status.REGISTERED, (INTAKE, HANDLER, QUALITY_MANAGER), "Info"),
	("Acknowledged", Status.ACKNOWLEDGED, (HANDLER, QUALITY_MANAGER), "Info"),
	("Under Investigation", Status.UNDER_INVESTIGATION, (HANDLER, QUALITY_MANAGER), "Warning"),
	("Pending Approval", Status.PENDING_APPROVAL, (QUALITY_MANAGER,), "Warning"),
	("Responded", Status.RESPONDED, (HANDLER, QUALITY_MANAGER), "Primary"),
	("Closed", Status.CLOSED, (QUALITY_MANAGER,), "Success"),
	("Rejected", Status.REJECTED, (QUALITY_MANAGER,), "Danger"),
	("Reopened", Status.REOPENED, (HANDLER, QUALITY_MANAGER), "Warning"),
]

# (from state, action, to state, roles)
WORKFLOW_TRANSITIONS = [
	("Draft", "Register", "Registered", [INTAKE, QUALITY_MANAGER]),
	("Registered", "Acknowledge", "Acknowledged", [HANDLER, QUALITY_MANAGER]),
	("Acknowledged", "Start Investigation", "Under Investigation", [HANDLER, QUALITY_MANAGER]),
	("Reopened", "Start Investigation", "Under Investigation", [HANDLER, QUALITY_MANAGER]),
	("Under Investigation", "Submit for Approval", "Pending Approval", [HANDLER, QUALITY_MANAGER]),
	("Pending Approval", "Send Back", "Under Investigation", [QUALITY_MANAGER]),
	("Pending Approval", "Approve Response", "Responded", [QUALITY_MANAGER]),
	("Responded", "Close", "Closed", [QUALITY_MANAGER]),
	("Registered", "Reject", "Rejected", [QUALITY_MANAGER]),
	("Acknowledged", "Reject", "Rejected", [QUALITY_MANAGER]),
	("Under Investigation", "Reject", "Rejected", [QUALITY_MANAGER]),
	("Responded", "Reopen", "Reopened", [QUALITY_MANAGER]),
	("Closed", "Reopen", "Reopened", [QUALITY_MANAGER]),
	("Rejected", "Reopen", "Reopened", [QUALITY_MANAGER]),
]

ACKNOWLEDGEMENT_SUBJECT = "We have received your complaint {{ name }}"
ACKNOWLEDGEMENT_RESPONSE = """<p>Dear {{ complainant_name }},</p>
<p>Thank you for telling us about "{{ subject }}". We received your complaint on
{{ frappe.utils.format_datetime(received_on) }} and registered it under the reference
<strong>{{ name }}</strong>; please quote it whenever you write to us about this matter.</p>
<p>It has been passed to the department responsible. {% if respond_by %}We will give you a first
response by {{ frappe.utils.format_datetime(respond_by) }}, or tell you by then when you can expect
our answer.{% else %}We will give you a first response as soon as we can.{% endif %}</p>
<p>The attached acknowledgement sets out what we recorded. If anything in it is wrong or missing,
simply reply to this email.</p>
{% if tracking_link %}<p>You can follow your complaint, add information and answer our reply on
<a href="{{ tracking_link }}">your complaint's page</a>. Keep this link to yourself: anyone who has it
can see the complaint.</p>
{% endif %}<p>Nobody who is the subject of your complaint will investigate or decide it, and your details are
kept confidential.</p>"""

# domain.md "Deadlines": acknowledge in 24 h, first response in 48 h, resolve general complaints
# in 5 working days and major ones in 3; escalate assignee -> category manager -> quality
# manager -> general manager.
SLA_POLICY = {
	"policy_name": "Standard",
	"enabled": 1,
	"acknowledge_within": 24,
	"acknowledge_unit": "Hours",
	"acknowledge_remind_before": 4,
	"respond_within": 48,
	"respond_unit": "Hours",
	"respond_remind_before": 8,
	"resolve_within": 5,
	"resolve_unit": "Working Days",
	"resolve_within_major": 3,
	"resolve_remind_before": 1,
	"escalation_steps": [
		{"escalate_to": "Assignee", "after_hours": 0},
		{"escalate_to": "Category Manager", "after_hours": 4},
		{"escalate_to": "Role", "role": QUALITY_MANAGER, "after_hours": 8},
		{"escalate_to": "Role", "role": GENERAL_MANAGER, "after_hours": 16},
	],
}

WORKING_HOURS = [
	{"weekday": day, "start_time": "09:00:00", "end_time": "17:00:00"}
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
]

SLA_ALERT = "Complaint SLA Alert"
ON_CALL_ALERT = "Complaint On-Call Alert"
FEEDBACK_REMINDER = "Complaint Feedback Reminder"
APPEAL_ACCEPTED = "Complaint Appeal Accepted"
APPEAL_NOT_ACCEPTED = "Complaint Appeal Not Accepted"
APPEAL_DECIDED = "Complaint Appeal Decision"
APPEAL_NOTICE = "Complaint Appeal Notice"  # print format: acceptance or non-acceptance
APPEAL_DECISION_LETTER = "Complaint Appeal Decision Letter"  # print format
INVESTIGATION_REPORT = "Complaint Investigation Report"  # print format
CAPA_REPORT = "CAPA Report"  # print format
REVIEW_PACK = "Complaint Review Pack"  # print format: the management-review PDF (review/pack.py)
SATISFACTION_SURVEY = "Complaint Satisfaction Survey"  # Email Template (channels/survey.py)

EMAIL_TEMPLATES = {
	ACKNOWLEDGEMENT: (ACKNOWLEDGEMENT_SUBJECT, ACKNOWLEDGEMENT_RESPONSE),
	SLA_ALERT: (
		"{{ items | length }} deadline(s) need your attention",
		"""<p>Dear {{ recipient }},</p>
<p>These deadlines need your attention:</p>
<ul>
{% for item in items %}<li><a href="{{ item.url }}">{{ item.line }}</a>{% if item.subject %}: {{ item.subject }}{% endif %}</li>
{% endfor %}</ul>""",
	),
	ON_CALL_ALERT: (
		"Urgent complaint {{ name }} received out of hours",
		"""<p>Complaint <strong>{{ name }}</strong> ({{ subject }}) was received on
{{ frappe.utils.format_datetime(received_on) }}, outside working hours, and is urgent.</p>
<p>Please judge what must be done now; the form will be completed on the next working day.</p>""",
	),
	APPEAL_ACCEPTED: (
		"Your appeal {{ name }} has been accepted",
		"""<p>Dear {{ appellant_name }},</p>
<p>We have accepted your appeal {{ name }} for review by a panel of people who took no part in
the original decision. You will have its decision by {{ frappe.utils.format_datetime(decision_due) }}.
Our written notice is attached.</p>""",
	),
	APPEAL_NOT_ACCEPTED: (
		"Your appeal {{ name }} cannot be accepted",
		"""<p>Dear {{ appellant_name }},</p>
<p>We cannot accept your appeal {{ name }}: {{ acceptance_reason }}</p>
<p>Our written notice, with the reasons, is attached.</p>""",
	),
	APPEAL_DECIDED: (
		"Decision on your appeal {{ name }}",
		"""<p>Dear {{ appellant_name }},</p>
<p>The appeal panel has decided your appeal {{ name }}: <strong>{{ outcome }}</strong>.</p>
<p>The decision letter with the panel's reasons is attached.</p>""",
	),
	PROGRESS_REPORT: (
		"Your complaint {{ name }}: progress report",
		"""<p>Dear {{ complainant_name }},</p>
<p>We are writing to tell you how the handling of your complaint "{{ subject }}" (reference
<strong>{{ name }}</strong>) is progressing. It currently stands at: {{ _(status) }}.</p>
<p>We are still working on it and will send you our written reply as soon as it is decided. The
attached progress report sets out where the case stands.</p>
<p>If you have anything to add, simply reply to this email and quote the reference {{ name }}.</p>""",
	),
	END_NOTICE: (
		"Your complaint {{ name }} is closed",
		"""<p>Dear {{ complainant_name }},</p>
<p>We have now closed the handling of your complaint "{{ subject }}" (reference
<strong>{{ name }}</strong>). The attached notice confirms the end of the complaint handling
process and summarises our reply.</p>
<p>Thank you for telling us about this matter. If you are not satisfied with how it was handled,
the notice explains how to ask for the decision to be reviewed.</p>""",
	),
	REPLY_LETTER: (
		"{% if reply_round > 1 %}Reply {{ reply_round }} to{% else %}Our reply to{% endif %} your complaint {{ name }}",
		"""<p>Dear {{ complainant_name }},</p>
<p>This is our {% if reply_round > 1 %}reply number {{ reply_round }}{% else %}written reply{% endif %}
to your complaint "{{ subject }}" (reference <strong>{{ name }}</strong>).</p>
<div>{{ resolution or "" }}</div>
<p>The attached letter sets out our reply. Please tell us whether it resolves the matter: reply to
this email quoting the reference {{ name }}.</p>""",
	),
	RESTATEMENT: (
		"Your complaint {{ name }}: please confirm what you told us",
		"""<p>Dear {{ complainant_name }},</p>
<p>Thank you for telling us about your complaint. This is how we understood it (reference
<strong>{{ name }}</strong>):</p>
<blockquote>{{ restatement }}</blockquote>
<p>Please confirm that this is right, or tell us what to correct,
{% if tracking_link %}on <a href="{{ tracking_link }}">your complaint's page</a> or {% endif %}by
replying to this email quoting the reference {{ name }}.</p>""",
	),
	FEEDBACK_REMINDER: (
		"Your complaint {{ name }}: did our reply resolve it?",
		"""<p>Dear {{ complainant_name }},</p>
<p>We replied to your complaint "{{ subject }}" (reference {{ name }}) on
{{ frappe.utils.format_datetime(responded_on) }} and have not heard from you since.</p>
<p>Please reply to this email to tell us whether the matter is resolved. If we do not hear from
you, we will consider it settled and close the complaint.</p>""",
	),
	SATISFACTION_SURVEY: (
		"How satisfied are you with how we handled your complaint {{ name }}?",
		"""<p>Dear {{ complainant_name }},</p>
<p>Between {{ from_date }} and {{ to_date }} we closed your complaint "{{ subject }}" (reference
<strong>{{ name }}</strong>{% if complaints | length > 1 %}, and {{ complaints | length - 1 }} more{% endif %}).
To improve how we handle complaints, we would like to know how satisfied you are with how we
handled it.</p>
<p><a href="{{ survey_link }}">Answer in one click</a> (the link is yours alone and works once).</p>
<p>Thank you.</p>""",
	),
}

INVESTIGATION_WORKFLOW = "Complaint Investigation Workflow"
INVESTIGATION_STATES = [
	("Draft", "Draft", (INVESTIGATOR, HANDLER, QUALITY_MANAGER), ""),
	("In Progress", "In Progress", (INVESTIGATOR, QUALITY_MANAGER), "Warning"),
	("Pending Approval", "Pending Approval", (QUALITY_MANAGER,), "Warning"),
	("Approved", "Approved", (QUALITY_MANAGER,), "Success"),
]
INVESTIGATION_TRANSITIONS = [
	("Draft", "Start Investigation", "In Progress", [INVESTIGATOR, QUALITY_MANAGER]),
	("In Progress", "Submit for Approval", "Pending Approval", [INVESTIGATOR, QUALITY_MANAGER]),
	("Pending Approval", "Send Back", "In Progress", [QUALITY_MANAGER]),
	("Pending Approval", "Approve", "Approved", [QUALITY_MANAGER]),
]

CAPA_WORKFLOW = "CAPA Workflow"
CAPA_STATES = [
	("Draft", "Draft", (QUALITY_MANAGER, HANDLER), ""),
	("Open", "Open", (HANDLER, QUALITY_MANAGER), "Warning"),
	("Pending Verification", "Pending Verification", (QUALITY_MANAGER,), "Info"),
	("Closed", "Closed", (QUALITY_MANAGER,), "Success"),
	("Cancelled", "Cancelled", (QUALITY_MANAGER,), "Danger"),
]
CAPA_TRANSITIONS = [
	("Draft", "Start", "Open", [QUALITY_MANAGER]),
	("Open", "Submit for Verification", "Pending Verification", [HANDLER, QUALITY_MANAGER]),
	("Pending Verification", "Reopen", "Open", [QUALITY_MANAGER]),
	("Pending Verification", "Close", "Closed", [QUALITY_MANAGER]),
	("Draft", "Cancel", "Cancelled", [QUALITY_MANAGER]),
	("Open", "Cancel", "Cancelled", [QUALITY_MANAGER]),
]

APPEAL_WORKFLOW = "Complaint Appeal Workflow"
APPEAL_STATES = [
	("Draft", "Draft", (INTAKE, QUALITY_MANAGER), ""),
	("Received", "Received", (QUALITY_MANAGER,), "Info"),
	("Accepted", "Accepted", (APPEAL_PANEL, QUALITY_MANAGER), "Warning"),
	("Not Accepted", "Not Accepted", (QUALITY_MANAGER,), "Danger"),
	("Decided", "Decided", (QUALITY_MANAGER,), "Primary"),
	("Closed", "Closed", (QUALITY_MANAGER,), "Success"),
]
APPEAL_TRANSITIONS = [
	("Draft", "Register", "Received", [INTAKE, QUALITY_MANAGER]),
	("Received", "Accept", "Accepted", [QUALITY_MANAGER]),
	("Received", "Do Not Accept", "Not Accepted", [QUALITY_MANAGER]),
	("Accepted", "Record Decision", "Decided", [APPEAL_PANEL, QUALITY_MANAGER]),
	("Decided", "Close", "Closed", [QUALITY_MANAGER]),
]

WORKFLOWS = {
	"Complaint": (WORKFLOW_NAME, WORKFLOW_STATES, WORKFLOW_TRANSITIONS),
	"Complaint Investigation": (INVESTIGATION_WORKFLOW, INVESTIGATION_STATES, INVESTIGATION_TRANSITIONS),
	"CAPA": (CAPA_WORKFLOW, CAPA_STATES, CAPA_TRANSITIONS),
	"Complaint Appeal": (APPEAL_WORKFLOW, APPEAL_STATES, APPEAL_TRANSITIONS),
}

# Support tickets that escalate to a formal complaint (issue 13, channels/issue_escalation.py): the
# DocType, the app that brings it (checked at run time: Helpdesk is optional) and where the
# read-only link back to the complaint goes on its form. The Custom Field is seeded once per
# DocType whose app is installed and removed on uninstall.
ESCALATION_LINK_FIELD = "complaint"
ESCALATION_SOURCES = {
	"Issue": ("erpnext", "issue_type"),
	"HD Ticket": ("helpdesk", "ticket_type"),
}


def escalation_link_field(insert_after: str) -> dict:
	"""The Custom Field on a support ticket that names the complaint it was escalated to."""
	return {
		"fieldname": ESCALATION_LINK_FIELD,
		"label": "Complaint",
		"fieldtype": "Link",
		"options": "Complaint",
		"insert_after": insert_after,
		"read_only": 1,
		"no_copy": 1,
		"search_index": 1,
	}


# The Print Formats the app seeds, with the DocType each prints; the Jinja of each is in
# setup/print_formats/<name>.html. Once seeded they are the admin's, edited in the desk like any
# other print format, and never overwritten.
PRINT_FORMATS = {
	ACKNOWLEDGEMENT: "Complaint",
	RESTATEMENT: "Complaint",
	PROGRESS_REPORT: "Complaint",
	REPLY_LETTER: "Complaint",
	END_NOTICE: "Complaint",
	APPEAL_NOTICE: "Complaint Appeal",
	APPEAL_DECISION_LETTER: "Complaint Appeal",
	INVESTIGATION_REPORT: "Complaint Investigation",
	CAPA_REPORT: "CAPA",
	REVIEW_PACK: "Complaint Review",
}

# the letters among them: emailed to the complainant or appellant, so the only print formats of
# their record that the letter's "View this in your browser" link opens (security/print_keys.py)
LETTERS = (
	ACKNOWLEDGEMENT,
	RESTATEMENT,
	PROGRESS_REPORT,
	REPLY_LETTER,
	END_NOTICE,
	APPEAL_NOTICE,
	APPEAL_DECISION_LETTER,
)

# Frappe Notifications (desk notification, and the email Frappe sends for it) the app seeds: a
# major complaint goes to the general managers at once (domain "Classification": major ones go to
# the general manager and are handled first), when it is registered or becomes major later
MAJOR_COMPLAINT_NOTICE = {
	"document_type": "Complaint",
	"channel": "System Notification",
	"event": "Value Change",
	"module": "Complaint Handling",
	"subject": '{{ _("Major complaint {0}: {1}").format(doc.name, doc.subject) }}',
	"message": '<p>{{ _("Major complaints go to the general manager and are handled first.") }}</p>',
	"recipients": [{"receiver_by_role": GENERAL_MANAGER}],
}
NOTIFICATIONS = {
	"Major Complaint Registered": {
		**MAJOR_COMPLAINT_NOTICE,
		"value_changed": "status",
		"condition": f"doc.is_major and doc.status == {Status.REGISTERED!r}",
	},
	"Complaint Became Major": {
		**MAJOR_COMPLAINT_NOTICE,
		"value_changed": "is_major",
		"condition": f"doc.is_major and doc.status != {Status.DRAFT!r}",
	},
}
