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

	closure = answers("Complaint", "satisfaction_recorded_on", start, end, company)
	survey = answers("Complaint Survey Response", "answered_on", start, end, company)

	return {
		"company": company,
		"from_date": str(getdate(from_date)),
		"to_date": str(getdate(to_date)),
		**rules.summarise(closure, survey),
	}


def answers(doctype: str, answered_on: str, start, end, company: str | None) -> dict[str, int]:
	"""One query: the satisfaction answers of ``doctype`` rows whose ``answered_on`` field falls from
	``start`` to ``end`` (datetimes, system time zone), per answer, for ``company`` (None: all)."""
	table = frappe.qb.DocType(doctype)
	query = (
		frappe.qb.from_(table)
		.select(table.satisfaction, Count("*"))
		.where(table[answered_on][start:end])
		.where(table.satisfaction.isin(rules.ANSWERS))
		.groupby(table.satisfaction)
	)
	if company:
		query = query.where(table.company == company)
	return dict(query.run())
