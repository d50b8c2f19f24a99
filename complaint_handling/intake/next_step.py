"""What the person looking at a complaint can do next, or why they cannot (issue 12: workflow
actions "explained where they do not apply"). The form shows it as its intro line, so a missing
action reads as a reason (recusal, a missing field, someone else's turn), not as a fault.
The rules are those the save enforces (``rules.complaint``, ``intake.recusal``); this only says
them before the click.
"""

import frappe
from frappe import _

from complaint_handling.engine.workflow import action_towards
from complaint_handling.intake import recusal
from complaint_handling.rules.complaint import FINAL_STATUSES, Status, approval_conflict, missing_for_status
from complaint_handling.security.access import has_role
from complaint_handling.setup import defaults

# the status each open status waits to move to (whose requirements apply); the action is named
# as the admin's workflow names it
NEXT_STATUS = {
	Status.DRAFT: Status.REGISTERED,
	Status.UNDER_INVESTIGATION: Status.PENDING_APPROVAL,
	Status.REOPENED: Status.UNDER_INVESTIGATION,
}


def next_step(doc, user: str | None = None) -> tuple[str, str] | None:
	"""``(message, colour)`` for ``user`` (default: the session user) on complaint ``doc``, or None
	when there is nothing to say. Colours are Frappe's indicator names."""
	user = user or frappe.session.user
	involved = recusal.involved_users(doc)
	if user in involved:
		return (
			_(
				"You are recorded as involved in this complaint ({0}): you may read it, but not move it, decide it or be assigned it."
			).format(_(involved[user])),
			"red",
		)
	if doc.status in FINAL_STATUSES:
		return _("This complaint is {0} and kept as it is: a quality manager can reopen it.").format(
			_(doc.status)
		), "blue"
	quality_manager = has_role(defaults.QUALITY_MANAGER, user)
	if quality_manager and any(row.status == "Requested" for row in doc.deadline_extensions):
		return _(
			"A deadline extension waits for a quality manager's decision: see Extensions at the top."
		), "orange"
	if doc.status == Status.PENDING_APPROVAL:
		if not quality_manager:
			return _("Waiting for a quality manager to approve the response."), "blue"
		if approval_conflict(user, recusal.handlers(doc.doctype, doc.name), involved) == "handler":
			return _(
				"You handled this complaint, so another quality manager must approve its response."
			), "orange"
		return _("Check the decision and the resolution, then Approve Response or Send Back."), "blue"
	target = NEXT_STATUS.get(doc.status)
	# only an action of the reader's: an investigator is not told what the handler must fill in
	action = target and action_towards(doc, target, frappe.get_roles(user))
	if action:
		missing = missing_for_status(target, doc.as_dict())
		if missing:
			labels = ", ".join(_(doc.meta.get_label(f)) for f in dict.fromkeys(missing))
			return _("Before {0}, fill in: {1}.").format(_(action), labels), "orange"
	return None
