"""Move complaints along whatever workflow the admin has configured, by status, not state name."""

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow, get_transitions, get_workflow


def transition_to(doc, status: str):
	"""Apply the workflow action, available to the session user, that leads to ``status``.

	The target is found through each state's ``update_value``, so renamed or added states keep
	working. Raises a ValidationError naming the status if the admin left no such action.
	"""
	workflow = get_workflow(doc.doctype)
	targets = {
		state.state
		for state in workflow.states
		if state.update_field == "status" and state.update_value == status
	}
	for transition in get_transitions(doc, workflow):
		if transition.next_state in targets:
			return apply_workflow(doc, transition.action)

	frappe.throw(
		_("Workflow {0} offers you no action that moves {1} from {2} to status {3}.").format(
			workflow.name,
			doc.name,
			frappe.bold(_(doc.get(workflow.workflow_state_field))),
			frappe.bold(_(status)),
		),
		title=_("No Workflow Action"),
	)


def sync_status(doc) -> None:
	"""Keep ``doc.status`` what its current workflow state says, however the state was set
	(apply_workflow writes it; a REST client setting ``workflow_state`` alone would not)."""
	from frappe.model.workflow import get_workflow_name

	workflow_name = get_workflow_name(doc.doctype)
	if not (workflow_name and doc.get("workflow_state")):
		return
	for state in frappe.get_cached_doc("Workflow", workflow_name).states:
		if state.state == doc.workflow_state and state.update_field == "status" and state.update_value:
			doc.status = state.update_value
