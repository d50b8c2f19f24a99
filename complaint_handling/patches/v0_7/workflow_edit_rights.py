"""Seeded workflows as 0.6 left them give each state one editing role, so a handler could not
complete a registered complaint nor a quality manager correct one (issue 12). A workflow still
exactly as seeded gets the edit rights of today's seed; one the admin has changed is theirs and
is left alone (README, Known limitations)."""

import frappe

from complaint_handling.setup import defaults

INTAKE, HANDLER, QM = defaults.INTAKE, defaults.HANDLER, defaults.QUALITY_MANAGER
INVESTIGATOR, PANEL = defaults.INVESTIGATOR, defaults.APPEAL_PANEL
# (state, role that could edit in it) as 0.1 to 0.6 seeded them
SEEDED_IN_0_6 = {
	"Complaint": {
		("Draft", INTAKE),
		("Registered", INTAKE),
		("Acknowledged", HANDLER),
		("Under Investigation", HANDLER),
		("Pending Approval", QM),
		("Responded", HANDLER),
		("Closed", QM),
		("Rejected", QM),
		("Reopened", HANDLER),
	},
	"Complaint Investigation": {
		("Draft", INVESTIGATOR),
		("In Progress", INVESTIGATOR),
		("Pending Approval", QM),
		("Approved", QM),
	},
	"CAPA": {
		("Draft", QM),
		("Open", HANDLER),
		("Pending Verification", QM),
		("Closed", QM),
		("Cancelled", QM),
	},
	"Complaint Appeal": {
		("Draft", INTAKE),
		("Received", QM),
		("Accepted", PANEL),
		("Not Accepted", QM),
		("Decided", QM),
		("Closed", QM),
	},
}


def execute():
	for doctype, (name, states, _transitions) in defaults.WORKFLOWS.items():
		if not frappe.db.exists("Workflow", name):
			continue
		workflow = frappe.get_doc("Workflow", name)
		if workflow.document_type != doctype:
			continue
		current = {(row.state, row.allow_edit) for row in workflow.states}
		if current != SEEDED_IN_0_6[doctype]:
			continue
		status_of = {row.state: row.update_value for row in workflow.states}
		for state, _status, roles, _style in states:
			for role in roles:
				if (state, role) not in current:
					workflow.append(
						"states",
						{
							"state": state,
							"doc_status": "0",
							"update_field": "status",
							"update_value": status_of[state],
							"allow_edit": role,
						},
					)
		workflow.save(ignore_permissions=True)
