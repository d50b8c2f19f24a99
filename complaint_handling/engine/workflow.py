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
	targets = states_writing(workflow, status)
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


def states_writing(workflow, status: str) -> set[str]:
	"""The admin's state names whose ``update_value`` is the code-owned ``status``."""
	return {
		state.state
		for state in workflow.states
		if state.update_field == "status" and state.update_value == status
	}


def action_towards(doc, status: str, roles: list[str] | None = None) -> str | None:
	"""The admin's name for the workflow action that takes ``doc`` from its current state to one
	writing ``status``, for one of ``roles`` (any role when None), or None when the workflow has
	none."""
	from frappe.model.workflow import get_workflow_name

	name = get_workflow_name(doc.doctype)
	if not name:
		return None
	workflow = frappe.get_cached_doc("Workflow", name)
	targets = states_writing(workflow, status)
	state = doc.get(workflow.workflow_state_field)
	return next(
		(
			t.action
			for t in workflow.transitions
			if t.state == state and t.next_state in targets and (roles is None or t.allowed in roles)
		),
		None,
	)


def sync_status(doc) -> None:
	"""Keep ``doc.status`` what its current workflow state says, however the state was set
	(apply_workflow writes it; a REST client setting ``workflow_state`` alone would not)."""
	if status := workflow_status(doc):
		doc.status = status


def workflow_status(doc) -> str | None:
	"""The code-owned status that ``doc``'s workflow state writes, or None (no active workflow, no
	state yet, or a state that writes no status)."""
	from frappe.model.workflow import get_workflow_name

	workflow_name = get_workflow_name(doc.doctype)
	if not (workflow_name and doc.get("workflow_state")):
		return None
	for state in frappe.get_cached_doc("Workflow", workflow_name).states:
		if state.state == doc.workflow_state and state.update_field == "status" and state.update_value:
			return state.update_value
	return None


def changed_labels(doc, before) -> list[str]:
	"""Labels of the fields (and tables) whose values differ between ``before`` and ``doc``."""
	from frappe.model import no_value_fields, table_fields

	changed = []
	for df in doc.meta.fields:
		if df.fieldtype in table_fields:
			rows = [
				row.as_dict(no_default_fields=True, convert_dates_to_str=True)
				for row in doc.get(df.fieldname)
			]
			old = [
				row.as_dict(no_default_fields=True, convert_dates_to_str=True)
				for row in before.get(df.fieldname)
			]
			if rows != old:
				changed.append(_(df.label))
		elif df.fieldtype not in no_value_fields and doc.has_value_changed(df.fieldname):
			changed.append(_(df.label))
	return changed


def guard_ended_record(doc, ended_statuses, reopenable: bool = False) -> None:
	"""An ended record (closed, rejected, cancelled) is kept as it was: only a workflow move that
	leaves the ended status may change it."""
	before = doc.get_doc_before_save()
	if not before or before.status not in ended_statuses or doc.status != before.status:
		return
	if changed := changed_labels(doc, before):
		frappe.throw(no_longer_changes(doc, before.status, changed, reopenable), title=_("Record Closed"))


def no_longer_changes(doc, status: str, labels: list[str], reopenable: bool) -> str:
	"""Why ``doc``, standing in ``status``, keeps the fields ``labels`` (translated): reopening it
	changes them again, or nothing does."""
	message = (
		_("{0} {1} is {2}: reopen it to change {3}.")
		if reopenable
		else _("{0} {1} is {2}: it can no longer change ({3}).")
	)
	return message.format(_(doc.doctype), doc.name, _(status), ", ".join(labels))


def require_fields(doc, fieldnames, message: str) -> None:
	"""Refuse with ``message`` (its ``{0}`` gets the labels) unless every field is filled in."""
	missing = [_(doc.meta.get_label(f)) for f in fieldnames if not doc.get(f)]
	if missing:
		frappe.throw(message.format(", ".join(missing)), frappe.MandatoryError, title=_("Missing Value"))
