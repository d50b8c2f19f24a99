"""What an appeal's decisions send and do: the written notice and decision letter to the
appellant, and the outcome carried onto the original complaint (reopened through its workflow
when the decision falls)."""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.core.doctype.communication.email import make as make_communication

from complaint_handling.engine.messaging import can_email, render_template
from complaint_handling.engine.workflow import transition_to
from complaint_handling.rules.appeals import REOPENING_OUTCOMES, AppealStatus
from complaint_handling.rules.complaint import Status
from complaint_handling.security import parties
from complaint_handling.setup import defaults

LETTERS = {
	AppealStatus.ACCEPTED: ("appeal_acceptance_template", defaults.APPEAL_NOTICE),
	AppealStatus.NOT_ACCEPTED: ("appeal_rejection_template", defaults.APPEAL_NOTICE),
	AppealStatus.DECIDED: ("appeal_decision_template", defaults.APPEAL_DECISION_LETTER),
}


def send_letter(appeal) -> None:
	"""The written notice or decision letter, through the email queue, with its print format."""
	template_field, print_format = LETTERS[appeal.status]
	email = parties.contact(appeal).email
	if not email or not can_email(_("the letter"), appeal.doctype):
		frappe.msgprint(
			_("The letter was not emailed: print it ({0}) and send it by post.").format(_(print_format)),
			indicator="orange",
		)
		return
	subject, message = render_template(
		frappe.get_cached_doc("Complaint Settings").get(template_field), parties.letter_context(appeal)
	)
	make_communication(
		doctype=appeal.doctype,
		name=appeal.name,
		subject=subject or _("Your appeal {0}: {1}").format(appeal.name, _(appeal.status)),
		content=message or _("Please find our letter about your appeal {0} attached.").format(appeal.name),
		recipients=[email],
		send_email=True,
		print_format=print_format,
	)


@contextmanager
def acting_for_the_panel():
	"""The panel's decision, not its members' desk roles, authorises reopening the complaint."""
	user = frappe.session.user
	frappe.set_user("Administrator")
	try:
		yield
	finally:
		frappe.set_user(user)


def apply_outcome(appeal) -> None:
	"""Show the outcome on the complaint; reopen it through its workflow if the decision falls."""
	if not appeal.complaint:
		return
	complaint = frappe.get_doc("Complaint", appeal.complaint)
	reasons = frappe.utils.strip_html_tags(appeal.decision_reasons or "")
	if appeal.outcome in REOPENING_OUTCOMES:
		with acting_for_the_panel():
			complaint = transition_to(complaint, Status.REOPENED)
	complaint.add_comment(
		"Info",
		_("Appeal {0} decided by {1}: {2}. {3}").format(
			appeal.name, frappe.utils.get_fullname(appeal.decided_by), _(appeal.outcome), reasons
		),
	)
