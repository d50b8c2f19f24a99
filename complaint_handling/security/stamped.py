"""Enforce ``rules.stamped_fields`` on every write: the first step of each controller's
``before_validate``, before the app sets anything itself.

Insert, save, ``frappe.client.set_value``, REST POST/PUT, Data Import and workflow actions all
reach ``before_validate``, so a caller who sends a value for a stamped field (or a stamped child
row) is refused with a message naming the field, and nothing is saved. The app's own writes that
happen outside ``validate`` (a quality manager deciding an extension through its method, a
proposal raised by the recurrence check) run inside :func:`app_stamping`.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.model import numeric_fieldtypes, table_fields
from frappe.utils import cint, cstr, flt, get_datetime_str, getdate

from complaint_handling.engine.workflow import no_longer_changes, workflow_status
from complaint_handling.rules.stamped_fields import (
	APP,
	APPEND,
	DERIVED,
	GRANT,
	KEPT,
	ONCE,
	POLICY,
	REOPENABLE,
	forged_fields,
	same,
	unkept_fields,
)
from complaint_handling.security.access import has_role
from complaint_handling.setup import defaults

REFUSALS = {
	APP: "{0} is set by the app when {1} {2} moves on; it cannot be written directly.",
	ONCE: "{0} of {1} {2} is already recorded and cannot be changed.",
	GRANT: "{0} of {1} {2} decides who may see the case: only a quality manager may change it.",
	APPEND: "{0} of {1} {2} keeps every row recorded: add a new row instead of removing one.",
}


@contextmanager
def app_stamping(doc):
	"""The app itself writes stamped fields of ``doc`` (a decision through a checked method)."""
	key = id(doc)  # the name may not exist yet: an insert names the document on the way
	stamping = frappe.flags.complaint_app_stamping = frappe.flags.complaint_app_stamping or set()
	stamping.add(key)
	try:
		yield doc
	finally:
		stamping.discard(key)


def is_app_stamping(doc) -> bool:
	"""Whether the app itself is writing ``doc`` inside :func:`app_stamping`."""
	return id(doc) in (frappe.flags.complaint_app_stamping or ())


def refuse_forged(doc) -> None:
	"""Raise ``frappe.PermissionError`` naming the first stamped field (of ``doc`` or one of its
	rows) that the caller changed but may not. No-op inside :func:`app_stamping`."""
	if is_app_stamping(doc):
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	check(doc, before, doc)
	if before is not None:
		refuse_unkept(doc, before, doc)


def check(doc, before, parent) -> None:
	policy = POLICY.get(doc.doctype, {})
	scalar = {
		f for f in policy if doc.meta.get_field(f) and doc.meta.get_field(f).fieldtype not in table_fields
	}
	after_values = {f: normalise(doc, f, doc.get(f)) for f in scalar}
	before_values = {f: normalise(doc, f, before.get(f)) for f in scalar} if before is not None else None
	field_defaults = {f: doc.meta.get_field(f).default for f in scalar}
	for field in (f for f in scalar if policy[f] == DERIVED):
		sent, stored = doc.get(field), before.get(field) if before is not None else field_defaults[field]
		if not same(sent, stored) and not same(sent, workflow_status(doc)):
			refuse(doc, field, APP, parent)
	for field, kind in forged_fields(doc.doctype, before_values, after_values, field_defaults):
		if kind == GRANT and has_role(defaults.QUALITY_MANAGER):
			continue
		refuse(doc, field, kind, parent)

	for df in doc.meta.get_table_fields():
		child_policy = POLICY.get(df.options)
		table_kind = policy.get(df.fieldname)
		if not child_policy and not table_kind and df.options not in KEPT:
			continue
		old_rows = {row.name: row for row in (before.get(df.fieldname) if before is not None else [])}
		new_rows = doc.get(df.fieldname)
		if table_kind == APPEND:
			if set(old_rows) - {row.name for row in new_rows}:
				refuse(doc, df.fieldname, APPEND, parent)
		elif table_kind and not (
			table_kind == GRANT and (has_role(defaults.QUALITY_MANAGER) or before is None)
		):
			if set(old_rows) != {row.name for row in new_rows} or any(
				row_changed(row, old_rows[row.name]) for row in new_rows if row.name in old_rows
			):
				refuse(doc, df.fieldname, table_kind, parent)
		refuse_removing_kept_rows(doc, df.fieldname, old_rows, new_rows)
		for row in new_rows:
			check(row, old_rows.get(row.name), parent)
			if row.name in old_rows:
				refuse_unkept(row, old_rows[row.name], parent)


def refuse_unkept(doc, before, parent) -> None:
	"""Raise ``frappe.ValidationError`` (417), as for an ended record, naming the fields of ``doc``
	(``parent`` or one of its rows) that ``rules.stamped_fields.KEPT`` keeps in the status it
	stands in, if the save changes them."""
	if doc.doctype not in KEPT:
		return
	fields = [*KEPT[doc.doctype], "status"]
	stored, saved = ({f: normalise(doc, f, values.get(f)) for f in fields} for values in (before, doc))
	changed = unkept_fields(doc.doctype, stored, saved)
	if not changed:
		return
	labels = [_(doc.meta.get_label(field)) for field in changed]
	if doc is not parent:
		message = _("Row {0} of {1} is {2}: it can no longer change ({3}).").format(
			doc.idx, _(parent.meta.get_label(doc.parentfield)), _(before.status), ", ".join(labels)
		)
	else:
		message = no_longer_changes(doc, before.status, labels, doc.doctype in REOPENABLE)
	frappe.throw(message, title=_("Kept as Recorded"))


def refuse_removing_kept_rows(parent, fieldname: str, old_rows: dict, new_rows) -> None:
	"""Raise ``frappe.ValidationError`` (417) if the save drops a row of ``parent``'s table
	``fieldname`` whose stored status keeps any of its fields (``rules.stamped_fields.KEPT``):
	a kept row is kept whole."""
	kept = {
		status
		for statuses in KEPT.get(parent.meta.get_field(fieldname).options, {}).values()
		for status in statuses
	}
	present = {row.name for row in new_rows}
	for name, row in old_rows.items():
		if name not in present and row.get("status") in kept:
			frappe.throw(
				_("Row {0} of {1} is {2}: it is part of the record and cannot be removed.").format(
					row.idx, _(parent.meta.get_label(fieldname)), _(row.status)
				),
				title=_("Kept as Recorded"),
			)


def row_changed(row, old) -> bool:
	return any(
		normalise(row, df.fieldname, row.get(df.fieldname))
		!= normalise(row, df.fieldname, old.get(df.fieldname))
		for df in row.meta.fields
		if df.fieldtype not in table_fields and not df.get("is_virtual")
	)


def normalise(doc, fieldname: str, value):
	"""A value as the database keeps it, so a form's text and a loaded datetime compare equal, and
	so do the 0 or 8 a form sends (JavaScript has no 0.0) and the 0.0 or 8.0 the database holds for
	a number (never NULL: an empty number is kept as 0)."""
	fieldtype = doc.meta.get_field(fieldname).fieldtype
	if fieldtype in numeric_fieldtypes:
		return cint(value) if fieldtype in ("Check", "Int", "Long Int") else flt(value)
	if value in (None, ""):
		return None
	try:
		if fieldtype == "Datetime":
			return get_datetime_str(value)
		if fieldtype == "Date":
			return str(getdate(value))
		if fieldtype in ("Check", "Int"):
			return cint(value)
	except Exception:
		return cstr(value)  # not a date at all: certainly a change, and Frappe refuses it later
	return cstr(value)


def refuse(doc, fieldname: str, kind: str, parent) -> None:
	label = _(doc.meta.get_label(fieldname))
	if doc is not parent:
		label = _("{0} in row {1} of {2}").format(label, doc.idx, _(parent.meta.get_label(doc.parentfield)))
	frappe.throw(
		_(REFUSALS[kind]).format(frappe.bold(label), _(parent.doctype), parent.name or _("new")),
		frappe.PermissionError,
		title=_("Field Set by the App") if kind != GRANT else _("Quality Manager Only"),
	)
