from complaint_handling.setup.install import seed_pickers


def execute():
	"""Sites from 0.6: intake officers, handlers and quality managers could not search the Employee
	column of Involved Persons (issue 12); they get Select permission on Employee (and, as this
	app's pickers are now, on Company and Customer)."""
	seed_pickers()
