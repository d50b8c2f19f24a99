from complaint_handling.setup.install import seed_defaults


def execute():
	"""Sites that had 0.3 get the appeal workflow, letters and periods; seeding only inserts
	what is missing."""
	seed_defaults()
