"""``/my-complaints``: the customer portal's list of the complaints of the user's customers
(``channels.portal``), with their public status; Guest goes to the login page first."""

from frappe import _

from complaint_handling.channels import portal

no_cache = 1
sitemap = 0


def get_context(context):
	portal.require_login("/my-complaints")
	customers = portal.portal_customers()
	context.title = _("My Complaints")
	context.show_sidebar = True
	context.linked = bool(customers)
	context.several_customers = len(customers) > 1
	context.customers = [portal.customer_name(customer) for customer in customers]
	context.complaints = portal.complaints(customers)
	context.limit = portal.LIST_LIMIT
	return context
