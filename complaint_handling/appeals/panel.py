"""Each member named on an accepted appeal's panel gets it as a ToDo (issue 12), closed when the
panel has decided or the appeal ends, cancelled for a member taken off the panel."""

from complaint_handling.engine import assignments
from complaint_handling.rules.appeals import AppealStatus


def sync_panel(doc) -> None:
	"""Complaint Appeal on_update."""
	members = {row.user for row in doc.panel if row.user}
	before = doc.get_doc_before_save()
	previous = {row.user for row in before.panel if row.user} if before else set()
	deciding = doc.status == AppealStatus.ACCEPTED
	# translated for each member, in engine.assignments: _("Decide appeal {0} against complaint {1}")
	description = ("Decide appeal {0} against complaint {1}", (doc.name, doc.complaint), doc.decision_due)
	assignments.sync(
		doc,
		dict.fromkeys(members, description) if deciding else {},
		done=members
		if doc.status in (AppealStatus.DECIDED, AppealStatus.CLOSED, AppealStatus.NOT_ACCEPTED)
		else set(),
		removed=previous - members,
	)
