"""Oral complaints restated to the complainant (domain.md "Intake", seeds 001 and 003): the intake
officer reads the complaint back in their own words, records that restatement on the complaint,
and notes whether the complainant agreed on the spot. Otherwise, when the complainant has an email
address, the app sends the written restatement (Complaint Restatement template and print format,
with the private tracking link) and waits a configured number of working days for the answer.

The answer is on the record in ``restatement_status`` and its dates: confirmed orally, confirmed
in writing or corrected on the status page (``channels.status.answer_restatement``), or
"No Answer" once the working days have run out (:func:`record_unanswered`, every ten minutes).
"""

import frappe
from frappe import _
from frappe.core.doctype.communication.email import make as make_communication
from frappe.utils import cint, now_datetime
from frappe.utils.html_utils import sanitize_html

from complaint_handling.channels import tokens
from complaint_handling.engine.messaging import outgoing_account, render_template
from complaint_handling.intake.letters import email_problem
from complaint_handling.rules.complaint import RESTATEMENT_OPEN, Restatement, Status, restatement_missing
from complaint_handling.security import parties
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.setup import defaults


def prepare(doc) -> None:
	"""Complaint.validate. On registration, an oral complaint must carry its restatement
	(``frappe.MandatoryError``, 417, otherwise); it is then confirmed orally, or prepared to go out
	in writing after the save, or marked Not Sent with a message saying to confirm it by phone or
	post. Later, ticking "confirmed when read back" on an unconfirmed restatement records the
	oral confirmation (system time zone, naive)."""
	registering = doc.status == Status.REGISTERED and doc.has_value_changed("status")
	if registering and restatement_missing(doc.channel, doc.restatement):
		frappe.throw(
			_(
				"Complaint {0} was taken by {1}: before registering it, read it back to the complainant "
				"and record what you read in {2}."
			).format(doc.name, _(doc.channel), frappe.bold(_("Restatement Read Back"))),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	if not (doc.restatement or "").strip():
		return
	if doc.restatement_confirmed_orally and doc.restatement_status in ("", None, *RESTATEMENT_OPEN):
		doc.restatement_status = Restatement.CONFIRMED_ORALLY
		doc.restatement_confirmed_on = now_datetime()
		return
	if not registering or doc.restatement_status:
		return
	letter, problem = written_restatement(doc)
	if problem:
		doc.restatement_status = Restatement.NOT_SENT
		frappe.msgprint(
			problem
			+ " "
			+ _(
				"The restatement was not sent in writing: confirm it with the complainant by phone or post, "
				"then tick {0}."
			).format(frappe.bold(_("Complainant Confirmed It When Read Back"))),
			title=_("Restatement Not Sent"),
			indicator="orange",
		)
		return
	now = now_datetime()
	days = cint(frappe.get_cached_doc("Complaint Settings").restatement_confirmation_days)
	doc.restatement_status = Restatement.AWAITING
	doc.restatement_sent_on = now
	doc.restatement_confirm_by = get_calendar(doc.company).add_working_days(now, days)
	doc.flags.restatement_letter = letter


def written_restatement(doc) -> tuple[dict | None, str | None]:
	"""(the letter to send, None), or (None, why it cannot go out): no email address, no outgoing
	account, or a template that is missing or does not render (logged)."""
	email, problem = email_problem(doc)
	if problem:
		return None, problem
	subject, message = render_template(
		defaults.RESTATEMENT, {**parties.letter_context(doc), "tracking_link": tokens.letter_link(doc)}
	)
	if not message:
		return None, _("Email Template {0} is missing or could not be rendered (see Error Log).").format(
			defaults.RESTATEMENT
		)
	subject = subject or _("Your complaint {0}: please confirm what you told us").format(doc.name)
	return {
		"recipient": email,
		"sender": outgoing_account(doc.doctype).email_id or None,
		"subject": subject,
		"message": message,
	}, None


def send(doc) -> None:
	"""Complaint.on_update: queue the prepared written restatement, with its print format, through
	the email queue; kept in the complaint's timeline as a sent Communication."""
	letter = doc.flags.pop("restatement_letter", None)
	if not letter:
		return
	make_communication(
		doctype=doc.doctype,
		name=doc.name,
		subject=letter["subject"],
		content=letter["message"],
		sender=letter["sender"],
		recipients=[letter["recipient"]],
		send_email=True,
		print_format=defaults.RESTATEMENT,
		email_template=defaults.RESTATEMENT,
	)


def may_answer(doc) -> bool:
	"""Whether the complainant may still confirm or correct the restatement of ``doc``."""
	return bool((doc.restatement or "").strip()) and doc.restatement_status in RESTATEMENT_OPEN


def record_answer(doc, correction: str | None) -> None:
	"""The complainant's answer to the restatement of ``doc``: confirmed in writing, or corrected
	with ``correction`` (plain text). Written directly (``db_set``, no validation): the complaint's
	workflow state does not matter to a complainant's answer. The correction is sanitised as a save
	would sanitise it: the desk shows the field as HTML. Raises ``frappe.ValidationError`` when no
	restatement awaits an answer."""
	if not may_answer(doc):
		frappe.throw(
			_("Complaint {0} has no restatement waiting for your answer.").format(doc.name),
			title=_("Nothing to Confirm"),
		)
	doc.db_set(
		{
			"restatement_status": Restatement.CORRECTED if correction else Restatement.CONFIRMED_IN_WRITING,
			"restatement_confirmed_on": now_datetime(),
			"restatement_correction": sanitize_html(correction) if correction else None,
		},
		notify=True,
	)


def record_unanswered() -> None:
	"""Scheduler (every ten minutes): a written restatement whose working days have run out without
	an answer is recorded as "No Answer", once, with a line in the complaint's timeline. The
	complainant may still answer later."""
	for name in frappe.get_all(
		"Complaint",
		filters={"restatement_status": Restatement.AWAITING, "restatement_confirm_by": ("<", now_datetime())},
		pluck="name",
	):
		doc = frappe.get_doc("Complaint", name)
		doc.db_set("restatement_status", Restatement.NO_ANSWER, notify=True)
		doc.add_comment(
			"Info",
			_("The complainant did not confirm the written restatement by {0}.").format(
				frappe.utils.format_datetime(doc.restatement_confirm_by)
			),
		)
