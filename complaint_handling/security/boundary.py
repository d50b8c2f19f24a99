"""What every write of a case record passes first, before the app does any work on it: the
controllers' ``before_validate`` calls :func:`guard`, and every HTTP request for the app's DocTypes
and methods passes :func:`check_request` (a ``before_request`` hook) before Frappe parses it.

Frappe checks field lengths only after ``validate``, so a 40,000-character subject or email would
first go through the SLA schedule and template rendering; and stamped fields must be compared with
what is stored before the app sets any itself.
"""

import inspect
import re
from datetime import date, datetime, time, timedelta
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.model import table_fields
from frappe.utils import get_datetime, get_user_time_format

from complaint_handling.security.access import is_app_doctype, refuse_aliases
from complaint_handling.security.edit_rights import refuse_outside_edit_rights
from complaint_handling.security.stamped import refuse_forged

TEXT_TYPES = frozenset(
	{
		"Data",
		"Small Text",
		"Text",
		"Long Text",
		"Text Editor",
		"Select",
		"Link",
		"Dynamic Link",
		"Code",
		"Phone",
	}
)
NUMBER_TYPES = frozenset({"Int", "Float", "Currency", "Percent"})
# the forms Frappe writes and MariaDB stores as they are; anything else (say "-1", which dateutil
# reads as a day) reaches the database as text and fails there. A time may have a one-digit hour,
# as str(timedelta) writes it.
DATE_FORMS = {
	"Date": (re.compile(r"\d{4}-\d{2}-\d{2}"), date.fromisoformat),
	"Datetime": (
		re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"),
		datetime.fromisoformat,
	),
	"Time": (
		re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"),
		lambda text: time.fromisoformat(text if text.index(":") == 2 else "0" + text),
	),
}
# MariaDB's DATE and DATETIME columns begin in the year 1000
EARLIEST_YEAR = 1000


def guard(doc) -> None:
	"""Refuse malformed and oversized values, then values written to stamped fields (see
	``security.stamped``), then changes outside the workflow state's edit roles (see
	``security.edit_rights``). Raises ``frappe.ValidationError`` (HTTP 417) naming the field, or
	``frappe.PermissionError`` (403) for a stamped field or a state the user may not edit in."""
	for row in [doc, *doc.get_all_children()]:
		refuse_malformed(row, doc)
	keep_what_the_form_rounded(doc)
	refuse_oversized(doc)
	doc._validate_selects()
	for row in doc.get_all_children():
		row._validate_selects()
	refuse_forged(doc)
	refuse_outside_edit_rights(doc)


def keep_what_the_form_rounded(doc) -> None:
	"""A form shows and sends back datetimes in the system's time format: in one without seconds
	(HH:mm, the setup wizard's choice for Germany) a stamped 07:27:02 comes back as 07:27:00, which
	the checks after this one would read as a change of a field nobody touched. A datetime sent
	equal to the stored one at the minute is the stored one. Values are already well formed."""
	if doc.is_new() or ":ss" in get_user_time_format():
		return
	before = doc.get_doc_before_save()
	if before is None:
		return
	stored_rows = {row.name: row for row in before.get_all_children()}
	for row in [doc, *doc.get_all_children()]:
		stored = before if row is doc else stored_rows.get(row.name)
		for df in row.meta.get("fields", {"fieldtype": "Datetime"}) if stored else ():
			sent, kept = row.get(df.fieldname), stored.get(df.fieldname)
			if sent and kept and to_the_minute(sent) == get_datetime(sent) == to_the_minute(kept):
				row.set(df.fieldname, kept)


def to_the_minute(value) -> datetime:
	return get_datetime(value).replace(second=0, microsecond=0)


