"""The periodic satisfaction survey of complainants (issue 14, part 7; domain.md "Records and
analysis": satisfaction surveys at least four times a year).

A *Complaint Satisfaction Survey* names a company and a period. *Send Survey* (a quality manager,
:func:`send_survey`) emails every complainant of the company's complaints closed in the period,
once per email address, from the Email Template *Complaint Satisfaction Survey* (seeded once, the
admin's to edit) through Frappe's email queue. Each email carries a private one-time link,
``/complaint-survey#t=<token>``: 256 random bits after ``#`` (never in a server log), of which only
the SHA-256 hash is kept, at a permission level no role reads, as for the tracking link
(``channels.tokens``). The page (``www/complaint-survey.html``, Guest, English and Chinese) asks
how satisfied they are and for a comment; the answer goes to the address's *Complaint Survey
Response* and the link stops working. An unknown, used or malformed token gets the status page's
404, word for word.

The responses hold no contact: the address is read from the *Complainant* at sending time and
kept only in the Email Queue (System Manager only), so roles that may not read complainants read
the survey's figures, never who answered what (``security.parties``).

With *Send the Satisfaction Survey Every Quarter* on in Complaint Settings (off by default), the
daily job :func:`send_quarterly_surveys` creates and sends, once, the survey of the quarter just
ended for each company with complaints closed in it.
"""

import secrets

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, get_url, getdate, now_datetime, today

from complaint_handling.channels.status import not_found
from complaint_handling.channels.web_intake import guest_text
from complaint_handling.engine.messaging import outgoing_account, render_template
from complaint_handling.engine.workflow import guard_ended_record
from complaint_handling.rules import public_channel
from complaint_handling.rules import satisfaction as rules
from complaint_handling.rules.complaint import Status
from complaint_handling.security.access import require_role
from complaint_handling.security.stamped import app_stamping
from complaint_handling.setup import defaults

SURVEY = "Complaint Satisfaction Survey"
RESPONSE = "Complaint Survey Response"
ROUTE = "complaint-survey"
DRAFT, SENT = "Draft", "Sent"
AWAITING, ANSWERED = "Awaiting Answer", "Answered"
HOUR = 60 * 60


def survey_limit() -> int:
	"""Survey page requests per IP address and hour (site config ``complaint_survey_ip_limit``)."""
	return cint(frappe.conf.get("complaint_survey_ip_limit")) or 60


# ------------------------------------------------------------------ the survey record


def validate(doc) -> None:
	"""Complaint Satisfaction Survey.validate: a real period; a sent survey is a record."""
	guard_ended_record(doc, (SENT,))
	if doc.from_date and doc.to_date and getdate(doc.from_date) > getdate(doc.to_date):
		frappe.throw(
			_("{0} must not be after {1}.").format(frappe.bold(_("From Date")), frappe.bold(_("To Date"))),
			title=_("Invalid Period"),
		)


def refuse_deleting_sent(doc) -> None:
	if doc.status == SENT:
		frappe.throw(
			_("Survey {0} was sent: it is a record and cannot be deleted.").format(doc.name),
			frappe.PermissionError,
			title=_("Not Allowed"),
		)


def closed_complaints(company: str, from_date, to_date) -> list:
	"""The complaints of ``company`` closed in the period, latest first, with their complainant."""
	return frappe.get_all(
		"Complaint",
		filters={
			"company": company,
			"status": Status.CLOSED,
			"closed_on": ("between", [str(getdate(from_date)), str(getdate(to_date))]),
		},
		fields=["name", "complainant", "closed_on"],
		order_by="closed_on desc, name desc",
	)


