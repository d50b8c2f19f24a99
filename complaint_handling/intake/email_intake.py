"""Complaints by email: replies thread onto the complaint they name, new complaints read the
message, and the complainant's name survives in any script.

Frappe receives mail in ``frappe.email.receive.InboundMail``: it links a message to a record by its
In-Reply-To header, by ``#NAME`` in the subject, or by the record's sender and subject columns;
failing that it creates a draft Complaint (``_create_reference_document``) and then inserts the
Communication with ``flags.in_receive``. Here the sender column of a Complaint is always empty (the
complainant lives in *Complainant*, see ``security/parties.py``), so a reply whose mail client
dropped In-Reply-To ("Re: We have received your complaint TS-III-26-001") would open a new draft.
In the order Frappe runs them:

- ``ComplaintEmailAccount`` (``override_doctype_class``): mails for Complaint keep the sender's
  display name and the whole subject, decoded with the standard library. Frappe keeps only Latin
  letters of a name (``EMAIL_NAME_PATTERN``: 李雷 becomes the address) and only the first encoded
  part of a subject.
- :func:`refuse_reply_as_new` (Complaint ``before_insert``): the draft Frappe is about to create for
  a mail whose subject names an existing complaint is refused with ``DuplicateEntryError``, which
  Frappe catches there: no number is drawn, no draft or complainant is created.
- :func:`receive_email` (Communication ``before_insert``): that mail is linked to the complaint it
  names; a new draft gets its description from the message (HTML as text, quoted history cut);
  a reply from the complainant to a Responded complaint without feedback is its customer feedback.
"""

import re

import frappe
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString
from frappe import _
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.utils import strip_html

from complaint_handling.rules.complaint import Status
from complaint_handling.rules.mail_text import (
	as_html,
	candidate_numbers,
	clean_subject,
	decode_header_text,
	display_name,
	is_forward,
	strip_history,
	tidy,
)
from complaint_handling.rules.public_channel import takes_feedback
from complaint_handling.security import parties

DOCTYPE = "Complaint"

# ------------------------------------------------------------------ subjects


def named_complaint(subject: str | None) -> str | None:
	"""The existing complaint whose number the subject names (the first one, in reading order)."""
	words = candidate_numbers(subject)
	if not words:
		return None
	found = {name.lower(): name for name in frappe.get_all(DOCTYPE, {"name": ("in", words)}, pluck="name")}
	return next((found[word.lower()] for word in words if word.lower() in found), None)


# ------------------------------------------------------------------ the message text

BLOCK_TAGS = ("div", "li", "tr", "pre", "hr", "dt", "dd", "section", "article", "header", "footer")
PARAGRAPH_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "address")
LINE, PARAGRAPH, BREAK = "\x00", "\x01", "\x02"
MARKER_RUN = re.compile(r"[\x00\x01\x02 ]*[\x00\x01\x02][\x00\x01\x02 ]*")


def html_to_text(html: str | None) -> str:
	"""The text of an HTML message as a reader sees it: paragraphs and line breaks kept, quoted
	blocks (``<blockquote>``: the history of a reply), scripts and styles left out."""
	if not (html or "").strip():
		return ""
	soup = BeautifulSoup(html, "html.parser")
	for tag in soup(["script", "style", "head", "title", "blockquote"]):
		tag.decompose()
	for node in soup.find_all(string=lambda text: isinstance(text, Comment | Doctype | Declaration)):
		node.extract()  # Outlook's conditional comments are markup, not words
	for node in soup.find_all(string=True):
		if not node.find_parent("pre"):
			node.replace_with(NavigableString(re.sub(r"[ \t\r\n\f]+", " ", str(node))))
	for tag in soup.find_all("br"):
		# a browser ignores a line break that ends a block with text in it
		last = all(isinstance(node, NavigableString) and not node.strip() for node in tag.next_siblings)
		has_text = last and tag.parent and tag.parent.get_text().replace(BREAK, "").strip()
		tag.replace_with("" if has_text else BREAK)
	for tag in soup.find_all(BLOCK_TAGS + PARAGRAPH_TAGS):
		marker = PARAGRAPH if tag.name in PARAGRAPH_TAGS else LINE
		tag.insert_before(marker)
		tag.insert_after(marker)
	return tidy(MARKER_RUN.sub(_line_breaks, soup.get_text()))


def _line_breaks(match: re.Match) -> str:
	run = match.group()
	if PARAGRAPH in run:
		return "\n\n"
	breaks = run.count(BREAK) + (1 if LINE in run else 0)
	return "\n" * min(2, max(1, breaks))


def body_text(communication) -> str:
	"""The text of a received email as received: its plain text part, or else its HTML as text."""
	return tidy(communication.text_content or "") or html_to_text(communication.content)


# ------------------------------------------------------------------ headers


class ComplaintEmailAccount(EmailAccount):
	"""Email Account as Frappe has it, but mails for Complaint keep the sender's display name and
	their whole subject (hooks.py ``override_doctype_class``)."""

	def get_inbound_mails(self):
		mails = super().get_inbound_mails()
		for mail in mails:
			if (mail.append_to if self.use_imap else self.append_to) == DOCTYPE:
				read_headers(mail)
		return mails


