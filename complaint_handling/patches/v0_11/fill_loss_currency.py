import frappe


def execute():
	"""Complaints saved before 0.11 get their *Currency* (the company's default currency, as the
	field's ``fetch_from`` would set it) without a save: a closed complaint would otherwise show the
	fetched currency as a change the next time it is saved."""
	frappe.db.sql(
		"""update `tabComplaint` c join `tabCompany` co on co.name = c.company
		set c.currency = co.default_currency
		where ifnull(c.currency, '') = ''"""
	)
