"""``/my-complaints/new``: a portal user files a complaint for one of their customers, the form
filled in from their contact and customer (``channels.portal.file_complaint``)."""

import frappe
from frappe import _

from complaint_handling.channels import portal
from complaint_handling.channels.web_intake import labels
from complaint_handling.rules import public_channel as rules

no_cache = 1
sitemap = 0


def get_context(context):
	portal.require_login(f"/{portal.ROUTE}/new")
	customers = portal.portal_customers()
	context.title = _("File a Complaint")
	context.show_sidebar = True
	context.parents = [{"route": f"/{portal.ROUTE}", "title": _("My Complaints")}]
	context.linked = bool(customers)
	context.prefill = portal.prefill(customers) if customers else {}
	context.labels = labels()
	context.limits = rules.FIELD_LIMITS
	context.max_files = rules.MAX_FILES
	context.max_file_mb = rules.MAX_FILE_BYTES // (1024 * 1024)
	context.accept = ",".join(f".{extension}" for extension in sorted(rules.FILE_SIGNATURES))
	context.today = frappe.utils.today()
	context.strings = {
		"sending": _("Sending…"),
		"failed": _("Your complaint could not be sent. Please try again later."),
		"too_large": _("The files are too large to send."),
	}
	return context
