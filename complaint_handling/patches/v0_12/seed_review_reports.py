from complaint_handling.setup.install import seed_review_reports


def execute():
	"""Sites that had 0.11 get the monthly Auto Email Reports of the Complaint Register (and of
	Complaint Trends where it exists) to their quality managers, when they have one and an outgoing
	account; a report already scheduled by email is left as the admin set it."""
	seed_review_reports()
