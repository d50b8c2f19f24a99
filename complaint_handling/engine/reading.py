"""Many rows of a DocType for a report, read with ``frappe.get_list``'s permissions, as JSON.

PyMySQL parses every value of a result in Python and Frappe parses every datetime again: a register
of a hundred thousand complaints of twenty-odd columns spent seconds there (issue 14's benchmark).
Here ``frappe.get_list`` still builds each query, with the reader's permission conditions and only
the fields the reader may read (its field-level check, applied before the query is built), and
MariaDB returns JSON that the standard library's C parser reads: one array a row for wide rows
(:func:`read_rows`), or all the rows' arrays aggregated into one value for narrow ones
(:func:`arrays`). Aggregating without GROUP BY streams; a grouped aggregate sorts every row first
and costs more than the reading it saves.
"""

import json
from collections.abc import Iterator
from operator import itemgetter
from typing import NamedTuple

import frappe
from frappe import _
from frappe.model import get_permitted_fields, optional_fields
from frappe.utils import getdate


class Lookup(NamedTuple):
	"""A value read from the document a Link field names, with that DocType's own permissions."""

	link_field: str
	doctype: str
	fieldname: str


def read_rows(
	doctype: str,
	fields: list[str],
	filters: list,
	sort_by: tuple[str, ...],
	descending: bool = False,
	lookups: dict[str, Lookup] | None = None,
	parsed: tuple[str, ...] = (),
) -> list[frappe._dict]:
	"""The rows of ``doctype`` matching ``filters`` (``frappe.get_list`` filters) that the session
	user may read, each a dict of the ``fields`` they may read (the others are left out), sorted by
	the values of ``sort_by`` (fields read), in ``descending`` order or not. Each ``lookups`` key is
	added to the row from the linked document, None where the reader may not read it. The
	``parsed`` fields hold JSON text (``_assign``) and come back parsed (None if it is not JSON).

	Values come back as JSON gives them: datetimes as strings (``YYYY-MM-DD HH:MM:SS.ffffff``, system
	time zone), decimals as floats, checks as ints. Raises ``frappe.PermissionError`` as
	``frappe.get_list`` does for a reader who may not read ``doctype`` or a looked-up DocType."""
	fields = permitted(doctype, fields)
	columns = [f"json_extract(t.`{f}`, '$')" if f in parsed else f"t.`{f}`" for f in fields]
	joins = []
	for i, lookup in enumerate((lookups or {}).values()):
		if lookup.link_field not in fields or not permitted(lookup.doctype, [lookup.fieldname]):
			columns.append("null")
			continue
		joins.append(f"left join ({query(lookup.doctype, ['name', lookup.fieldname], [])}) l{i}")
		joins[-1] += f" on l{i}.`name` = t.`{lookup.link_field}`"
		columns.append(f"l{i}.`{lookup.fieldname}`")
	keys = [*fields, *(lookups or {})]
	# one JSON array a row: an aggregate of such wide rows must be read in chunks, which costs more
	result = frappe.db.sql(
		f"select json_array({', '.join(columns)}) from ({query(doctype, fields, filters)}) t {' '.join(joins)}"
	)
	rows = [frappe._dict(zip(keys, json.loads(row), strict=True)) for (row,) in result]
	# sorted here: MariaDB would sort every row's columns on disk (a filesort) first
	rows.sort(key=itemgetter(*sort_by), reverse=descending)
	return rows


def text(expression: str) -> str:
	"""SQL for a string, date or datetime ``expression`` as JSON text, escaped by MariaDB (``null`` for
	NULL): a column of :func:`arrays`."""
	return f"ifnull(json_quote({expression}), 'null')"


def number(expression: str) -> str:
	"""SQL for a numeric ``expression`` as JSON text (``null`` for NULL): a column of :func:`arrays`."""
	return f"ifnull({expression}, 'null')"


def arrays(rows_query: str, columns: list[str], chunk: int | None = None) -> Iterator[list]:
	"""Each row of ``rows_query`` (a SELECT with a unique ``name`` column) as the list of the values
	of ``columns`` (SQL over its rows, aliased ``r``, each made with :func:`text` or :func:`number`),
	in no particular order.

	All in one GROUP_CONCAT of the rows' JSON, or with ``chunk``, one query per ``chunk`` rows in
	order of name: each query's text must stay under MariaDB's max_allowed_packet (16 MB by
	default), and one that is cut is read again in halves. The rows' JSON is put together with
	CONCAT: MariaDB's JSON_ARRAY and JSON_ARRAYAGG took three times as long."""
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
