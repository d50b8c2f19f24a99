"""Move complainant and appellant contacts out of the case rows into Complainant and Appellant.

Each case gets its own party; the case's contact columns are emptied. Earlier versions of a case
recorded those contacts in its change history, where any reader of the case saw them: their
values are replaced by a pointer to the party, whose own history is readable only by the roles
that may see it.
"""

import json

import frappe

from complaint_handling.security.parties import CASES

MOVED = "(moved to the Complainant or Appellant record)"


def execute():
	for doctype, link in CASES.items():
		fields = list(link.fields)
		for row in frappe.get_all(doctype, fields=["name", link.link_field, *fields]):
			values = {link.fields[field]: row[field] for field in fields if row[field]}
			if not values:
				continue
			if not row[link.link_field]:
				party = frappe.get_doc({"doctype": link.doctype, **values})
				party.party_name = party.party_name or row.name
				party.insert(ignore_permissions=True)
				frappe.db.set_value(doctype, row.name, link.link_field, party.name, update_modified=False)
			frappe.db.set_value(doctype, row.name, dict.fromkeys(fields), update_modified=False)
		redact_versions(doctype, set(fields))


def redact_versions(doctype: str, fields: set[str]) -> None:
	for version in frappe.get_all("Version", filters={"ref_doctype": doctype}, fields=["name", "data"]):
		try:
			data = json.loads(version.data or "{}")
		except ValueError:
			continue
		changed = False
		for change in data.get("changed") or []:
			if change and change[0] in fields:
				change[1:] = [MOVED if value else value for value in change[1:]]
				changed = True
		if changed:
			frappe.db.set_value("Version", version.name, "data", json.dumps(data), update_modified=False)