def invitations(complaints) -> tuple[dict[str, list[str]], int]:
	"""{email address (lower case): [its complaints, latest first]}, and how many complaints have
	no address."""
	by_address, without = {}, 0
	emails = dict(
		frappe.get_all(
			"Complainant",
			filters={"name": ("in", [c.complainant for c in complaints if c.complainant] or [""])},
			fields=["name", "email"],
			as_list=True,
		)
	)
	for complaint in complaints:
		address = (emails.get(complaint.complainant) or "").strip().lower()
		if address:
			by_address.setdefault(address, []).append(complaint.name)
		else:
			without += 1
	return by_address, without


@frappe.whitelist(methods=["POST"])
def send_survey(survey: str) -> dict:
	"""Quality manager: email the survey's complainants (one email per address) and mark it Sent.
	Returns ``{"invitations": n, "complaints": n, "without_address": n}``. Raises 403 for anyone
	else, 417 for a survey already sent or a site without an outgoing Email Account."""
	if not isinstance(survey, str) or not frappe.db.exists(SURVEY, survey):
		frappe.throw(_("Survey {0} does not exist.").format(str(survey)[:140]), frappe.DoesNotExistError)
	doc = frappe.get_doc(SURVEY, survey)
	doc.check_permission("write")
	require_role(defaults.QUALITY_MANAGER, _("Only a quality manager may send a satisfaction survey."))
	if doc.status == SENT:
		frappe.throw(_("Survey {0} has already been sent.").format(doc.name), title=_("Already Sent"))
	if not outgoing_account(RESPONSE):
		frappe.throw(
			_("No outgoing Email Account is set up, so the survey cannot be emailed."),
			title=_("No Outgoing Email"),
		)
	complaints = closed_complaints(doc.company, doc.from_date, doc.to_date)
	by_address, without = invitations(complaints)
	for address, names in by_address.items():
		invite(doc, address, names)
	with app_stamping(doc):
		doc.update(
			{
				"status": SENT,
				"sent_on": now_datetime(),
				"sent_by": frappe.session.user,
				"complaints_count": len(complaints),
				"invitations_count": len(by_address),
				"no_address_count": without,
			}
		)
		doc.save(ignore_permissions=True)
	return {"invitations": len(by_address), "complaints": len(complaints), "without_address": without}


def invite(survey, address: str, complaints: list[str]) -> None:
	"""One response awaiting an answer, and one email with its private link, to ``address``."""
	token = secrets.token_urlsafe(32)
	response = frappe.get_doc(
		{
			"doctype": RESPONSE,
			"survey": survey.name,
			"company": survey.company,
			"complaint": complaints[0],
			"other_complaints": ", ".join(complaints[1:]) or None,
			"status": AWAITING,
			"token_hash": public_channel.token_hash(token),
		}
	).insert(ignore_permissions=True)
	complaint = frappe.get_doc("Complaint", complaints[0])
	party = frappe.db.get_value("Complainant", complaint.complainant, "party_name") or ""
	context = {
		"complainant_name": party,
		"name": complaint.name,
		"subject": complaint.subject,
		"complaints": complaints,
		"company": survey.company,
		"from_date": frappe.utils.formatdate(survey.from_date),
		"to_date": frappe.utils.formatdate(survey.to_date),
		"survey_link": get_url(f"/{ROUTE}#t={token}"),
	}
	settings = frappe.get_cached_doc("Complaint Settings")
	subject, message = render_template(
		settings.get("survey_template") or defaults.SATISFACTION_SURVEY, context
	)
	frappe.sendmail(
		recipients=[address],
		subject=subject or _("How satisfied are you with how we handled your complaint?"),
		message=message
		or _("Please tell us how satisfied you are with how we handled your complaint {0}: {1}").format(
			complaint.name, context["survey_link"]
		),
		reference_doctype=RESPONSE,
		reference_name=response.name,
		delayed=True,
	)


# ------------------------------------------------------------------ the quarterly job


