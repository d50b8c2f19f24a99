"""Letters to the complainant while and after a complaint is handled: the progress report a handler
sends from the form, the formal reply of each round (the first, second and third replies of
domain.md "Outcome and CAPA", seeds 003 and 004), and the formal end notice on closure (ISO/IEC
17025 §7.9.7). Like the
acknowledgement, each is an admin-editable Email Template with a print-format PDF, queued through
the email queue and kept in the complaint's timeline as a sent Communication.

Without an email address or an outgoing Email Account nothing is queued and nothing else is lost:
the user is told to write by post or call instead.
"""

import frappe
from frappe import _
from frappe.core.doctype.communication.email import make as make_communication
from frappe.utils import cint, now_datetime

from complaint_handling.engine.messaging import outgoing_account, render_template
from complaint_handling.rules.complaint import Status
from complaint_handling.security import parties
from complaint_handling.security.edit_rights import may_edit
from complaint_handling.service_levels.rounds import REPLIES
from complaint_handling.setup import defaults

# a progress report is news about a case still being handled: not a draft nor an ended one
OPEN_STATUSES = frozenset(
	{
		Status.REGISTERED,
		Status.ACKNOWLEDGED,
		Status.UNDER_INVESTIGATION,
		Status.PENDING_APPROVAL,
		Status.RESPONDED,
		Status.REOPENED,
	}
)


def may_write(doc, user: str | None = None) -> bool:
	"""Whether ``user`` (the session user) may write ``doc`` now: write permission on the record
	and one of the roles its workflow state lets edit (``security.edit_rights``)."""
	user = user or frappe.session.user
	return bool(frappe.has_permission(doc.doctype, "write", doc, user=user)) and may_edit(doc, user)


def may_send_progress_report(doc) -> bool:
	"""The form shows the button only when :func:`send_progress_report` would accept it."""
	return doc.status in OPEN_STATUSES and may_write(doc)


