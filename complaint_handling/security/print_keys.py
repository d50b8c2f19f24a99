"""The "View this in your browser" link of a letter opens that letter, not the case.

Frappe adds the link to an email sent with a print format when System Settings' *Include Web View
Link in Email* is on. Its key (a Document Share Key of the record) opens the record to whoever
holds the link, in whatever print format the URL names (``frappe.www.printview``): changing
``format`` to Standard showed a complainant their case as staff see it, with the draft resolution
before approval, who decided its validity and the people involved. For the app's DocTypes a key
opens only the letters the app sends of that DocType.
"""

from urllib.parse import unquote

import frappe
from frappe import _

from complaint_handling.security.access import is_app_doctype
from complaint_handling.setup import defaults


def letters_only_by_key() -> None:
	"""before_request hook: a request that opens a record of the app with its share key (``key``:
	the print view, ``/<DocType>/<name>``, the PDF download, the desk's print preview) names one of
	:func:`letters` of that DocType as its print format, unless the user may read or print the
	record without the key. Raises ``frappe.PermissionError`` (403) otherwise."""
	form = frappe.form_dict
	if not form.get("key"):
		return
	doctype, name = target(form, frappe.local.request.path)
	if not is_app_doctype(doctype) or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		return
	if any(frappe.has_permission(doctype, ptype, doc=name) for ptype in ("read", "print")):
		return
	chosen = form.get("format") or form.get("print_format") or frappe.get_meta(doctype).default_print_format
	if chosen not in letters(doctype):
		frappe.throw(
			_("This link opens only the letter it came with: {0}.").format(
				", ".join(_(letter) for letter in sorted(letters(doctype)))
			),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def target(form, path: str) -> tuple:
	"""``(doctype, name)`` a print request names: by its arguments (``doctype`` or ``doc``, and
	``name``), or by a ``/<DocType>/<name>`` path."""
	doctype = form.get("doctype") or form.get("doc")
	if doctype:
		return doctype, form.get("name")
	parts = unquote(path).strip("/").split("/", 1)
	return (parts[0], parts[1]) if len(parts) == 2 else (None, None)


def letters(doctype: str) -> set[str]:
	"""The print formats of ``doctype`` the app emails to a complainant or appellant: the seeded
	letters, and the acknowledgement's attachment the admin chose in Complaint Settings."""
	chosen = {frappe.db.get_single_value("Complaint Settings", "acknowledgement_print_format")}
	return {
		letter
		for letter in {*defaults.LETTERS, *chosen}
		if letter and frappe.db.get_value("Print Format", letter, "doc_type", cache=True) == doctype
	}
