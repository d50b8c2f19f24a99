"""Many rows of a DocType for a report, read with ``frappe.get_list``'s permissions, one JSON array
a row.

PyMySQL parses every value of a result in Python and Frappe parses every datetime again: a register
of a hundred thousand complaints of twenty-odd columns spent seconds there (issue 14's benchmark).
Here ``frappe.get_list`` still builds each query, with the reader's permission conditions and only
the fields the reader may read (its field-level check, applied before the query is built), and
MariaDB returns each row as one JSON array that the standard library's C parser reads.
"""

import json
from operator import itemgetter
from typing import NamedTuple

import frappe
from frappe.model import get_permitted_fields


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
) -> list[frappe._dict]:
	"""The rows of ``doctype`` matching ``filters`` (``frappe.get_list`` filters) that the session
	user may read, each a dict of the ``fields`` they may read (the others are left out), sorted by
	the values of ``sort_by`` (fields read), in ``descending`` order or not. Each ``lookups`` key is added to the
	row from the linked document, None where the reader may not read it.

	Values come back as JSON gives them: datetimes as strings (``YYYY-MM-DD HH:MM:SS.ffffff``, system
	time zone), decimals as floats, checks as ints. Raises ``frappe.PermissionError`` as
	``frappe.get_list`` does for a reader who may not read ``doctype`` or a looked-up DocType."""
	fields = permitted(doctype, fields)
	columns = [f"t.`{field}`" for field in fields]
	joins = []
	for i, lookup in enumerate((lookups or {}).values()):
		if lookup.link_field not in fields or not permitted(lookup.doctype, [lookup.fieldname]):
			columns.append("null")
			continue
		joins.append(f"left join ({query(lookup.doctype, ['name', lookup.fieldname], [])}) l{i}")
		joins[-1] += f" on l{i}.`name` = t.`{lookup.link_field}`"
		columns.append(f"l{i}.`{lookup.fieldname}`")
	keys = [*fields, *(lookups or {})]
	result = frappe.db.sql(
		f"""select json_array({", ".join(columns)})
		from ({query(doctype, fields, filters)}) t {" ".join(joins)}"""
	)
	rows = [frappe._dict(zip(keys, json.loads(row), strict=True)) for (row,) in result]
	# sorted here: MariaDB would sort the JSON of every row on disk (a filesort) first
	rows.sort(key=itemgetter(*sort_by), reverse=descending)
	return rows


def permitted(doctype: str, fields: list[str]) -> list[str]:
	"""Those of ``fields`` the session user may read (Frappe's field-level permissions)."""
	allowed = set(get_permitted_fields(doctype, ignore_virtual=True))
	return [field for field in fields if field in allowed]


def query(doctype: str, fields: list[str], filters: list) -> str:
	"""The SQL ``frappe.get_list`` would run as the session user, unordered."""
	return frappe.get_list(
		doctype, filters=filters, fields=[f"`tab{doctype}`.`{f}`" for f in fields], order_by=None, run=0
	)
