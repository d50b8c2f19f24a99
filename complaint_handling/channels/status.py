"""The complainant's status page without an account (``/complaint-status``,
``www/complaint-status.html``): ISO/IEC 17025 §7.9.5 wants progress reported to the complainant.

A complainant opens it with their private tracking link (``channels.tokens``) or with the
complaint's reference and their email address. Either way they see the public status
(``rules.public_channel.public_status``), the dates, and the letters between them and us (the
emails sent to their address and the messages they sent), add information or files, say whether
they accept the reply, and confirm or correct how we restated an oral complaint. Nothing internal
is read out: not the investigation, the involved persons, the comments, the classification or any
other party.

Every failure to find the complaint (an unknown token, an unknown reference, an address that is
not the complainant's) is the same 404 with the same words, and every method is rate limited per
IP, so references cannot be enumerated; wrong addresses are also counted per reference, so a known
reference's address cannot be guessed from many IP addresses.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, format_datetime, now_datetime, strip_html
from frappe.utils.html_utils import sanitize_html

from complaint_handling.channels import tokens
from complaint_handling.channels.web_intake import attach, guest_text, uploaded_files
from complaint_handling.intake import restatement
from complaint_handling.intake.email_intake import save_feedback
from complaint_handling.intake.satisfaction import record_from_complainant, wanted_from_complainant
from complaint_handling.rules import public_channel as rules
from complaint_handling.rules.appeals import AppealStatus
from complaint_handling.rules.mail_text import as_html
from complaint_handling.security import parties

DOCTYPE = "Complaint"
HOUR = 60 * 60
REFERENCE_FAILURES = "complaint_status_reference_failures:"
OPEN_APPEAL = (AppealStatus.RECEIVED, AppealStatus.ACCEPTED)
DATES = (
	("received_on", "Received On"),
	("acknowledged_on", "Acknowledged On"),
	("responded_on", "Answered On"),
	("closed_on", "Closed On"),
)


def lookup_limit() -> int:
	"""Status requests per IP address and hour (site config ``complaint_status_ip_limit``)."""
	return cint(frappe.conf.get("complaint_status_ip_limit")) or 60


def reference_limit() -> int:
	"""Wrong email addresses tried per reference and hour, from any number of IP addresses, before
	that reference stops answering lookups by email for the rest of the hour (site config
	``complaint_status_reference_limit``); the private link keeps working."""
	return cint(frappe.conf.get("complaint_status_reference_limit")) or 10


def not_found():
	"""The one answer for every complaint that is not found or not theirs."""
	frappe.throw(
		_("No complaint matches these details. Check the link, or the reference and your email address."),
		frappe.DoesNotExistError,
		title=_("Not Found"),
	)


def resolve(token: str | None, reference: str | None, email: str | None) -> str:
	"""The complaint the caller may see: the one of ``token``, or ``reference`` if ``email`` is its
	complainant's address. Raises ``frappe.DoesNotExistError`` (404), the same for every miss."""
	if isinstance(token, str) and token:
		name = tokens.complaint_of(token.strip())
	elif isinstance(reference, str) and isinstance(email, str) and reference.strip() and email.strip():
		name = by_reference(reference.strip(), email.strip().lower())
	else:
		name = None
	if not name:
		not_found()
	return name


def by_reference(reference: str, email: str) -> str | None:
	"""Complaint ``reference`` if ``email`` is its complainant's address, else None. Wrong addresses
	are counted per reference (:func:`reference_limit`), so guessing a known reference's address
	from many IP addresses runs out as well."""
	if len(reference) > 140 or len(email) > 140:
		return None
	failures = frappe.cache.make_key(REFERENCE_FAILURES + reference)
	if cint(frappe.cache.get(failures)) >= reference_limit():
		return None
	row = frappe.db.get_value(DOCTYPE, reference, ["name", "complainant"], as_dict=True)
	address = row and row.complainant and frappe.db.get_value("Complainant", row.complainant, "email")
	if address and address.strip().lower() == email:
		return row.name
	if row:
		if frappe.cache.incr(failures) == 1:
			frappe.cache.expire(failures, HOUR)
	return None


