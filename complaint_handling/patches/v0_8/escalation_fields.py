from complaint_handling.setup.install import seed_escalation_fields


def execute():
	"""Sites from 0.7: ERPNext's Issue (and Helpdesk's HD Ticket) get the read-only Complaint link
	that escalating a ticket to a formal complaint fills (issue 13)."""
	seed_escalation_fields()
