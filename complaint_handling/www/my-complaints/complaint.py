"""``/my-complaints/<name>`` (a ``website_route_rules`` entry in hooks.py): one complaint of the
user's customers in the customer portal, as its complainant sees it (``channels.status.public_view``)
plus its appeals and the form to appeal the decision while the window is open
(``channels.portal``). Any other name, existing or not, is the same 404."""

import frappe
from frappe import _

from complaint_handling.channels import portal

no_cache = 1
sitemap = 0


def get_context(context):
	name = frappe.form_dict.get("name")
	portal.require_login(f"/{portal.ROUTE}/{name if isinstance(name, str) else ''}")
	row = portal.find_complaint(name)
	if not row:
		raise frappe.PageDoesNotExistError
	context.view = portal.complaint_view(row)
	context.title = _("Complaint {0}").format(row.name)
	context.show_sidebar = True
	context.parents = [{"route": f"/{portal.ROUTE}", "title": _("My Complaints")}]
	context.filed = (
		frappe.form_dict.get("filed") if frappe.form_dict.get("filed") in ("complaint", "appeal") else None
	)
	context.limits = portal.APPEAL_LIMITS
	# sent back by the page's script, so that answers come in the page's language
	context.lang = frappe.local.lang
	context.strings = {
		"sending": _("Sending…"),
		"failed": _("Something went wrong. Please try again later."),
		"too_large": _("The files are too large to send."),
	}
	return context
