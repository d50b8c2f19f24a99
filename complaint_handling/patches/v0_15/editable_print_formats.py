import frappe

from complaint_handling.setup import defaults
from complaint_handling.setup.install import print_format, seed_print_formats


def execute():
	"""Sites from 0.14: the app's print formats were Standard, kept in the app's files, and Frappe
	refused to save them in the desk. Each becomes the admin's (not Standard), with the Jinja it
	printed until now."""
	for name, doctype in defaults.PRINT_FORMATS.items():
		if frappe.db.get_value("Print Format", name, "standard") == "Yes":
			values = print_format(name, doctype)
			frappe.db.set_value("Print Format", name, {"standard": "No", "html": values["html"]})
	seed_print_formats()
