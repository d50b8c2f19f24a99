"""Rounds of handling: what a complaint's stamped dates and clocks mean across reopening.

domain.md "Outcome and CAPA": every complaint gets a written reply, with second and third replies
until it is resolved. Each round runs from receipt (round 1) or reopening to its formal reply and,
if it comes, its closure, and is kept as a row of Reply Rounds. The complaint's own fields are
those of the current round:

- ``responded_on``: the current round's formal reply (Responded or Rejected); empty again when the
  complaint is reopened, so the resolution clock runs for the new round (from the reopening) and
  the feedback reminder and closure without feedback count from the new reply;
- ``closed_on``, ``closure_approved_by``, ``closed_for_lack_of_feedback``: the current round's
  closure; cleared on reopening (the earlier ones stay in the round and the version history);
- ``customer_feedback``: the complainant's word on the current reply; moved into the round when
  the complaint is reopened;
- ``acknowledged_on`` and ``first_responded_on``: once per complaint, never reset: those clocks are
  met once. ``acknowledged_on`` is stamped by the emailed acknowledgement, or else by the
  Acknowledge action (an acknowledgement by phone or letter), unless recorded by hand before.

Sending a reply back for rework (Pending Approval to Under Investigation) changes no stamp: the
round has no formal reply yet. An appeal that overturns the decision reopens the complaint through
its workflow, which is a reopening like any other.
"""

import frappe
from frappe.utils import get_datetime, now_datetime

from complaint_handling.rules.complaint import FINAL_STATUSES, Status

REPLIES = (Status.RESPONDED, Status.REJECTED)


def record(doc) -> None:
	"""Complaint.validate: open round 1 on a new complaint; on a status change, stamp the current
	round and the complaint's own dates (system time zone, naive)."""
	current = current_round(doc)
	if doc.is_new() or not doc.has_value_changed("status"):
		return
	now = now_datetime()
	if doc.status == Status.ACKNOWLEDGED and not doc.acknowledged_on:
		doc.acknowledged_on = now  # acknowledged by phone or letter: the workflow action records it
	if doc.status in REPLIES and not current.responded_on:
		# the formal reply, valid or not, answers the round: it meets the resolution clock
		current.responded_on, current.outcome = now, doc.status
		current.approved_by = frappe.session.user
		doc.responded_on = now
		doc.first_responded_on = doc.first_responded_on or now
	if doc.status in FINAL_STATUSES:
		current.closed_on = doc.closed_on = now
		doc.closed_for_lack_of_feedback = frappe.flags.complaint_closing_without_feedback == doc.name
	if doc.status == Status.REOPENED:
		current.customer_feedback = doc.customer_feedback
		doc.append(
			"reply_rounds",
			{"round": current.round + 1, "started_on": now, "reopened_by": frappe.session.user},
		)
		doc.reopen_count = (doc.reopen_count or 0) + 1
		doc.responded_on = doc.closed_on = doc.closure_approved_by = doc.customer_feedback = None
		doc.closed_for_lack_of_feedback = 0


def current_round(doc):
	"""The last round, creating round 1 (from what the complaint already records) if there is none."""
	if not doc.reply_rounds:
		doc.append(
			"reply_rounds",
			{
				"round": 1,
				"started_on": doc.received_on,
				"responded_on": doc.responded_on,
				"outcome": doc.responded_on
				and (Status.REJECTED if doc.status == Status.REJECTED else Status.RESPONDED),
				"closed_on": doc.closed_on,
			},
		)
	return doc.reply_rounds[-1]


def round_started_on(doc):
	"""When the current round began (the receipt for round 1), or None before any round exists."""
	return get_datetime(doc.reply_rounds[-1].started_on) if doc.get("reply_rounds") else None
