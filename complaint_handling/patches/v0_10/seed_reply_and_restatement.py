from complaint_handling.setup.install import seed_email_templates, seed_settings


def execute():
	"""Sites that had 0.9 get the Complaint Reply and Complaint Restatement templates, the reply
	letter switch (on) and the restatement confirmation period; seeding only inserts what is
	missing, the admin's edits stay."""
	seed_email_templates()
	seed_settings()
