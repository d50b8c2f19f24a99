"""Many rows of a DocType for a report, read with ``frappe.get_list``'s permissions, as JSON.

PyMySQL parses every value of a result in Python and Frappe parses every datetime again: a register
of a hundred thousand complaints of twenty-odd columns spent seconds there (issue 14's benchmark).
Here ``frappe.get_list`` still builds each query, with the reader's permission conditions and only
the fields the reader may read (its field-level check, applied before the query is built), and
MariaDB returns each row as JSON text that the standard library's C parser reads in one call: a
row a packet for wide rows (:func:`read_rows`: the rows stream while MariaDB writes them), or all
the rows in one GROUP_CONCAT for narrow ones (:func:`arrays`). The text is put together with
CONCAT and JSON_QUOTE (:func:`text`, :func:`number`): MariaDB's JSON_ARRAY and JSON_ARRAYAGG took
two to three times as long, and a grouped aggregate sorts every row first.
"""

import json
from collections.abc import Iterator
from operator import itemgetter
from typing import NamedTuple

import frappe
from frappe import _
from frappe.model import get_permitted_fields, numeric_fieldtypes, optional_fields
from frappe.utils import getdate


class Lookup(NamedTuple):
	"""A value read from the document a Link field names, with that DocType's own permissions."""

	link_field: str
	doctype: str
	fieldname: str


# JSON's null as SQL text: CONCAT_WS leaves out a NULL, and every row must have every column
NULL = "'null'"


def read_rows(
	doctype: str,
	fields: list[str],
	filters: list,
	sort_by: tuple[str, ...],
	descending: bool = False,
	lookups: dict[str, Lookup] | None = None,
	parsed: tuple[str, ...] = (),
	reached: dict[str, tuple[str, str]] | None = None,
) -> list[frappe._dict]:
	"""The rows of ``doctype`` matching ``filters`` (``frappe.get_list`` filters) that the session
	user may read, each a dict of the ``fields`` they may read (the others are left out), sorted by
	the values of ``sort_by`` (keys of the row), in ``descending`` order or not. Each ``lookups`` key
	is added to the row from the linked document, None where the reader may not read it. The
	``parsed`` fields hold JSON text (``_assign``) and come back parsed (None if it is not JSON).
	Each ``reached`` key is added with the value of a field only where a second one is set (a
	step's stored hours where its stamp is), None where either may not be read.

	Values come back as JSON gives them: dates and datetimes as strings (``YYYY-MM-DD
	HH:MM:SS.ffffff``, system time zone), decimals as floats, checks as ints. Raises
	``frappe.PermissionError`` as ``frappe.get_list`` does for a reader who may not read
	``doctype`` or a looked-up DocType."""
	lookups, reached = lookups or {}, reached or {}
	needed = {*fields, *(lookup.link_field for lookup in lookups.values())}
	needed.update(field for pair in reached.values() for field in pair)
	readable = permitted(doctype, sorted(needed))
	fields = [field for field in fields if field in readable]
	numeric = numeric_fields(doctype)

	def value(field: str) -> str:
		if field in parsed:
			return f"ifnull(json_extract(r.`{field}`, '$'), {NULL})"
		return number(f"r.`{field}`") if field in numeric else text(f"r.`{field}`")

	columns = [value(field) for field in fields]
	joins = []
	for i, lookup in enumerate(lookups.values()):
		if lookup.link_field not in readable or not permitted(lookup.doctype, [lookup.fieldname]):
			columns.append(NULL)
			continue
		joins.append(f"left join ({query(lookup.doctype, ['name', lookup.fieldname], [])}) l{i}")
		joins[-1] += f" on l{i}.`name` = r.`{lookup.link_field}`"
		columns.append(text(f"l{i}.`{lookup.fieldname}`"))
	for field, condition in reached.values():
		if field in readable and condition in readable:
			columns.append(f"if(r.`{condition}` is null, {NULL}, {value(field)})")
		else:
			columns.append(NULL)
	keys = [*fields, *lookups, *reached]
	# a row a packet, which streams while MariaDB writes the next ones (an aggregate of such wide
	# rows is cut at max_allowed_packet, and its chunks are written and read by turns)
	result = frappe.db.sql(
		f"""select concat('[', concat_ws(',', {", ".join(columns)}), ']')
		from ({query(doctype, readable, filters)}) r {" ".join(joins)}"""
	)
	# one parse of all the rows: a call a row costs twice as much
	rows = json.loads(f"[{','.join([row for (row,) in result])}]")
	# sorted here: MariaDB would sort every row's text on disk (a filesort) first. One stable sort a
	# key, the last first, makes no tuple a row
	for key in reversed(sort_by):
		rows.sort(key=itemgetter(keys.index(key)), reverse=descending)
	return [frappe._dict(zip(keys, row, strict=True)) for row in rows]


