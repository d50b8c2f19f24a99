"""People and messages for every capability: who holds a role, who is told when nobody is, and
the one email fallback (no outgoing Email Account: warn and carry on, never lose the save)."""

import frappe
from frappe import _
from frappe.utils.user import get_users_with_role

from complaint_handling.setup import defaults


def users_with_role(role: str) -> list[str]:
	"""Enabled users with ``role`` (Frappe's lookup keeps only enabled ones); inside a sweep each
	role is looked up once."""
	cache = getattr(frappe.local, "complaint_role_users", None)
	if cache is None:
		return get_users_with_role(role)
	if role not in cache:
		cache[role] = get_users_with_role(role)
	return cache[role]


def enabled_users(users) -> list[str]:
	return [user for user in users if user and frappe.get_cached_value("User", user, "enabled")]


def with_fallback(users: list[str], what: str) -> list[str]:
	"""The enabled users given, or the quality managers if there are none (logged)."""
	users = enabled_users(users)
	if users:
		return users
	warn(_("Nobody to notify of {0}: the quality managers are told instead.").format(what))
	return users_with_role(defaults.QUALITY_MANAGER)


def warn(message: str) -> None:
	"""A configuration gap that has a safe fallback: tell the desk user, log it for the admin."""
	frappe.logger("complaint_handling").warning(message)
	if getattr(frappe.local, "request", None):
		frappe.msgprint(message, indicator="orange", alert=True)


def outgoing_account(doctype: str | None = None):
	"""The Email Account mail about ``doctype`` goes out through, or None."""
	from frappe.email.doctype.email_account.email_account import EmailAccount

	return EmailAccount.find_outgoing(match_by_doctype=doctype) or None


def can_email(what: str, doctype: str | None = None) -> bool:
	"""Whether an outgoing Email Account exists. Without one Frappe refuses to queue mail, so the
	mail is skipped with a warning and nothing else (the save, the desk notification) is lost."""
	if outgoing_account(doctype):
		return True
	warn(_("No outgoing Email Account is set up, so {0} was not emailed.").format(what))
	return False


def render_template(template: str | None, context: dict) -> tuple[str | None, str | None]:
	"""The admin's Email Template, or nothing (the caller's plain text) if it is missing or broken."""
	if not template:
		return None, None
	try:
		formatted = frappe.get_cached_doc("Email Template", template).get_formatted_email(context)
		return formatted["subject"], formatted["message"]
	except Exception:
		frappe.log_error(title=_("Email Template {0} failed").format(template))
		return None, None


def boot_session(bootinfo) -> None:
	"""``boot_session`` hook. Frappe's email composer looks up the outgoing account's signature
	with ``frappe.db.get_list("Email Account")`` unless the user has one of their own, and users
	who may not read Email Account (every complaint role) get a "Not permitted" popup over the
	composer. They get that signature in their boot instead (an empty paragraph if there is none),
	so the composer never asks."""
	user = bootinfo.get("user")
	if not user or user.get("email_signature") or frappe.session.user == "Guest":
		return
	if frappe.has_permission("Email Account", "read"):
		return
	signature = frappe.db.get_value("Email Account", {"default_outgoing": 1, "add_signature": 1}, "signature")
	user["email_signature"] = signature or "<p></p>"
