from complaint_handling.setup.install import seed_notifications


def execute():
	"""Sites from 0.14: the general managers are told of each major complaint (domain
	"Classification"); until now only a number card counted them."""
	seed_notifications()