def numeric_fields(doctype: str) -> set[str]:
	"""The fields of ``doctype`` that hold numbers (checks included), standard ones too."""
	meta = frappe.get_meta(doctype)
	return {"idx", "docstatus", *(df.fieldname for df in meta.fields if df.fieldtype in numeric_fieldtypes)}


def text(expression: str) -> str:
	"""SQL for a string, date or datetime ``expression`` as JSON text, escaped by MariaDB (``null`` for
	NULL): a value of the rows :func:`read_rows` and :func:`arrays` read."""
	return f"ifnull(json_quote({expression}), {NULL})"


def number(expression: str) -> str:
	"""SQL for a numeric ``expression`` as JSON text (``null`` for NULL): a value of the rows
	:func:`read_rows` and :func:`arrays` read."""
	return f"ifnull({expression}, {NULL})"


def arrays(rows_query: str, columns: list[str], chunk: int | None = None) -> Iterator[list]:
	"""Each row of ``rows_query`` (a SELECT with a unique ``name`` column) as the list of the values
	of ``columns`` (SQL over its rows, aliased ``r``, each made with :func:`text` or
	:func:`number`), in no particular order.

	All in one GROUP_CONCAT of the rows' JSON, or with ``chunk``, in chunks in order of name, the
	first of ``chunk`` rows, the next as many as fill three quarters of MariaDB's max_allowed_packet
	(16 MB by default) at the size of the rows read so far. Text cut at max_allowed_packet is
	read again in chunks, or in halves."""
	row = f"concat('[', concat_ws(',', {', '.join(columns)}), ']')"
	# GROUP_CONCAT is cut at group_concat_max_len too (1 MB by default): lift it for this session
	frappe.db.sql("set session group_concat_max_len = 1073741824")
	if not chunk:
		joined, count = frappe.db.sql(f"select group_concat({row}), count(*) from ({rows_query}) r")[0]
		try:
			yield from json.loads(f"[{joined}]") if count else []
			return
		except ValueError:  # cut at max_allowed_packet: read in chunks below
			chunk = max(1, count // 2)
	packet = frappe.db.sql("select @@max_allowed_packet")[0][0]
	after = ""
	while True:
		joined, last, count = frappe.db.sql(
			f"""select group_concat({row}), max(r.name), count(*)
			from (select * from ({rows_query}) q where q.name > {frappe.db.escape(after)}
				order by q.name limit {chunk}) r"""
		)[0]
		try:
			rows = json.loads(f"[{joined}]") if count else []
		except ValueError:
			if chunk == 1:
				raise
			chunk //= 2
			continue
		yield from rows
		if count < chunk:
			return
		after = last
		chunk = max(1, packet * 3 // 4 * count // len(joined.encode()))


def permitted(doctype: str, fields: list[str]) -> list[str]:
	"""Those of ``fields`` the session user may read: Frappe's field-level permissions, and, as
	``frappe.get_list`` allows them, the optional columns every table has (``_assign``…)."""
	allowed = {*get_permitted_fields(doctype, ignore_virtual=True), *optional_fields}
	return [field for field in fields if field in allowed]


def query(doctype: str, fields: list[str], filters: list) -> str:
	"""The SQL ``frappe.get_list`` would run as the session user, unordered. Conditions are not
	wrapped in IFNULL, so a range of dates uses its index: right for the equalities and ranges the
	reports filter by, not for ``!=`` or ``not in`` on a field that may be empty."""
	return frappe.get_list(
		doctype,
		filters=filters,
		fields=[f"`tab{doctype}`.`{f}`" for f in fields],
		order_by=None,
		ignore_ifnull=True,
		run=0,
	)


def report_filters(filters, doctype: str, names: tuple[str, ...]) -> frappe._dict:
	"""A report's ``filters`` checked before any query: ``from_date`` and ``to_date`` as dates (Frappe
	refuses a value that is not one, naming it), the first not after the second, and each of
	``names`` (fields of ``doctype``) one value, not a list or an object. Raises
	``frappe.ValidationError`` (HTTP 417) with a translated message that says what to fix."""
	filters = frappe._dict(filters or {})
	for key in ("from_date", "to_date"):
		if filters.get(key):
			filters[key] = getdate(filters[key])
	if filters.get("from_date") and filters.get("to_date") and filters.from_date > filters.to_date:
		frappe.throw(_("From Date must be before To Date."), title=_("Invalid Filter"))
	meta = frappe.get_meta(doctype)
	for name in names:
		if isinstance(filters.get(name), list | dict):
			frappe.throw(
				_("Choose one value for the {0} filter.").format(_(meta.get_label(name))),
				title=_("Invalid Filter"),
			)
	return filters
