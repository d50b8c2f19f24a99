"""The published complaints process (``/complaints-process``, issue 13 part 4; ISO 10002 §6.2 and
ISO/IEC 17025 §7.9.2 want the process publicly available).

Every period the page states is read from where the app enforces it: the general Complaint SLA
Policy (acknowledge, first response, resolution, major resolution) and Complaint Settings
(closure without feedback, appeal window, acceptance and decision), so the page cannot drift from
the rules. The quality manager adds their own words in Complaint Settings → *Introduction on the
Process Page*.
"""

import frappe
from frappe import _
from frappe.utils import flt
from frappe.utils.html_utils import sanitize_html

from complaint_handling.rules.service_levels import match_policy
from complaint_handling.service_levels.policies import get_policies

STANDARD_POLICY = "Standard"  # the policy install seeds (setup/defaults.py SLA_POLICY)
PUBLIC_FORM_ROUTE = "/complaint"

# each unit the policies and settings offer, as words in a sentence ("24 hours", "5 working days")
UNIT_FORMATS = {
	"Hours": "{0} hours",
	"Working Hours": "{0} working hours",
	"Working Days": "{0} working days",
	"Days": "{0} days",
	"Months": "{0} months",
}


def process_context() -> dict:
	"""What the page shows, in the request's language. Reads the general SLA policy, Complaint
	Settings and the incoming complaints mailbox; raises nothing (a site without a policy shows the
	process without its deadlines)."""
	policy = general_policy(get_policies())
	settings = frappe.get_cached_doc("Complaint Settings")
	return {
		# saved through the form it is sanitised already; set any other way, it is sanitised here
		"intro": sanitize_html(settings.process_page_intro or ""),
		"form_route": PUBLIC_FORM_ROUTE,
		"mailbox": complaints_mailbox(),
		"deadlines": policy_deadlines(policy) if policy else [],
		"other_policies": bool(policy) and len(get_policies()) > 1,
		"feedback": feedback_periods(settings),
		"appeal": appeal_periods(settings),
	}


def general_policy(policies: list[dict]) -> dict | None:
	"""The policy that applies to a complaint not yet classified: one for every category and
	severity (``match_policy`` with neither), else the enabled *Standard*, else the least specific
	enabled one (ties by name). ``None`` when no policy is enabled."""
	if policy := match_policy(policies, None, None):
		return policy
	if standard := next((p for p in policies if p.get("name") == STANDARD_POLICY), None):
		return standard
	ranked = sorted(
		policies, key=lambda p: (bool(p.get("complaint_category")), bool(p.get("severity")), p["name"])
	)
	return ranked[0] if ranked else None


def duration(amount, unit: str) -> str:
	"""``amount`` of ``unit`` as words: ``duration(24.0, "Hours")`` -> "24 hours" (translated)."""
	number = flt(amount)
	shown = str(int(number)) if number.is_integer() else f"{number:g}"
	return _(UNIT_FORMATS.get(unit, "{0} " + (unit or ""))).format(shown)


def policy_deadlines(policy: dict) -> list[dict]:
	"""The deadlines of ``policy`` in the order a complaint meets them: [{label, period}]."""
	rows = [
		(
			_("Acknowledgement of your complaint"),
			policy.get("acknowledge_within"),
			policy.get("acknowledge_unit"),
		),
		(_("First response"), policy.get("respond_within"), policy.get("respond_unit")),
		(_("Written reply"), policy.get("resolve_within"), policy.get("resolve_unit")),
		(
			_("Written reply to a major complaint (safety, compensation, authorities involved)"),
			policy.get("resolve_within_major"),
			policy.get("resolve_unit"),
		),
	]
	return [
		{"label": label, "period": duration(amount, unit)} for label, amount, unit in rows if flt(amount) > 0
	]


def feedback_periods(settings) -> dict | None:
	"""Closure without feedback (README "Closure without feedback"): when we remind and when we
	close, in working days; ``None`` when switched off in Complaint Settings."""
	if not settings.auto_close:
		return None
	return {
		"reminder": duration(settings.feedback_reminder_days, "Working Days"),
		"close": duration(settings.auto_close_days, "Working Days"),
	}


def appeal_periods(settings) -> dict:
	"""The appeal window, acceptance and decision periods of Complaint Settings (empty ones left
	out, so a site that has not set them shows no invented figure)."""
	periods = {
		"window": (settings.appeal_window, settings.appeal_window_unit),
		"acceptance": (settings.appeal_acceptance_within, settings.appeal_acceptance_unit),
		"decision": (settings.appeal_decision_within, settings.appeal_decision_unit),
	}
	return {key: duration(amount, unit) for key, (amount, unit) in periods.items() if amount and unit}


def complaints_mailbox() -> str | None:
	"""The address of an enabled incoming Email Account that files mail as complaints (append to
	Complaint, or an IMAP folder that does), so the page names the mailbox the app reads."""
	accounts = frappe.get_all(
		"Email Account", filters={"enable_incoming": 1, "append_to": "Complaint"}, pluck="email_id", limit=1
	)
	if not accounts:
		folders = frappe.get_all("IMAP Folder", filters={"append_to": "Complaint"}, pluck="parent")
		if folders:
			accounts = frappe.get_all(
				"Email Account",
				filters={"name": ("in", folders), "enable_incoming": 1},
				pluck="email_id",
				limit=1,
			)
	return accounts[0] if accounts else None
