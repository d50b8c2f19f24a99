"""Rows Frappe keeps beside a record, which would let a user who may not read or edit the record
read or change it through them.

Frappe's endpoints make these rows asking only the row's own DocType, which every desk user may
create: a tag (Tag Link, readable by everyone, keeps the tagged record's title), a follow
(Document Follow: the hourly digest then mails the record's changes, comments and attachment
links), a file (File: a row naming a private file's URL opens that file to its owner) and the
timeline's lines (Comment: Frappe lets their owner rewrite them). Each function here is a hook in
hooks.py and asks the record.
"""

import frappe
from frappe import _
from frappe.utils import cint

from complaint_handling.security.access import is_app_doctype


def untitled_tag(tag_link, method=None) -> None:
	"""Tag Link before_insert hook: every user reads Tag Link, title included, so a record of the
	app is tagged under its name; its title is a complaint's subject or a complainant's name."""
	if is_app_doctype(tag_link.document_type):
		tag_link.title = tag_link.document_name


def follower_may_read(follow, method=None) -> None:
	"""Document Follow validate hook: only a user who may read a record follows it (Frappe's
	``follow_document`` does not ask), since the digest mails them its changes. Raises
	``frappe.PermissionError``."""
	if not frappe.has_permission(follow.ref_doctype, "read", doc=follow.ref_docname, user=follow.user):
		frappe.throw(
			_("{0} may not read {1} {2}, so cannot follow it.").format(
				frappe.utils.get_fullname(follow.user), _(follow.ref_doctype), follow.ref_docname
			),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)


def file_permission(doc, ptype=None, user=None) -> bool | None:
	"""File has_permission hook, for a new File (``ptype`` create; asked before Frappe reads the
	content, and not for the app's own uploads, made with ``ignore_permissions``). Raises
	``frappe.PermissionError`` saying why when:

	- the file is attached to a record of the app the user may not edit (Frappe only asks for
	  write on the record in ``upload_file``, not when a File is inserted through the API);
	- it names a private file already on the site, without its content, that the user may not read
	  through any File row of it (the new row would open that file to them: the URL of a
	  complaint's attachment is all it takes), or that it would make public.

	Otherwise None: Frappe's own File permission decides."""
	user = user or frappe.session.user
	if ptype != "create" or not doc or isinstance(doc, str) or user == "Administrator" or doc.is_folder:
		return None
	attached_to = doc.attached_to_doctype
	if is_app_doctype(attached_to) and not frappe.has_permission(
		attached_to, "write", doc=doc.attached_to_name, user=user
	):
		frappe.throw(
			_("You may not attach files to {0} {1}.").format(_(attached_to), doc.attached_to_name),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	url = doc.file_url or ""
	if doc.get("content") or not url.startswith("/private/"):
		return None
	rows = frappe.get_all("File", filters={"file_url": url}, pluck="name")
	if rows and not any(frappe.has_permission("File", "read", doc=row, user=user) for row in rows):
		frappe.throw(
			_("You may not read the file {0}: upload it, or attach one you can open.").format(url),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	if not cint(doc.is_private):
		# Frappe would copy it to a public URL that anyone, logged in or not, opens
		frappe.throw(
			_("The file {0} is private: attach it as a private file.").format(url),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)
	return None


def keep_private(file, method=None) -> None:
	"""File before_validate hook, so before Frappe moves the file: a private file attached to a
	record of the app is not made public (Frappe would move it to a URL that anyone, logged in or
	not, opens). Raises ``frappe.PermissionError``."""
	if (
		not file.is_new()
		and file.has_value_changed("is_private")
		and not cint(file.is_private)
		and is_app_doctype(file.attached_to_doctype)
	):
		frappe.throw(
			_("Files of {0} {1} stay private.").format(_(file.attached_to_doctype), file.attached_to_name),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)


# the timeline lines a person writes, and may edit or delete as Frappe allows: a remark, a like
REMARKS = frozenset({"Comment", "Like"})


def keep_recorded_comments(comment, method=None) -> None:
	"""Comment validate and on_trash hook: on a record of the app, a timeline line Frappe or the
	app wrote (a workflow move, an assignment, an attachment, the app's Info lines such as the
	reason a recusal was lifted) is part of the record's trail. Frappe and the app write such lines
	themselves (``ignore_permissions``); through a user's request nobody makes one, changes one,
	turns one into a remark or deletes one (Frappe lets a line's owner rewrite it with
	``update_comment`` and a System Manager delete it). Only remarks (:data:`REMARKS`) are
	people's own. Raises ``frappe.PermissionError``."""
	before = None if comment.is_new() or method == "on_trash" else comment.get_doc_before_save()
	if not any(is_app_doctype(c.reference_doctype) for c in (comment, before) if c is not None):
		return
	if before is not None:  # an edit: of a remark that stays one
		allowed = before.comment_type in REMARKS and comment.comment_type in REMARKS
	else:  # a new line, or a deletion
		allowed = comment.comment_type in REMARKS or bool(comment.flags.ignore_permissions)
	if allowed:
		return
	frappe.throw(
		_("This {0} line of {1} {2} is part of its record: it cannot be changed or deleted.").format(
			_((before or comment).comment_type), _(comment.reference_doctype), comment.reference_name
		),
		frappe.PermissionError,
		title=_("Kept as Recorded"),
	)


def rows_through_their_record(row, method=None) -> None:
	"""validate and on_trash hook of every DocType (``*``), for the app's child tables: a row is
	changed only through its record, whose save checks what is stamped, kept and who may edit
	(``security.boundary``). Frappe saves and deletes a row on its own through ``/api/resource``
	and ``frappe.client.save``, past all of that: a quality manager rewrote another's effectiveness
	check, and deleted it. Frappe's and the app's own writes (``ignore_permissions``) pass. Raises
	``frappe.PermissionError``."""
	if not row.meta.istable or row.flags.ignore_permissions or not is_app_doctype(row.doctype):
		return
	frappe.throw(
		_("Change {0} in {1} {2} itself: its rows are not saved or deleted on their own.").format(
			_(row.doctype), _(row.parenttype or ""), row.parent or ""
		),
		frappe.PermissionError,
		title=_("Not Allowed"),
	)
