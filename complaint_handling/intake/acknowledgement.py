"""The acknowledgement of a registered complaint (ISO 10002, ISO/IEC 17025 §7.9.5): an email
from the admin's Email Template, with the acknowledgement print format, through the email queue."""

import frappe
from frappe import _
from frappe.core.doctype.communication.email import make as make_communication
from frappe.utils import now_datetime

from complaint_handling.channels import tokens
from complaint_handling.engine.messaging import outgoing_account
from complaint_handling.rules.complaint import Status
from complaint_handling.security import parties


def prepare(doc) -> None:
	"""On registration (Complaint.validate): render the acknowledgement now, so a broken template
	never blocks registration, and stamp ``acknowledged_on``. A complaint that did not come through
	the web form gets its private tracking link here, in the acknowledgement (``tracking_link``). Without an email address, an outgoing
	account or a usable template, the user is told to acknowledge by phone or letter instead."""
	if doc.status != Status.REGISTERED or not doc.has_value_changed("status") or doc.acknowledged_on:
		return
	settings = frappe.get_cached_doc("Complaint Settings")
	if not settings.send_acknowledgement:
		return

	account = outgoing_account(doc.doctype)
	problem = None
	email = parties.contact(doc).email
	if not email:
		problem = _("The complainant has no email address.")
	elif not account:
		problem = _("No outgoing Email Account is set up.")
	else:
		try:
			doc.flags.acknowledgement = frappe.get_doc(
				"Email Template", settings.acknowledgement_template
			).get_formatted_email({**parties.letter_context(doc), "tracking_link": tokens.letter_link(doc)})
		except Exception:
			frappe.log_error(
				title=_("Complaint acknowledgement template failed"), reference_doctype=doc.doctype
			)
			problem = _("Email Template {0} could not be rendered (see Error Log).").format(
				settings.acknowledgement_template
			)

	if problem:
		frappe.msgprint(
			problem
			+ " "
			+ _("No acknowledgement was sent: acknowledge by phone or letter and record Acknowledged On."),
			title=_("Acknowledgement Not Sent"),
			indicator="orange",
		)
		return
	doc.flags.acknowledgement_sender = account.email_id or None
	doc.flags.acknowledgement_recipient = email
	doc.acknowledged_on = now_datetime()


def send(doc) -> None:
	"""After the save (Complaint.on_update): queue the prepared acknowledgement through the
	email queue with its print format, recorded in the complaint's timeline."""
	if not doc.flags.acknowledgement:
		return
	settings = frappe.get_cached_doc("Complaint Settings")
	make_communication(
		doctype=doc.doctype,
		name=doc.name,
		subject=doc.flags.acknowledgement["subject"],
		content=doc.flags.acknowledgement["message"],
		sender=doc.flags.acknowledgement_sender,
		recipients=[doc.flags.acknowledgement_recipient],
		send_email=True,
		print_format=settings.acknowledgement_print_format,
		email_template=settings.acknowledgement_template,
	)
	doc.flags.acknowledgement = None
