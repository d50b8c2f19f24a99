"""README's permission matrix, probed over HTTP: one test per DocType row x persona.

The table is parsed when this module is imported, so a row or a role column added to README.md
adds its tests. Only read access is probed here: GET /api/resource/<DocType> (list, filtered to
the fixture) and GET /api/resource/<DocType>/<name>. A persona without read must get 403/404 (or
an empty list); a persona with read gets 200 and the fixture document. "(own)" cells mean: only
the persona attached to the fixture case (the investigator of its investigation, the panel member
of its appeal) reads it.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.tests.http import harness as h


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


class TestPermissionMatrixOverHTTP(FrappeTestCase):
	def check(self, label: str, column: str, persona: str):
		fx = h.fixtures()
		doctype = h.doctype_of_row(label)
		name = fx.doc_for_row(label)
		expected = bool(column) and h.expected_read(label, column, persona)
		c = h.client(persona)
		single = frappe.get_meta(doctype).issingle
		who = f"{persona} ({column or 'no complaint role'}) on {label}"

		if expected and not name:
			self.fail(f"{who}: read expected but there is no fixture document (DocType missing?)")
		problems = []
		if name:
			r = c.resource(doctype, name)
			if expected and (r.status_code != 200 or (h.data_of(r) or {}).get("name") != name):
				problems.append(f"GET {doctype}/{name}: {r.status_code} {h.body(r)[:200]}")
			if not expected and r.status_code not in (403, 404):
				problems.append(f"GET {doctype}/{name}: {r.status_code} (expected 403/404)")
		if not single:
			filters = [[doctype, "name", "=", name]] if name else []
			r = c.resource_list(doctype, fields=["name"], filters=filters, limit_page_length=5)
			names = [row.get("name") for row in (h.data_of(r) or []) if isinstance(row, dict)]
			if expected and (r.status_code != 200 or name not in names):
				problems.append(f"GET {doctype} (list): {r.status_code} {h.body(r)[:200]}")
			if not expected and r.status_code == 200 and name and name in names:
				problems.append(f"GET {doctype} (list) shows {name}")
			if not expected and r.status_code not in (200, 403, 404):
				problems.append(f"GET {doctype} (list): {r.status_code} (expected 403 or empty)")
		self.assertFalse(
			problems, f"{who}: expected {'read' if expected else 'no read'}; " + "; ".join(problems)
		)


def _make(label, column, persona):
	def test(self):
		self.check(label, column, persona)

	test.__doc__ = f"{persona} / {label}"
	return test


for _label, _column, _persona in h.persona_cases():
	_name = f"test_{h.slug(_label)}__{h.slug(_persona)}"
	setattr(TestPermissionMatrixOverHTTP, _name, _make(_label, _column, _persona))
