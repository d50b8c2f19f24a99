"""Complaint numbers from the pattern in Complaint Settings, safe under concurrent inserts."""

import frappe
from frappe import _
from frappe.model.naming import getseries
from frappe.utils import getdate

from complaint_handling.rules.naming import InvalidPattern, MissingValue, NamingPattern

# Frappe's getseries locks the counter row FOR UPDATE, but two transactions creating the first
# counter of a new year or class race on the INSERT (gap locks) and one dies in a deadlock. So
# every complaint number is drawn while holding this one row, which always exists.
NUMBERING_LOCK = "Complaint:lock"


def ensure_numbering_lock() -> None:
	frappe.db.sql("INSERT IGNORE INTO `tabSeries` (`name`, `current`) VALUES (%s, 0)", NUMBERING_LOCK)


def get_pattern() -> NamingPattern:
	pattern = frappe.db.get_single_value("Complaint Settings", "naming_pattern")
	try:
		return NamingPattern(pattern)
	except InvalidPattern as e:
		frappe.throw(
			_("The complaint numbering pattern {0} in Complaint Settings is not valid: {1}").format(
				frappe.bold(pattern), _(e.message).format(*e.values)
			),
			title=_("Invalid Numbering Pattern"),
		)


def next_complaint_name(doc) -> str:
	pattern = get_pattern()
	received = getdate(doc.received_on)
	sources = {"severity": lambda: doc.severity, "company": lambda: _company_abbr(doc.company)}
	values = {token: sources[token]() for token in pattern.value_tokens}
	try:
		key = pattern.series_key(received, values)
	except MissingValue as e:
		label = doc.meta.get_label(e.token) if e.token != "company" else _("Company")
		frappe.throw(
			_("Set {0} before saving: the complaint number ({1}) contains it.").format(
				frappe.bold(_(label)), pattern.pattern
			),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)

	_lock_numbering()
	while True:
		name = pattern.render(received, values, int(getseries(key, 1)))
		# an admin may have switched patterns into names already taken: skip them, never collide
		if not frappe.db.exists("Complaint", name):
			return name


def _company_abbr(company: str | None) -> str | None:
	return frappe.get_cached_value("Company", company, "abbr") if company else None


def _lock_numbering() -> None:
	if not frappe.db.sql("SELECT `name` FROM `tabSeries` WHERE `name`=%s FOR UPDATE", NUMBERING_LOCK):
		ensure_numbering_lock()
		frappe.db.sql("SELECT `name` FROM `tabSeries` WHERE `name`=%s FOR UPDATE", NUMBERING_LOCK)
