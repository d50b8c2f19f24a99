"""The CAPA action owner's door (issue 12). An action owner is often an ordinary employee with no
complaint role: the person who must do the corrective work. While the CAPA is open, each owner of
an open action gets a ToDo for it and, through a read-only share of that one CAPA, sees its
problem, root cause and actions, and nothing of the complaints behind it. They mark their own
action done with its completion evidence (and a file) through :func:`complete_action`; the rest of
the CAPA stays the handlers' and quality managers' to edit.
"""

import frappe
from frappe import _

from complaint_handling.engine import assignments
from complaint_handling.rules.capa import ActionStatus, CapaStatus

MAX_EVIDENCE = 5000


def sync_assignments(doc) -> None:
	"""CAPA on_update: one open ToDo per owner of an open action while the CAPA is open; closed
	once all their actions are done or cancelled (or the CAPA ends); cancelled, with the share,
	for someone who no longer owns any action of it."""
	owners = {row.action_owner for row in doc.actions if row.action_owner}
	before = doc.get_doc_before_save()
	previous = {row.action_owner for row in before.actions if row.action_owner} if before else set()
	working = doc.status == CapaStatus.OPEN
	open_for = {}
	# each owner's ToDo names their first open action and is due when it is
	for row in sorted(doc.actions, key=lambda row: (str(row.due_date or ""), row.idx)):
		if working and row.action_owner and row.status == ActionStatus.OPEN:
			# translated for the owner, in engine.assignments: _("CAPA {0}: {1}")
			open_for.setdefault(
				row.action_owner, ("CAPA {0}: {1}", (doc.name, row.action or doc.title), row.due_date)
			)
	assignments.sync(
		doc,
		open_for,
		done=owners - set(open_for) if doc.status != CapaStatus.DRAFT else set(),
		removed=previous - owners,
		share=True,
	)


@frappe.whitelist(methods=["POST"])
def complete_action(capa: str, action: str, evidence: str, attachment: str | None = None) -> dict:
	"""Mark one CAPA action done, as its owner (or anyone who may edit the CAPA).

	``capa``: the CAPA's name; ``action``: the name of its CAPA Action row; ``evidence``: the
	completion evidence (plain text, at most 5,000 characters); ``attachment``: optional ``file_url``
	of a file the caller uploaded, attached to the CAPA and named in the row.
	Returns ``{"status": "Done", "completed_on": date}``. Raises ``frappe.PermissionError`` unless
	the caller owns the action or may write the CAPA, ``frappe.ValidationError`` when the CAPA is
	not open, the action is not open, or the evidence is empty or too long.
	"""
	doc = frappe.get_doc("CAPA", capa)
	row = next((r for r in doc.actions if r.name == action), None)
	if row is None:
		frappe.throw(_("CAPA {0} has no such action.").format(doc.name), frappe.DoesNotExistError)
	if row.action_owner != frappe.session.user and not doc.has_permission("write"):
		frappe.throw(
			_("Only the owner of action {0} may mark it done.").format(row.idx),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)
	if doc.status != CapaStatus.OPEN:
		frappe.throw(
			_("CAPA {0} is {1}: actions are completed while it is Open.").format(doc.name, _(doc.status))
		)
	if row.status != ActionStatus.OPEN:
		frappe.throw(_("Action {0} is already {1}.").format(row.idx, _(row.status)))
	evidence = (evidence or "").strip() if isinstance(evidence, str) else ""
	if not evidence:
		frappe.throw(
			_("Describe the completion evidence: what was done, and where the proof is."),
			frappe.MandatoryError,
		)
	if len(evidence) > MAX_EVIDENCE:
		frappe.throw(
			_("The completion evidence is too long: keep it under {0} characters.").format(MAX_EVIDENCE)
		)
	row.status = ActionStatus.DONE
	row.evidence = evidence
	if attachment:
		row.evidence_attachment = attach(doc, attachment)
	doc.add_comment("Info", _("Action {0} marked done by {1}.").format(row.idx, frappe.utils.get_fullname()))
	# the owner may not write the CAPA: their right is this one row, checked above
	doc.save(ignore_permissions=True)
	return {"status": row.status, "completed_on": row.completed_on}


def attach(doc, file_url: str) -> str:
	"""Attach a file the caller uploaded (and nobody attached yet) to ``doc``; returns its URL."""
	name = (
		frappe.db.get_value(
			"File",
			{"file_url": file_url, "owner": frappe.session.user, "attached_to_name": ("is", "not set")},
		)
		if isinstance(file_url, str)
		else None
	)
	if not name:
		frappe.throw(_("Upload the evidence file again: the one given is not a new upload of yours."))
	file = frappe.get_doc("File", name)
	file.attached_to_doctype, file.attached_to_name = doc.doctype, doc.name
	file.save(ignore_permissions=True)
	return file.file_url