def refuse_malformed(row, parent) -> None:
	"""Each value has the shape its field takes: text for text, a number for numbers, a date
	Frappe can read for dates (the app's rules read them before Frappe's own checks run)."""
	for df in row.meta.fields:
		value = row.get(df.fieldname)
		if value in (None, "") or df.fieldtype in table_fields:
			continue
		if df.fieldtype in TEXT_TYPES:
			ok = isinstance(value, str | int | float) and not isinstance(value, bool)
			if ok and not isinstance(value, str):
				row.set(df.fieldname, str(value))  # a number sent for text is that text
		elif df.fieldtype == "Check":
			ok = value in (0, 1, "0", "1")  # True and False are 1 and 0
		elif df.fieldtype in NUMBER_TYPES:
			ok = isinstance(value, int | float) or (isinstance(value, str) and is_number(value))
			ok = ok and abs(float(value)) < 1e15  # beyond what the column holds
		elif df.fieldtype in DATE_FORMS:
			ok = isinstance(value, date | datetime | time | timedelta) or (
				isinstance(value, str) and is_stored_form(df.fieldtype, value)
			)
		else:
			continue
		if not ok:
			where = _(row.meta.get_label(df.fieldname))
			if row is not parent:
				where = _("{0} in row {1} of {2}").format(
					where, row.idx, _(parent.meta.get_label(row.parentfield))
				)
			frappe.throw(
				_("{0}: {1} is not a valid {2}.").format(
					frappe.bold(where), repr(value)[:60], _(df.fieldtype)
				),
				title=_("Invalid Value"),
			)


def is_counter(value) -> bool:
	"""Whether ``value`` (``idx``, ``docstatus``) is a whole number their int(11) columns hold."""
	if isinstance(value, str) and value.isdigit():
		value = int(value)
	return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT_COLUMN


def is_number(text: str) -> bool:
	try:
		float(text)
	except ValueError:
		return False
	return True


def is_stored_form(fieldtype: str, text: str) -> bool:
	"""Whether ``text`` is a Date, Datetime or Time in the ISO form the database stores (e.g.
	"2026-11-29", "2026-11-29 09:30:00", "09:30"), a real one, from the year 1000 on."""
	pattern, parse = DATE_FORMS[fieldtype]
	if not pattern.fullmatch(text):
		return False
	try:
		value = parse(text)
	except ValueError:  # 2026-02-30, 25:00
		return False
	return not isinstance(value, date) or value.year >= EARLIEST_YEAR


def refuse_oversized(doc) -> None:
	"""Raise ``frappe.CharacterLengthExceededError`` (HTTP 417, naming the field and its limit) if
	a field of ``doc`` or of one of its rows is longer than its column allows."""
	doc._validate_length()
	for row in doc.get_all_children():
		row._validate_length()


# ------------------------------------------------------------------ HTTP requests

RESOURCE = re.compile(r"^/api/(?:v1/|v2/)?(?:resource|document)/([^/]+)(/[^/].*)?$")
# Frappe takes the method from the first segment and drops the rest of the path
METHOD = re.compile(r"^/api/(?:v1/|v2/)?method/([^/]+)")
NAME_LENGTH = 140  # the name column of every table
ROW_FIELDS = ("parent", "parenttype", "parentfield")
TEXT_STANDARD_FIELDS = ("name", "owner", "modified_by", "doctype")
INT_COLUMN = 2**31 - 1  # idx and docstatus are int(11) columns


def check_request() -> None:
	"""before_request hook. A body for the app's DocTypes must be a JSON object whose tables are
	lists of objects and whose other fields are single values; a call of the app's methods must
	name every required argument. Anything else is a 417 naming what to fix, where Frappe would
	otherwise fail inside its own code with a 500."""
	request = frappe.local.request
	method = METHOD.match(request.path)
	cmd = frappe.form_dict.get("cmd") or (method and method.group(1))
	if isinstance(cmd, str):
		refuse_aliases(cmd)
	if request.method in ("POST", "PUT", "PATCH") and (match := RESOURCE.match(request.path)):
		doctype = unquote(match.group(1))
		if match.group(2) and request.method == "POST":
			return  # a document method call, not a document
		if is_app_doctype(doctype):
			check_document(doctype, request_body())
	elif method:
		check_arguments(method.group(1))


