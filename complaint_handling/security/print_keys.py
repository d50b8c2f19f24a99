"""The "View this in your browser" link of a letter opens that letter, not the case.

Frappe adds the link to an email sent with a print format when System Settings' *Include Web View
Link in Email* is on. Its key (a Document Share Key of the record) opens the record to whoever
holds the link, in whatever print format the URL names (``frappe.www.printview``): changing
``format`` to Standard showed a complainant their case as staff see it, with the draft resolution
before approval, who decided its validity and the people involved; naming the reply letter showed
the draft reply before it was approved. For the app's DocTypes a key opens only the letters that
were emailed for its record. Frappe deletes sent emails after its retention period (Log
Settings), and the letters' links stop opening then; the PDF in the email stays.
"""

import json
from urllib.parse import unquote

import frappe
from frappe import _

from complaint_handling.security.access import is_app_doctype
from complaint_handling.setup import defaults


def letters_only_by_key() -> None:
	"""before_request hook: a request that opens a record of the app with its share key (``key``:
	the print view, ``/<DocType>/<name>``, the PDF download, the desk's print preview) names, as
	its print format, one of the letters that were emailed for that record (:func:`letters_sent`),
	unless the user may read or print the record without the key. Raises
	``frappe.PermissionError`` (403) otherwise."""
	form = frappe.form_dict
	if not form.get("key"):
		return
	for doctype, name in targets(form, frappe.local.request.path):
		if not is_app_doctype(doctype) or not isinstance(name, str) or not frappe.db.exists(doctype, name):
			continue
		if any(frappe.has_permission(doctype, ptype, doc=name) for ptype in ("read", "print")):
			continue
		sent = letters_sent(doctype, name)
		# the print view reads ``format`` and, when it is empty, falls back to the default or
		# Standard; the desk's preview reads ``print_format``: each must be a letter sent
		chosen = {str(form.get("format") or frappe.get_meta(doctype).default_print_format or "Standard")}
		if form.get("print_format"):
			chosen.add(str(form.get("print_format")))
		if not chosen <= sent:
			frappe.throw(
				_("This link opens only the letters sent to you: {0}.").format(
					", ".join(_(letter) for letter in sorted(sent)) or _("none")
				),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)


def targets(form, path: str) -> list[tuple]:
	"""The ``(doctype, name)`` a print request may open: the one its arguments name (``doctype`` or
	``doc``, and ``name``) and the one a ``/<DocType>/<name>`` path names, which Frappe's page
	takes over the arguments, both with the spaces MariaDB would ignore in a name stripped."""
	found = [(form.get("doctype") or form.get("doc"), form.get("name"))]
	# read as Frappe's router reads it: slashes and spaces around it and a trailing ".html" go
	path = unquote(path).strip("/ ").removesuffix(".html")
	parts = path.split("/", 1)
	if len(parts) == 2:
		found.append(tuple(parts))
	return [tuple(v.strip() if isinstance(v, str) else v for v in pair) for pair in found]


def letters_sent(doctype: str, name: str) -> set[str]:
	"""The app's letters (``defaults.LETTERS`` and the acknowledgement's attachment chosen in
	Complaint Settings) that went out by email for record ``name`` of ``doctype``, as its queued
	emails' print-format attachments name them. A letter not sent, say the reply before it is
	approved, is not among them."""
	letters = {
		*defaults.LETTERS,
		frappe.db.get_single_value("Complaint Settings", "acknowledgement_print_format"),
	}
	sent = set()
	for attachments in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": doctype, "reference_name": name},
		pluck="attachments",
	):
		for attachment in json.loads(attachments or "[]"):
			if isinstance(attachment, dict) and attachment.get("print_format") in letters:
				sent.add(attachment["print_format"])
	return sent
