"""What a case's timeline shows to a reader who may not see its party.

Frappe builds a form's timeline (docinfo) from rows it reads without asking the case: emails
(Communication) carry the party's address and words, so a reader who may not see the party
(investigator, panel member, auditor; the handler on an appeal) gets the timeline without them.
Versions, comments, assignments and attachments stay: the party's details are not in them,
because the case's own contact columns are always empty (see ``security.parties``).

These wrap Frappe's whitelisted loaders, and the save and cancel calls that answer with the
timeline, through ``override_whitelisted_methods`` in hooks.py.
"""

import frappe
from frappe import _
from frappe.core.doctype.comment.comment import get_comments_from_parent, update_comments_in_parent
from frappe.desk.form import load
from frappe.model.document import Document

from complaint_handling.security.access import is_app_doctype
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
	strip_link_titles()


def strip_link_titles() -> None:
	"""A form shows linked records by their title (a complaint's subject) from ``_link_titles`` in
	the response, read without asking whether the reader may see that record: a CAPA action owner
	would read the subjects of the complaints behind it. Titles of the app's records the reader
	may not read are left out (the form shows the name)."""
	titles = frappe.local.response.get("_link_titles")
	for key in list(titles or ()):
		doctype, _sep, name = key.partition("::")
		if not may_read_title(doctype, name):
			del titles[key]


def may_read_title(doctype: str, name: str) -> bool:
	if not is_app_doctype(doctype):
		return True
	return bool(frappe.has_permission(doctype, "read", doc=name))


def keep_out_of_comments(communication, method=None) -> None:
	"""Communication on_update hook: Frappe copies the start of every email and its sender into
	the ``_comments`` column of the record it is about, for the list view's comment count, and
	``frappe.get_list`` hands that column to anyone who may list the record (no field permission
	applies to it): an auditor would read "Dear <complainant>…" of every case. An email of a case or
	party is left out of that column; it stays in the timeline for readers who may see the party."""
	if communication.reference_doctype not in (*CASES, *PARTY_DOCTYPES) or not communication.reference_name:
		return
	comments = get_comments_from_parent(communication)
	kept = [comment for comment in comments if comment.get("name") != communication.name]
	if len(kept) < len(comments):
		update_comments_in_parent(communication.reference_doctype, communication.reference_name, kept)


@frappe.whitelist()
def get_link_title(doctype, docname):
	"""``frappe.desk.search.get_link_title`` (no permission check in Frappe 15): for the app's
	records, the title only to who may read the record, else the name."""
	from frappe.desk.search import get_link_title as frappe_get_link_title

	require_doctype(doctype)
	if not (isinstance(docname, str) and frappe.db.exists(doctype, docname)):
		return docname
	return frappe_get_link_title(doctype, docname) if may_read_title(doctype, docname) else docname


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


@frappe.whitelist()
def savedocs(doc, action):
	"""``frappe.desk.form.save.savedocs``: saving returns the form's timeline too (Frappe calls
	the loader directly, not through the whitelist), without the emails a reader may not see."""
	from frappe.desk.form import save

	save.savedocs(json_document(doc), require_choice(action, SAVE_ACTIONS, "action"))
	strip(frappe.response.get("docinfo"))


@frappe.whitelist()
def cancel(doctype=None, name=None, workflow_state_fieldname=None, workflow_state=None):
	"""``frappe.desk.form.save.cancel``, without the emails a reader may not see."""
	from frappe.desk.form import save

	require_doctype(doctype)
	if not isinstance(name, str) or not frappe.db.exists(doctype, name):
		frappe.throw(_("{0} {1} not found.").format(_(doctype), str(name)[:140]), frappe.DoesNotExistError)
	save.cancel(doctype, name, workflow_state_fieldname, workflow_state)
	strip(frappe.response.get("docinfo"))


SAVE_ACTIONS = ("Save", "Submit", "Update", "Cancel")


def json_document(doc) -> str:
	"""The form's document as JSON text, as Frappe's save expects; raises ``frappe.ValidationError``
	(417) for anything that is not a document of a DocType."""
	import json

	try:
		parsed = json.loads(doc) if isinstance(doc, str) else doc
	except ValueError:
		parsed = None
	if not isinstance(parsed, dict):
		frappe.throw(_("Send the document as a JSON object with its doctype."))
	require_doctype(parsed.get("doctype"))
	return json.dumps(parsed)


def require_choice(value, choices, name: str) -> str:
	if value not in choices:
		frappe.throw(_("{0} must be one of {1}.").format(name, ", ".join(choices)))
	return value


@frappe.whitelist(allow_guest=True)
def can_subscribe_doc(doctype: str, docname: str) -> bool:
	"""``frappe.realtime.can_subscribe_doc``, asked by the socket.io server before a form joins its
	document's room. Frappe pushes every new email of a case to everyone in that room
	(``docinfo_update``), so a reader who may not see the case's party does not join it: they see
	the form's other changes when they reload it. Raises ``frappe.PermissionError`` (403)."""
	from frappe import realtime

	realtime.can_subscribe_doc(doctype, docname)
	if hides_emails(doctype):
		raise frappe.PermissionError(_("Live updates of {0} are not sent to you.").format(_(doctype)))
	return True


@frappe.whitelist()
def relink(name, reference_doctype=None, reference_name=None):
	"""``frappe.email.relink`` (the timeline's *Relink* of an email), which Frappe 15 runs without
	any permission check: a panel member moved a complaint's reply letter onto an Event of their
	own and read it there, and a website user moved one complaint's reply onto another. The email
	``name`` moves to ``reference_doctype`` ``reference_name`` only for a user who may write the
	record it leaves (or read it, if it is linked to none) and the one it joins. Raises
	``frappe.PermissionError`` (403), or 404 for an email or DocType that does not exist."""
	if not isinstance(name, str) or not frappe.db.exists("Communication", name):
		frappe.throw(_("Email {0} does not exist.").format(str(name)[:140]), frappe.DoesNotExistError)
	leaves = frappe.db.get_value("Communication", name, ["reference_doctype", "reference_name"])
	if not all(leaves):
		frappe.has_permission("Communication", "read", doc=name, throw=True)
	for doctype, docname in (leaves, (reference_doctype, reference_name)):
		if doctype or docname:
			require_doctype(doctype)
			frappe.has_permission(doctype, "write", doc=docname, throw=True)
	from frappe.email import relink as frappe_relink

	return frappe_relink(name, reference_doctype, reference_name)


def keep_case_emails(communication, method=None) -> None:
	"""Communication on_trash hook: an email of a record of the app is part of its record (a letter
	sent, a complainant's answer). Frappe lets its sender delete it; only Frappe's and the app's
	own deletions (``ignore_permissions``) pass. Raises ``frappe.PermissionError``."""
	if communication.flags.ignore_permissions or not is_app_doctype(communication.reference_doctype):
		return
	frappe.throw(
		_("This email is part of the record of {0} {1}: it cannot be deleted.").format(
			_(communication.reference_doctype), communication.reference_name
		),
		frappe.PermissionError,
		title=_("Kept as Recorded"),
	)
