"""``/my-complaints/new``: a portal user files a complaint for one of their customers, the form
filled in from their contact and customer (``channels.portal.file_complaint``)."""

from frappe import _

from complaint_handling.channels import portal
from complaint_handling.channels.web_intake import form_context

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
	form_context(context)
	context.strings = {
		"sending": _("Sending…"),
		"failed": _("Your complaint could not be sent. Please try again later."),
		"too_large": _("The files are too large to send."),
	}
	return context
