"""The Complaint SLA Policies a complaint can run on, read once and cached until one changes."""

import frappe

POLICY_CACHE_KEY = "complaint_sla_policies"


def get_policies() -> list[dict]:
	"""Enabled policies with their escalation steps, cached until a policy changes."""
	policies = frappe.cache.get_value(POLICY_CACHE_KEY)
	if policies is None:
		policies = [
			frappe.get_doc("Complaint SLA Policy", name).as_dict()
			for name in frappe.get_all("Complaint SLA Policy", filters={"enabled": 1}, pluck="name")
		]
		frappe.cache.set_value(POLICY_CACHE_KEY, policies)
	return policies


def clear_policy_cache() -> None:
	frappe.cache.delete_value(POLICY_CACHE_KEY)
