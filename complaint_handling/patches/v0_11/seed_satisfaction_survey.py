from complaint_handling.setup.install import seed_email_templates, seed_settings


def execute():
	"""Sites that had 0.10 get the Complaint Satisfaction Survey email template and the survey
	template setting; seeding only inserts what is missing, the admin's edits stay. The quarterly
	survey stays off until a quality manager switches it on."""
	seed_email_templates()
	seed_settings()