def request_body():
	"""The document a REST write carries, read the way Frappe's REST handlers read it."""
	data = frappe.form_dict.get("data")
	if data is None:
		data = frappe.safe_decode(frappe.local.request.get_data())
		if not data:
			return dict(frappe.form_dict)
	try:
		return frappe.parse_json(data)
	except ValueError:
		return dict(frappe.form_dict)


def check_document(doctype: str, data, where: str | None = None) -> None:
	meta = frappe.get_meta(doctype)
	if not isinstance(data, dict):
		frappe.throw(
			_("Send {0} as a JSON object of field names and values.").format(where or _(doctype)),
			title=_("Invalid Request"),
		)
	name = data.get("name")
	if isinstance(name, str) and len(name) > NAME_LENGTH:
		frappe.throw(
			_("{0}: a name has at most {1} characters.").format(where or _(doctype), NAME_LENGTH),
			title=_("Invalid Request"),
		)
	if not meta.istable and (sent := [f for f in ROW_FIELDS if data.get(f) not in (None, "")]):
		# Frappe's REST update saves the named "parent" after the document: a way round the checks
		frappe.throw(
			_("{0} belong to rows of a table: leave them out of {1}.").format(
				", ".join(sent), where or _(doctype)
			),
			title=_("Invalid Request"),
		)
	for fieldname in ("idx", "docstatus"):  # Frappe does arithmetic on these before any check
		if fieldname not in data:
			continue
		value = data[fieldname]
		if not is_counter(value):
			frappe.throw(
				_("{0} must be a whole number.").format(frappe.bold(fieldname)), title=_("Invalid Request")
			)
	for fieldname in TEXT_STANDARD_FIELDS:  # Frappe lower-cases or looks these up as text
		if data.get(fieldname) is not None and not isinstance(data[fieldname], str):
			frappe.throw(_("{0} must be text.").format(frappe.bold(fieldname)), title=_("Invalid Request"))
	for fieldname, value in data.items():
		df = meta.get_field(fieldname) if isinstance(fieldname, str) else None
		if not df or value is None:
			continue
		label = _(df.label or fieldname)
		if df.fieldtype in table_fields:
			if not isinstance(value, list):
				frappe.throw(
					_("{0} must be a list of rows.").format(frappe.bold(label)), title=_("Invalid Request")
				)
			for idx, row in enumerate(value, start=1):
				check_document(df.options, row, _("row {0} of {1}").format(idx, frappe.bold(label)))
		elif isinstance(value, dict | list):
			frappe.throw(
				_("{0} must be a single value.").format(frappe.bold(label)), title=_("Invalid Request")
			)
		elif df.fieldtype in ("Select", "Link", "Dynamic Link") and not isinstance(value, str):
			# a choice or a name is text; Frappe builds names from them before any check
			frappe.throw(_("{0} must be text.").format(frappe.bold(label)), title=_("Invalid Request"))


def check_arguments(path: str) -> None:
	"""Every argument the app's whitelisted function (or its override of a Frappe one) requires."""
	target = (frappe.get_hooks("override_whitelisted_methods") or {}).get(path)
	target = target[-1] if isinstance(target, list) else target or path
	if not target.startswith("complaint_handling."):
		return
	try:
		function = frappe.get_attr(target)
	except Exception:
		return  # not ours to answer: Frappe says it does not exist
	missing = [
		name
		for name, parameter in inspect.signature(function).parameters.items()
		if parameter.default is inspect.Parameter.empty
		and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
		and frappe.form_dict.get(name) in (None, "")
	]
	if missing:
		frappe.throw(
			_("Send {0}: {1} needs them.").format(", ".join(missing), path.rsplit(".", 1)[-1]),
			title=_("Missing Value"),
		)
