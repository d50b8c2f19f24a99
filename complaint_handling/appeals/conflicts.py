"""Who may not judge an appeal: the people who decided, handled, investigated or were involved
in the original case, and anyone who declared a conflict (ISO/IEC 17065 §7.13, domain.md
"Independence")."""

import frappe
from frappe import _
from frappe.utils import getdate

from complaint_handling.intake import recusal
from complaint_handling.rules.appeals import panel_conflicts

CONFLICT_TEXT = {
	"declared": "declared a conflict: {0}",
	"involved": "was involved in the original case ({0})",
	"decided": "decided the original case",
	"investigated": "investigated the original case",
	"handled": "handled the original case",
}


def conflicts_of(appeal, users) -> dict[str, str]:
	"""Each of ``users`` who may not judge this appeal, with the reason in words."""
	today = getdate()
	declared = {
		row.user: row.reason for row in appeal.conflicts if not row.until or getdate(row.until) >= today
	}
	decided, handled, investigated, involved = set(), set(), set(), {}
	if appeal.complaint:
		complaint = frappe.get_doc("Complaint", appeal.complaint)
		# each round's approver too: a reopening clears the complaint's own approval fields
		decided = {
			complaint.validity_decided_by,
			complaint.response_approved_by,
			complaint.closure_approved_by,
			*(row.approved_by for row in complaint.reply_rounds),
		} - {None, ""}
		handled = recusal.handlers("Complaint", complaint.name)
		investigated = set(
			frappe.get_all(
				"Complaint Investigation", filters={"complaint": complaint.name}, pluck="investigator"
			)
		)
		involved = recusal.involved_users(complaint)
	found = panel_conflicts(users, decided, handled, investigated, involved, declared)
	return {
		user: _(CONFLICT_TEXT[kind]).format(_(detail) if kind == "involved" else detail)
		for user, reason in found.items()
		for kind, detail in [reason.split(":", 1)]
	}