def read_headers(mail) -> None:
	"""Set ``from_real_name`` and ``subject`` of a Frappe ``InboundMail`` from its raw headers (they
	become the complainant's name, the Communication's sender name and the complaint's subject)."""
	name = display_name(mail.mail.get("X-Original-From") or mail.mail.get("From"))
	if name:
		mail.from_real_name = name
	subject = decode_header_text(mail.mail.get("Subject"))
	if subject:
		mail.subject = subject[:140]


# ------------------------------------------------------------------ hooks


def refuse_reply_as_new(doc, method=None) -> None:
	"""Complaint before_insert: the draft Frappe's email intake creates for a mail it could not
	link (ignore_mandatory, as the system, sender set, no description) is refused when the subject
	names an existing complaint. Frappe catches the ``DuplicateEntryError``; :func:`receive_email`
	then links the mail to that complaint."""
	sender = doc.get(doc.meta.sender_field) if doc.meta.sender_field else None
	if not (doc.flags.ignore_mandatory and doc.flags.ignore_permissions and sender) or doc.description:
		return
	target = named_complaint(doc.subject)
	if not target:
		return
	replies = frappe.flags.complaint_email_replies or {}
	replies[(sender.strip().lower(), doc.subject)] = target
	frappe.flags.complaint_email_replies = replies
	raise frappe.DuplicateEntryError(DOCTYPE, target)


def receive_email(communication, method=None) -> None:
	"""Communication before_insert, for mail being received (``flags.in_receive``)."""
	if not communication.flags.in_receive:
		return
	if not communication.reference_name:
		link_named_reply(communication)
	elif communication.reference_doctype == DOCTYPE and (draft := new_email_draft(communication)):
		describe(draft, communication)
	if communication.reference_doctype == DOCTYPE and communication.reference_name:
		record_feedback(communication)


def link_named_reply(communication) -> None:
	"""Link the mail to the complaint its subject names, if :func:`refuse_reply_as_new` refused a
	new draft for it."""
	replies = frappe.flags.complaint_email_replies or {}
	target = replies.pop(((communication.sender or "").strip().lower(), communication.subject), None)
	if target:
		communication.reference_doctype, communication.reference_name = DOCTYPE, target


def new_email_draft(communication):
	"""The complaint Frappe has just created for this mail: a draft without a description (which
	the desk requires) that no email is linked to yet; None for any other."""
	row = frappe.db.get_value(DOCTYPE, communication.reference_name, ["status", "description"], as_dict=True)
	if not row or row.status != Status.DRAFT or strip_html(row.description or "").strip():
		return None
	if frappe.db.exists(
		"Communication", {"reference_doctype": DOCTYPE, "reference_name": communication.reference_name}
	):
		return None
	return frappe.get_doc(DOCTYPE, communication.reference_name)


def describe(draft, communication) -> None:
	"""Fill a new draft from its email: the description from the message text (a forwarded
	message is kept whole), the subject without reply or forward prefixes. The email itself, as
	received, stays in the timeline."""
	text = body_text(communication)
	if not is_forward(communication.subject):
		text = strip_history(text) or text  # a mail that is all history keeps it
	subject = clean_subject(draft.subject) or draft.subject
	if not text and subject == draft.subject:
		return
	if text:
		draft.description = as_html(text)
	draft.subject = subject
	draft.flags.ignore_mandatory = True  # the officer completes the draft before registering it
	frappe.db.savepoint("email_intake_draft")
	try:
		draft.save(ignore_permissions=True)
	except Exception:
		# the officer fills the draft in by hand; the email itself must not be lost
		frappe.db.rollback(save_point="email_intake_draft")
		frappe.log_error(title=_("Complaint draft from email could not be filled"), reference_doctype=DOCTYPE)


def record_feedback(communication) -> None:
	"""A reply from the complainant to a Responded complaint that has no feedback yet is the
	customer's feedback on the reply (it stops the closure-without-feedback clock). A failure is
	logged and never costs the email."""
	state = frappe.db.get_value(
		DOCTYPE, communication.reference_name, ["status", "customer_feedback"], as_dict=True
	)
	if not state or not takes_feedback(state.status, state.customer_feedback):
		return
	complaint = frappe.get_doc(DOCTYPE, communication.reference_name)
	complainant = (parties.contact(complaint).email or "").strip().lower()
	if not complainant or complainant != (communication.sender or "").strip().lower():
		return
	text = strip_history(body_text(communication))
	if text:
		save_feedback(complaint, text)


def save_feedback(complaint, text: str) -> bool:
	"""Save ``text`` as the customer feedback of ``complaint`` (email intake, the public status
	page). Returns whether it was saved; a failure is logged, rolled back to before the attempt,
	and never costs the message it came with."""
	frappe.db.savepoint("complaint_feedback")
	try:
		complaint.customer_feedback = text
		complaint.save(ignore_permissions=True)
	except Exception:
		frappe.db.rollback(save_point="complaint_feedback")
		frappe.log_error(
			title=_("Customer feedback was not recorded"),
			reference_doctype=DOCTYPE,
			reference_name=complaint.name,
		)
		return False
	frappe.db.release_savepoint("complaint_feedback")
	return True
