"""How the demo finds its own again.

Records it creates carry the tag *Complaint Demo* (visible and filterable in every list view), and
what it changes in the site's own configuration (the complaint working hours, the email queue's
sending switch) is noted in one default value, so that ``--remove`` undoes exactly that.
"""

import json

import frappe
from frappe.desk.doctype.tag.tag import DocTags

from complaint_handling.demo.data import TAG

# kept apart from the global defaults, which every desk session loads
STATE_PARENT = "__complaint_demo"
STATE_KEY = "changes"


def tag(doctype: str, name: str) -> None:
	"""Mark ``doctype`` ``name`` as the demo's."""
	DocTags(doctype).add(name, TAG)


def tagged(doctype: str) -> list[str]:
	"""Names of the ``doctype`` records the demo tagged, oldest first."""
	return [
		row.document_name
		for row in frappe.get_all(
			"Tag Link",
			filters={"tag": TAG, "document_type": doctype},
			fields=["document_name"],
			order_by="creation asc",
		)
	]


def changes() -> dict:
	"""What the demo changed in the site's configuration (see :func:`note`)."""
	# read from the table, not the defaults cache, which outlives a rolled-back transaction
	stored = frappe.db.get_value("DefaultValue", {"parent": STATE_PARENT, "defkey": STATE_KEY}, "defvalue")
	return json.loads(stored or "{}")


def note(**changed) -> None:
	"""Remember configuration the demo changed, e.g. ``note(working_hours=True)`` or
	``note(last_users={rule: user})``. What was noted first stays: a second run must not make the
	demo's own change look like the site's."""
	noted = changes()
	for key, value in changed.items():
		if isinstance(value, dict) and isinstance(noted.get(key), dict):
			noted[key] = {**value, **noted[key]}
		else:
			noted.setdefault(key, value)
	frappe.defaults.set_default(STATE_KEY, json.dumps(noted), STATE_PARENT)


def forget() -> None:
	frappe.defaults.clear_default(STATE_KEY, parent=STATE_PARENT)
