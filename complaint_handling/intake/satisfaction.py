"""The complainant's satisfaction with how their complaint was handled (issue 14, part 7).

Recorded on the complaint at its closure: *Complainant Satisfaction* (Satisfied, Partly Satisfied,
Not Satisfied) and a comment, by whoever may edit the complaint in its state (handler or quality
manager in the desk, after a phone call) or by the complainant on the status page
(:func:`record_from_complainant`). The periodic survey (``channels.survey``) asks the same
question of every complainant whose complaint closed in a period. :func:`satisfaction_summary`
counts both for the Trends report and the management-review pack.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count
from frappe.utils import get_datetime, getdate, now_datetime

from complaint_handling.rules import satisfaction as rules
from complaint_handling.rules.complaint import Status
from complaint_handling.security.stamped import app_stamping

# a complaint takes the complainant's satisfaction once it has a formal reply
ANSWERED_STATUSES = (Status.RESPONDED, Status.CLOSED, Status.REJECTED)
# the complainant answers on the status page while the reply is out or after closure
COMPLAINANT_STATUSES = (Status.RESPONDED, Status.CLOSED)


def apply(doc) -> None:
	"""Complaint.validate: stamp when the satisfaction was recorded; refuse it before the formal
	reply (417); on reopening, keep the earlier answer in the timeline and ask again."""
	before = doc.get_doc_before_save()
	if before and doc.status == Status.REOPENED and before.status != Status.REOPENED:
		if before.satisfaction:
			doc.flags.satisfaction_comment = _("Satisfaction before reopening: {0}. {1}").format(
				_(before.satisfaction), before.satisfaction_comment or ""
			)
		doc.satisfaction = doc.satisfaction_comment = doc.satisfaction_recorded_on = None
		return
	if not doc.has_value_changed("satisfaction") and not doc.has_value_changed("satisfaction_comment"):
		return
	if doc.satisfaction and doc.status not in ANSWERED_STATUSES:
		frappe.throw(
			_(
				"{0} is recorded once the complainant has our formal reply (Responded, Closed or Rejected)."
			).format(frappe.bold(_("Complainant Satisfaction"))),
			title=_("Too Early"),
		)
	if doc.satisfaction_comment and not doc.satisfaction:
		frappe.throw(
			_("Choose the {0} the comment belongs to.").format(frappe.bold(_("Complainant Satisfaction"))),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	doc.satisfaction_recorded_on = now_datetime() if doc.satisfaction else None


def on_update(doc) -> None:
	if comment := doc.flags.pop("satisfaction_comment", None):
		doc.add_comment("Info", comment.strip())


def wanted_from_complainant(doc) -> bool:
	"""Whether the status page asks the complainant how satisfied they are."""
	return doc.status in COMPLAINANT_STATUSES and not doc.satisfaction


def record_from_complainant(name: str, answer: str, comment: str) -> None:
	"""The complainant's answer on the status page, saved through the complaint (version history)
	by the app: a Guest holds no permission on Complaint. Raises ``frappe.ValidationError`` (417)
	for an answer that is not one of the three, or when none is awaited."""
	if not rules.is_answer(answer):
		frappe.throw(
			_("Choose how satisfied you are: {0}.").format(", ".join(_(a) for a in rules.ANSWERS)),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	doc = frappe.get_doc("Complaint", name)
	if not wanted_from_complainant(doc):
		frappe.throw(
			_(
				"Your complaint does not take this answer now: it has one already, or our reply is not out yet."
			),
			title=_("Not Awaited"),
		)
	doc.satisfaction, doc.satisfaction_comment = answer, comment or None
	doc.flags.ignore_permissions = True
	with app_stamping(doc):
		doc.save()


# ------------------------------------------------------------------ results


def satisfaction_summary(company: str | None, from_date, to_date) -> dict:
	"""Satisfaction of complainants in a period, for the Trends report and the review pack.

	Counts the answers **given** between ``from_date`` and ``to_date`` (dates, both included) for
	complaints of ``company`` (None: every company):

	- ``closure``: the satisfaction recorded on complaints (``satisfaction_recorded_on`` in the
	  period: in the desk or by the complainant on the status page);
	- ``survey``: the answers to the periodic survey (*Complaint Survey Response* rows answered in
	  the period, of surveys of that company); one per complainant address and survey.

	Returns ``rules.satisfaction.summarise``'s dict: for ``closure``, ``survey`` and ``total``, the
	``counts`` per answer ("Satisfied", "Partly Satisfied", "Not Satisfied"), ``answered``,
	``satisfied_share`` and ``satisfied_or_partly_share`` (per cent, one decimal, None without
	answers); plus ``company``, ``from_date`` and ``to_date`` as given. No permission is checked
	and no contact is read: callers (reports) decide who may see the figures.
	"""
	start = get_datetime(getdate(from_date))
	end = get_datetime(f"{getdate(to_date)} 23:59:59.999999")

	complaint = frappe.qb.DocType("Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.satisfaction, Count("*"))
		.where(complaint.satisfaction_recorded_on[start:end])
		.where(complaint.satisfaction.isin(rules.ANSWERS))
		.groupby(complaint.satisfaction)
	)
	if company:
		query = query.where(complaint.company == company)
	closure = dict(query.run())

	response = frappe.qb.DocType("Complaint Survey Response")
	query = (
		frappe.qb.from_(response)
		.select(response.satisfaction, Count("*"))
		.where(response.answered_on[start:end])
		.where(response.satisfaction.isin(rules.ANSWERS))
		.groupby(response.satisfaction)
	)
	if company:
		query = query.where(response.company == company)
	survey = dict(query.run())

	return {
		"company": company,
		"from_date": str(getdate(from_date)),
		"to_date": str(getdate(to_date)),
		**rules.summarise(closure, survey),
	}