def send_quarterly_surveys() -> None:
	"""Daily job: with the quarterly survey switched on in Complaint Settings, create and send the
	survey of the quarter just ended for each company with complaints closed in it, once (a survey
	of that company and period, sent or not, means it is done). Errors are logged per company."""
	if not cint(frappe.get_cached_doc("Complaint Settings").get("send_quarterly_survey")):
		return
	now = getdate(today())
	first, last = rules.previous_quarter(now.year, now.month)
	from_date, to_date = "{:04d}-{:02d}-{:02d}".format(*first), "{:04d}-{:02d}-{:02d}".format(*last)
	companies = frappe.get_all(
		"Complaint",
		filters={"status": Status.CLOSED, "closed_on": ("between", [from_date, to_date])},
		pluck="company",
		distinct=True,
	)
	for company in filter(None, companies):
		if frappe.db.exists(SURVEY, {"company": company, "from_date": from_date, "to_date": to_date}):
			continue
		try:
			survey = frappe.get_doc(
				{"doctype": SURVEY, "company": company, "from_date": from_date, "to_date": to_date}
			).insert(ignore_permissions=True)
			send_survey(survey.name)
			frappe.db.commit()  # nosemgrep: a scheduled job commits per company
		except Exception:
			frappe.db.rollback()
			frappe.log_error(title=_("Quarterly satisfaction survey of {0} failed").format(company))


# ------------------------------------------------------------------ the complainant's page


def response_of(token) -> str:
	"""The response awaiting an answer for ``token``, or the status page's 404."""
	name = None
	if isinstance(token, str) and public_channel.well_formed_token(token.strip()):
		name = frappe.db.get_value(
			RESPONSE,
			{"token_hash": public_channel.token_hash(token.strip()), "status": AWAITING},
			"name",
		)
	if not name:
		not_found()
	return name


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=survey_limit, seconds=HOUR)
def survey_view(token: str | None = None) -> dict:
	"""Guest: what the survey page shows for the link's ``token``: the complaint's reference and
	subject, the choices. 404 as the status page for anything but an unanswered survey."""
	response = frappe.get_doc(RESPONSE, response_of(token))
	subject = frappe.db.get_value("Complaint", response.complaint, "subject")
	return {
		"reference": response.complaint,
		"subject": subject,
		"choices": [{"value": answer, "label": _(answer)} for answer in rules.ANSWERS],
	}


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@rate_limit(limit=survey_limit, seconds=HOUR)
def answer_survey(
	token: str | None = None, satisfaction: str | None = None, comment: str | None = None
) -> dict:
	"""Guest: record the answer (``satisfaction`` one of Satisfied, Partly Satisfied, Not
	Satisfied; ``comment`` plain text) and end the link. 404 as :func:`survey_view`; 417 for a
	missing answer or an oversized comment, and nothing is saved."""
	name = response_of(token)
	if not rules.is_answer(satisfaction):
		frappe.throw(
			_("Choose how satisfied you are: {0}.").format(", ".join(_(a) for a in rules.ANSWERS)),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	text = guest_text(comment, "comment")
	response = frappe.get_doc(RESPONSE, name)
	response.update(
		{
			"status": ANSWERED,
			"satisfaction": satisfaction,
			"comment": text or None,
			"answered_on": now_datetime(),
			"token_hash": None,  # the link works once
		}
	)
	response.save(ignore_permissions=True)
	update_counts(response.survey)
	return {"answered": True}


def update_counts(survey: str) -> None:
	"""The survey's answer counts, from its responses (derived figures: no version of their own)."""
	rows = dict(
		frappe.get_all(
			RESPONSE,
			filters={"survey": survey, "status": ANSWERED},
			fields=["satisfaction", "count(name) as n"],
			group_by="satisfaction",
			as_list=True,
		)
	)
	frappe.db.set_value(
		SURVEY,
		survey,
		{
			"responses_count": sum(rows.values()),
			"satisfied_count": rows.get(rules.SATISFIED, 0),
			"partly_satisfied_count": rows.get(rules.PARTLY, 0),
			"not_satisfied_count": rows.get(rules.NOT_SATISFIED, 0),
		},
		update_modified=False,
	)
