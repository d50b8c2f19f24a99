from complaint_handling.setup.install import seed_defaults


def execute():
	"""Existing sites get the defaults a fresh install seeds (a fresh install marks patches done)."""
	seed_defaults()
