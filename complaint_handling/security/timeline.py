"""What a case's timeline shows to a reader who may not see its party.

Frappe builds a form's timeline (docinfo) from rows it reads without asking the case: emails
(Communication) carry the party's address and words, so a reader who may not see the party
(investigator, panel member, auditor; the handler on an appeal) gets the timeline without them.
Versions, comments, assignments and attachments stay: the party's details are not in them,
because the case's own contact columns are always empty (see ``security.parties``).

These wrap Frappe's whitelisted loaders through ``override_whitelisted_methods`` in hooks.py.
"""

import frappe
from frappe import _
from frappe.desk.form import load
from frappe.model.document import Document

from complaint_handling.security.parties import CASES, PARTY_DOCTYPES, may_read


def hides_emails(doctype: str) -> bool:
	return doctype in (*CASES, *PARTY_DOCTYPES) and not may_read(doctype)


def require_doctype(doctype) -> None:
	"""A name that is no DocType is the caller's mistake (404), not a failed import (500)."""
	if not (isinstance(doctype, str) and frappe.db.exists("DocType", doctype)):
		frappe.throw(
			_("{0} is not a DocType.").format(frappe.bold(str(doctype)[:140])), frappe.DoesNotExistError
		)


def strip(docinfo) -> None:
	if docinfo and hides_emails(docinfo.get("doctype")):
		docinfo["communications"] = []
		docinfo["automated_messages"] = []


@frappe.whitelist()
def getdoc(doctype, name, user=None):
	"""``frappe.desk.form.load.getdoc``, without the emails a reader may not see."""
	require_doctype(doctype)
	load.getdoc(doctype, name, user)
	strip(frappe.response.get("docinfo"))


@frappe.whitelist()
def get_docinfo(doc=None, doctype=None, name=None):
	"""``frappe.desk.form.load.get_docinfo``, without the emails a reader may not see."""
	if not isinstance(doc, Document):  # over HTTP only a doctype and name make sense
		doc = None
		require_doctype(doctype)
	load.get_docinfo(doc, doctype, name)
	strip(frappe.response.get("docinfo"))


@frappe.whitelist()
def get_communications(doctype, name, start=0, limit=20):
	"""``frappe.desk.form.load.get_communications``: none for a reader who may not see the party."""
	require_doctype(doctype)
	communications = load.get_communications(doctype, name, start, limit)
	return [] if hides_emails(doctype) else communications
