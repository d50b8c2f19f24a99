"""Who may change a record in each workflow state: the workflow's own *Only Allow Edit For* roles,
enforced on every write path.

Frappe applies a state's edit roles only in the desk form (it turns the form read-only); a user
with write permission could still change a Pending Approval complaint through ``/api/resource`` or
``frappe.client.set_value``, say the resolution a quality manager is about to approve. Here the
same roles the admin set in the workflow decide for every path, so the form and the API agree.
"""

import frappe
from frappe import _

from complaint_handling.engine.workflow import changed_labels
from complaint_handling.security.stamped import is_app_stamping


def refuse_outside_edit_rights(doc) -> None:
	"""Raise ``frappe.PermissionError`` if the session user changes ``doc`` while it stands in a
	workflow state whose edit roles they hold none of.

	Not checked: new documents, workflow actions (Frappe checks the transition's roles), saves the
	app makes for itself (``ignore_permissions``, or a checked method inside ``app_stamping``),
	Administrator, DocTypes without an active workflow, and saves that change nothing."""
	if doc.is_new() or doc.flags.ignore_permissions or is_app_stamping(doc):
		return
	if frappe.session.user == "Administrator":
		return
	workflow = active_workflow(doc.doctype)
	before = doc.get_doc_before_save()
	if not workflow or before is None:
		return
	state = before.get(workflow.workflow_state_field)
	if doc.get(workflow.workflow_state_field) != state:
		return
	editors = {row.allow_edit for row in workflow.states if row.state == state}
	if not editors or editors & set(frappe.get_roles()):
		return
	changed = changed_labels(doc, before)
	if changed:
		frappe.throw(
			_("{0} {1} is {2}: now only these roles may change it ({3}), so {4} stays as it was.").format(
				_(doc.doctype),
				doc.name,
				_(state),
				", ".join(_(role) for role in sorted(editors)),
				", ".join(changed),
			),
			frappe.PermissionError,
			title=_("Not Your Turn"),
		)


def may_edit(doc, user: str | None = None) -> bool:
	"""Whether ``user`` (default: the session user) holds one of the edit roles of the workflow
	state ``doc`` stands in (True without an active workflow, or for Administrator). Write
	permission on the record is a separate question."""
	user = user or frappe.session.user
	workflow = active_workflow(doc.doctype)
	if not workflow or user == "Administrator":
		return True
	state = doc.get(workflow.workflow_state_field)
	editors = {row.allow_edit for row in workflow.states if row.state == state}
	return not editors or bool(editors & set(frappe.get_roles(user)))


def active_workflow(doctype: str):
	from frappe.model.workflow import get_workflow_name

	name = get_workflow_name(doctype)
	return frappe.get_cached_doc("Workflow", name) if name else None
