from complaint_handling.setup.install import seed_defaults


def execute():
	"""Sites that had 0.2 get the investigation and CAPA workflows and their settings; seeding
	only inserts what is missing."""
	seed_defaults()