# ------------------------------------------------------------------ what they see


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=lookup_limit, seconds=HOUR)
def lookup(token: str | None = None, reference: str | None = None, email: str | None = None) -> dict:
	"""Guest: the public view of a complaint (see :func:`public_view`)."""
	return public_view(resolve(token, reference, email))


def public_view(name: str) -> dict:
	"""What the complainant sees of complaint ``name``: reference, subject, public status, dates,
	the letters, and whether their word on the reply is awaited. Nothing else."""
	doc = frappe.get_doc(DOCTYPE, name)
	status = rules.public_status(doc.status, appeal_open(name))
	return {
		"reference": doc.name,
		"subject": doc.subject,
		"status": status,
		"status_label": _(status),
		"dates": [
			{"label": _(label), "value": format_datetime(doc.get(field))}
			for field, label in DATES
			if doc.get(field)
		],
		"letters": letters(doc),
		"feedback_wanted": rules.takes_feedback(doc.status, doc.customer_feedback),
		# an oral complaint's restatement, while the complainant may still confirm or correct it
		"restatement": doc.restatement if restatement.may_answer(doc) else None,
		# how satisfied they are, asked once the reply is out (intake/satisfaction.py)
		"satisfaction_wanted": wanted_from_complainant(doc),
	}


def appeal_open(name: str) -> bool:
	return bool(frappe.db.exists("Complaint Appeal", {"complaint": name, "status": ("in", OPEN_APPEAL)}))


def letters(doc) -> list[dict]:
	"""The emails sent to the complainant's address and the messages from it, oldest first,
	with their content cleaned of scripts (Frappe's ``sanitize_html``)."""
	address = (parties.contact(doc).email or "").strip().lower()
	if not address:
		return []
	rows = frappe.get_all(
		"Communication",
		filters={
			"reference_doctype": DOCTYPE,
			"reference_name": doc.name,
			"communication_type": "Communication",
		},
		fields=["subject", "communication_date", "content", "sent_or_received", "sender", "recipients"],
		order_by="communication_date asc",
	)
	out = []
	for row in rows:
		to_them = row.sent_or_received == "Sent" and address in addresses(row.recipients)
		from_them = row.sent_or_received == "Received" and address in addresses(row.sender)
		if to_them or from_them:
			out.append(
				{
					"direction": _("To you") if to_them else _("From you"),
					"subject": strip_html(row.subject or ""),
					"date": format_datetime(row.communication_date),
					"content": sanitize_html(row.content or ""),
				}
			)
	return out


def addresses(text: str | None) -> set[str]:
	"""The addresses in a To or From header (``Name <a@b>, c@d``), lower case."""
	from email.utils import getaddresses

	return {address.strip().lower() for _name, address in getaddresses([text or ""]) if address}


