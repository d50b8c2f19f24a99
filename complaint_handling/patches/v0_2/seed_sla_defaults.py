from complaint_handling.setup.install import seed_defaults


def execute():
	"""Sites that installed 0.1 get the SLA policy, working hours, templates and the new role's
	records; seeding only inserts what is missing, so nothing an admin edited changes."""
	seed_defaults()
