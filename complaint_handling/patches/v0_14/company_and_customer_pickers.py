from complaint_handling.setup.install import seed_pickers


def execute():
	"""Sites from 0.13: a quality manager without an ERPNext role that reads Company could not choose
	another company on a review or a report's filter, nor an intake officer a customer; the
	complaint roles get Select permission on Company and Customer."""
	seed_pickers()