# ------------------------------------------------------------------ what they do


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=lookup_limit, seconds=HOUR)
def add_information(
	information: str | None = None,
	token: str | None = None,
	reference: str | None = None,
	email: str | None = None,
) -> dict:
	"""Guest: add information (text, and files in the multipart body as ``files``) to the
	complaint, recorded in its timeline as a message received from the complainant. Returns the
	public view. Raises 404 as :func:`resolve`, 417 for empty, oversized or unaccepted input."""
	name = resolve(token, reference, email)
	text = guest_text(information, "information")
	files = uploaded_files()
	if not text and not files:
		frappe.throw(
			_("Write the information or attach a file."), frappe.MandatoryError, title=_("Missing Value")
		)
	attach(name, files)
	names = ", ".join(filename for filename, _content in files)
	body = text + ("\n\n" + _("Attached: {0}").format(names) if names else "")
	record_message(name, _("Information added by the complainant"), body.strip())
	return public_view(name)


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=lookup_limit, seconds=HOUR)
def give_feedback(
	accepts: str | None = None,
	comment: str | None = None,
	token: str | None = None,
	reference: str | None = None,
	email: str | None = None,
) -> dict:
	"""Guest: say whether the reply is accepted (``accepts`` "1" or "0"), with an optional
	comment. On a Responded complaint without feedback it becomes the customer feedback, which
	stops the closure-without-feedback clock, as a reply by email would
	(``intake.email_intake.save_feedback``); it is always recorded in the timeline. Returns the
	public view."""
	name = resolve(token, reference, email)
	if accepts not in ("0", "1"):
		frappe.throw(_("Say whether you accept the reply."), frappe.MandatoryError, title=_("Missing Value"))
	text = guest_text(comment, "comment")
	verdict = _("I accept the reply.") if accepts == "1" else _("I do not accept the reply.")
	feedback = f"{verdict} {text}".strip()
	doc = frappe.get_doc(DOCTYPE, name)
	if rules.takes_feedback(doc.status, doc.customer_feedback):
		save_feedback(doc, feedback)
	record_message(name, _("Feedback on the reply"), feedback)
	return public_view(name)


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=lookup_limit, seconds=HOUR)
def rate_satisfaction(
	satisfaction: str | None = None,
	comment: str | None = None,
	token: str | None = None,
	reference: str | None = None,
	email: str | None = None,
) -> dict:
	"""Guest: how satisfied the complainant is with the handling (``satisfaction`` Satisfied,
	Partly Satisfied or Not Satisfied, an optional ``comment``), once the reply is out (Responded
	or Closed) and while none is recorded: saved on the complaint
	(``intake.satisfaction.record_from_complainant``) and in its timeline. Returns the public view.
	Raises 404 as :func:`resolve`, 417 for a missing answer, an oversized comment or a complaint
	not awaiting one."""
	name = resolve(token, reference, email)
	text = guest_text(comment, "comment")
	record_from_complainant(name, satisfaction if isinstance(satisfaction, str) else "", text)
	record_message(name, _("Satisfaction with the handling"), f"{_(satisfaction)} {text}".strip())
	return public_view(name)


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=lookup_limit, seconds=HOUR)
def answer_restatement(
	confirms: str | None = None,
	correction: str | None = None,
	token: str | None = None,
	reference: str | None = None,
	email: str | None = None,
) -> dict:
	"""Guest: confirm the restatement of an oral complaint (``confirms`` "1") or correct it
	(``confirms`` "0" with the ``correction`` as plain text), recorded on the complaint
	(``intake.restatement.record_answer``) and in its timeline. Returns the public view. Raises
	404 as :func:`resolve`, 417 for a missing answer or correction, an oversized correction, or a
	complaint with no restatement awaiting an answer."""
	name = resolve(token, reference, email)
	if confirms not in ("0", "1"):
		frappe.throw(
			_("Say whether we understood your complaint correctly."),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	text = guest_text(correction, "correction", "comment") if confirms == "0" else ""
	if confirms == "0" and not text:
		frappe.throw(_("Write what we should correct."), frappe.MandatoryError, title=_("Missing Value"))
	restatement.record_answer(frappe.get_doc(DOCTYPE, name), text or None)
	if text:
		record_message(name, _("Correction of the restatement"), text)
	else:
		record_message(
			name, _("Restatement confirmed"), _("I confirm that you understood my complaint correctly.")
		)
	return public_view(name)


def record_message(name: str, subject: str, text: str) -> None:
	"""A message received from the complainant in the complaint's timeline (escaped text)."""
	doc = frappe.get_doc(DOCTYPE, name)
	party = parties.contact(doc)
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Other",
			"sent_or_received": "Received",
			"subject": f"{subject} ({name})",
			"content": as_html(text),
			"sender": party.email,
			"sender_full_name": party.party_name,
			"communication_date": now_datetime(),
			"reference_doctype": DOCTYPE,
			"reference_name": name,
			"status": "Open",
		}
	).insert(ignore_permissions=True)