def require_progress_report(doc) -> None:
	"""Raise ``frappe.PermissionError`` unless the session user may write ``doc`` in its state, or
	``frappe.ValidationError`` if the complaint is not open."""
	if not may_write(doc):
		frappe.throw(
			_(
				"You may not write to complaint {0} in its current state, so you cannot send it a progress report."
			).format(doc.name),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	if doc.status not in OPEN_STATUSES:
		frappe.throw(
			_(
				"Complaint {0} is {1}: progress reports go out only while a complaint is being handled."
			).format(doc.name, _(doc.status)),
			title=_("Not Open"),
		)


def email_problem(doc) -> tuple[str | None, str | None]:
	"""(recipient, None) when a letter can be emailed, else (None, why not)."""
	email = parties.contact(doc).email
	if not email:
		return None, _("The complainant has no email address.")
	if not outgoing_account(doc.doctype):
		return None, _("No outgoing Email Account is set up.")
	return email, None


@frappe.whitelist()
def progress_report_draft(complaint: str) -> dict:
	"""The dialog's starting text: the Complaint Progress Report template rendered for
	``complaint``.

	Returns {"subject", "message", "problem"}; ``problem`` says why it cannot be emailed (then the
	dialog says so before anyone writes). Raises PermissionError / ValidationError as
	:func:`require_progress_report`."""
	doc = frappe.get_doc("Complaint", complaint)
	require_progress_report(doc)
	subject, message = render_template(defaults.PROGRESS_REPORT, parties.letter_context(doc))
	_email, problem = email_problem(doc)
	return {
		"subject": subject or _("Your complaint {0}: progress report").format(doc.name),
		"message": message or "",
		"problem": problem and problem + " " + _("Send the progress report by post or tell them by phone."),
	}


@frappe.whitelist(methods=["POST"])
def send_progress_report(complaint: str, message: str, subject: str | None = None) -> dict:
	"""Email the handler's progress report on ``complaint`` to the complainant with the Complaint
	Progress Report PDF, and count it on the current reply round.

	Returns {"sent": 1, "communication": name} or {"sent": 0} (no email address or outgoing
	account: the user is told to write or call instead, nothing is recorded). Raises
	PermissionError without write rights in the complaint's state, ValidationError for a complaint
	that is not open or an empty message."""
	doc = frappe.get_doc("Complaint", complaint)
	require_progress_report(doc)
	if not (message or "").strip():
		frappe.throw(_("Write the progress report before sending it."), title=_("Missing Value"))
	email, problem = email_problem(doc)
	if problem:
		frappe.msgprint(
			problem
			+ " "
			+ _("No progress report was sent: send it by post or tell the complainant by phone."),
			title=_("Progress Report Not Sent"),
			indicator="orange",
		)
		return {"sent": 0}
	communication = make_communication(
		doctype=doc.doctype,
		name=doc.name,
		subject=subject or _("Your complaint {0}: progress report").format(doc.name),
		content=message,
		sender=outgoing_account(doc.doctype).email_id or None,
		recipients=[email],
		send_email=True,
		print_format=defaults.PROGRESS_REPORT,
		email_template=defaults.PROGRESS_REPORT,
	)["name"]
	count_progress_report(doc)
	return {"sent": 1, "communication": communication}


def count_progress_report(doc) -> None:
	"""Add one to the current round's Progress Reports. Written directly (the complaint is not
	re-validated for a letter), and the complaint's ``modified`` moves on so a form still open
	with the old count reloads instead of saving it back."""
	if not doc.get("reply_rounds"):
		return  # every complaint has its rounds since v0.6; nothing to count on otherwise
	row = doc.reply_rounds[-1]
	row.db_set("progress_reports", cint(row.progress_reports) + 1, update_modified=False)
	frappe.db.set_value(
		doc.doctype,
		doc.name,
		{"modified": now_datetime(), "modified_by": frappe.session.user},
		update_modified=False,
	)


def send_reply(doc) -> None:
	"""Complaint.on_update: when the formal reply of a round has just been given (Responded or
	Rejected), email it to the complainant from the Complaint Reply template with its print format,
	numbered by the round (``reply_round``: 1, 2, 3 ...), and link the letter from the round's row.
	Complaint Settings can switch it off; see :func:`send_letter` for what happens without email."""
	if doc.status not in REPLIES or not doc.has_value_changed("status") or not doc.get("reply_rounds"):
		return
	if not cint(frappe.get_cached_doc("Complaint Settings").send_reply_letter):
		return
	row = doc.reply_rounds[-1]
	communication = send_letter(
		doc,
		defaults.REPLY_LETTER,
		{"reply_round": cint(row.round)},
		subject=_("Reply {0} to your complaint {1}").format(cint(row.round), doc.name),
		content=doc.resolution or doc.validity_reason or "",
		not_sent=(
			_("Reply Not Sent"),
			_("The formal reply was not emailed: send it to the complainant by post."),
		),
	)
	if communication:
		row.db_set("reply_letter", communication, update_modified=False)


def send_end_notice(doc) -> None:
	"""Complaint.on_update: when the complaint has just been closed, email the complainant the
	formal end notice (Complaint End Notice template and print format), unless Complaint Settings
	switches it off; see :func:`send_letter` for what happens without email."""
	if doc.status != Status.CLOSED or not doc.has_value_changed("status"):
		return
	if not cint(frappe.get_cached_doc("Complaint Settings").send_end_notice):
		return
	send_letter(
		doc,
		defaults.END_NOTICE,
		{},
		subject=_("Your complaint {0} is closed").format(doc.name),
		content=_(
			"The handling of your complaint {0} has ended. The attached notice sets out the outcome."
		).format(doc.name),
		not_sent=(_("End Notice Not Sent"), _("No end notice was sent: send it to the complainant by post.")),
	)


def send_letter(doc, template: str, context: dict, subject: str, content: str, not_sent: tuple[str, str]):
	"""Email the complainant of ``doc`` the letter ``template`` (the Email Template and the print
	format of that name) rendered with the case and ``context``, through the email queue, kept in
	the timeline. ``subject`` and ``content`` stand in for a template that is missing or broken
	(logged). Without an email address or outgoing account nothing is queued and the user is told
	(``not_sent``: title, what to do instead). Returns the Communication's name, or None."""
	email, problem = email_problem(doc)
	if problem:
		frappe.msgprint(problem + " " + not_sent[1], title=not_sent[0], indicator="orange")
		return None
	rendered_subject, message = render_template(template, {**parties.letter_context(doc), **context})
	return make_communication(
		doctype=doc.doctype,
		name=doc.name,
		subject=rendered_subject or subject,
		content=message or content,
		sender=outgoing_account(doc.doctype).email_id or None,
		recipients=[email],
		send_email=True,
		print_format=template,
		email_template=template,
	)["name"]
