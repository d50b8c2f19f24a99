import json

import frappe

from complaint_handling.security.parties import CASES, PARTY_DOCTYPES


def execute():
	"""Sites from 0.14: the emails of cases and parties that Frappe copied into their ``_comments``
	column (which every reader of the record lists) are taken out; comments stay."""
	for doctype in (*CASES, *PARTY_DOCTYPES):
		emails = set(frappe.get_all("Communication", filters={"reference_doctype": doctype}, pluck="name"))
		if not emails:
			continue
		for name, cached in frappe.get_all(
			doctype, filters={"_comments": ("is", "set")}, fields=["name", "_comments"], as_list=True
		):
			try:
				comments = json.loads(cached)
			except ValueError:
				continue
			kept = [comment for comment in comments if comment.get("name") not in emails]
			if len(kept) < len(comments):
				frappe.db.set_value(doctype, name, "_comments", json.dumps(kept), update_modified=False)
