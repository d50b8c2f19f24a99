import frappe


def execute():
	"""Sites from 0.14: tags of the app's records kept the record's title (a complaint's subject, a
	complainant's name) in Tag Link, which every user reads; they keep its name instead."""
	if doctypes := frappe.get_all("DocType", filters={"module": "Complaint Handling"}, pluck="name"):
		frappe.db.sql(
			"update `tabTag Link` set `title` = `document_name` where `document_type` in %(doctypes)s",
			{"doctypes": doctypes},
		)
