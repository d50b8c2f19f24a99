"""The investigator a quality manager or handler names gets the investigation as a ToDo (issue 12),
closed when the conclusion goes for approval, and moved to the new investigator on reassignment."""

import frappe

from complaint_handling.engine import assignments

WORKING = frozenset({"Draft", "In Progress"})


def sync_investigator(doc) -> None:
	"""Complaint Investigation on_update."""
	before = doc.get_doc_before_save()
	previous = before.investigator if before else None
	working = doc.investigator and doc.status in WORKING
	# translated for the investigator, in engine.assignments: _("Investigate complaint {0}: {1}")
	# due when the complaint must be resolved
	due = frappe.db.get_value("Complaint", doc.complaint, "resolve_by") if working else None
	description = ("Investigate complaint {0}: {1}", (doc.complaint, doc.complaint_subject or ""), due)
	assignments.sync(
		doc,
		{doc.investigator: description} if working else {},
		done={doc.investigator} if doc.investigator and not working else set(),
		removed={previous} if previous and previous != doc.investigator else set(),
	)
