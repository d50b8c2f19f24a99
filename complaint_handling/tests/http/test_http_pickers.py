"""The Select permissions on Company and Customer (``defaults.PICKERS``; ERPNext lets every desk user
select an Item) and the SLA event list,
over HTTP as each role: the pickers search and link those records and read none of them through
REST, ``frappe.client``, reportview, the form loader or the print view; the other roles get nothing;
only the readers of SLA events find them in search and the report view; hostile search input gets
a 4xx, never a 500."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import defaults
from complaint_handling.tests.http import harness as h

PICKERS = ("intake", "handler", "qm", "auditor", "gm")  # the roles of defaults.PICKERS[Company]
PICKED = ("Company", "Customer")
NAMED = {"Company": "default_currency", "Customer": "tax_id"}  # a field beyond the name
OTHERS = ("investigator", "panel", "website", "guest")  # no role that reads these records
SLA_READERS, SLA_OTHERS = ("qm", "auditor"), ("intake", "handler", "investigator", "panel", "gm", "sales")


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


def records() -> dict[str, str]:
	frappe.db.rollback()
	out = {"Company": h.fixtures().company}
	if customer := frappe.db.get_value("Customer", {}, "name", order_by="creation asc"):
		out["Customer"] = customer
	return out


class TestPickersOverHttp(FrappeTestCase):
	def test_the_roles_match_the_policy(self):
		roles = {h.PERSONAS[p].roles[0] for p in PICKERS}
		for doctype in PICKED:
			self.assertEqual(roles, set(defaults.PICKERS[doctype]), doctype)

	def test_pickers_search_and_link_but_read_no_record(self):
		for persona in PICKERS:
			c = h.client(persona)
			for doctype, name in records().items():
				with self.subTest(persona=persona, doctype=doctype):
					found = c.call("frappe.desk.search.search_link", doctype=doctype, txt=name)
					self.assertEqual(found.status_code, 200, h.body(found)[:300])
					self.assertIn(name, [r["value"] for r in h.data_of(found)])
					linked = c.call("frappe.client.validate_link", doctype=doctype, docname=name)
					self.assertEqual(linked.status_code, 200, h.body(linked)[:300])
					for response in self.reads(c, doctype, name):
						self.assertIn(response.status_code, (403, 404), h.body(response)[:300])
					self.names_only(c, doctype)

	def test_roles_without_a_picker_get_nothing(self):
		for persona in OTHERS:
			c = h.client(persona)
			for doctype, name in records().items():
				with self.subTest(persona=persona, doctype=doctype):
					found = c.call("frappe.desk.search.search_link", doctype=doctype, txt=name)
					self.assertNotIn(name, h.body(found) if found.status_code == 200 else "")
					for response in self.reads(c, doctype, name):
						self.assertIn(response.status_code, (401, 403, 404), h.body(response)[:300])
					self.names_only(c, doctype)

	def reads(self, c, doctype: str, name: str) -> list:
		"""The ways to read a record: each must be refused. (The report view answers a Select
		permission with the names alone, as the search does: :meth:`names_only`.)"""
		return [
			c.resource(doctype, name),
			c.call("frappe.client.get", doctype=doctype, name=name),
			c.call("frappe.client.get_value", doctype=doctype, filters=name, fieldname=NAMED[doctype]),
			c.get("/api/method/frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
			c.get("/printview", {"doctype": doctype, "name": name}),
		]

	def names_only(self, c, doctype: str):
		r = c.call("frappe.desk.reportview.get", doctype=doctype, fields=["name", NAMED[doctype]])
		if r.status_code == 200:
			self.assertEqual(h.data_of(r)["keys"], ["name"], h.body(r)[:300])
		else:
			self.assertIn(r.status_code, (401, 403), h.body(r)[:300])

	def test_hostile_searches_get_a_4xx_or_nothing(self):
		c = h.client("intake")
		for label, kwargs in (
			("a huge text", {"doctype": "Customer", "txt": "x" * 100_000}),
			("no such DocType", {"doctype": "No Such DocType", "txt": ""}),
			("a DocType given as a list", {"doctype": ["Customer"], "txt": ""}),
			("a page length that is not a number", {"doctype": "Company", "txt": "", "page_length": "abc"}),
		):
			with self.subTest(label):
				r = c.call("frappe.desk.search.search_link", **kwargs)
				self.assertLess(r.status_code, 500, h.body(r)[:300])
				if r.status_code == 200:
					self.assertEqual(h.data_of(r), [])


class TestSlaEventsOverHttp(FrappeTestCase):
	def test_only_their_readers_find_sla_events(self):
		frappe.db.rollback()
		event = frappe.db.get_value("Complaint SLA Event", {}, "name")
		if not event:
			self.skipTest("no SLA event on this site")
		for persona in (*SLA_READERS, *SLA_OTHERS):
			c = h.client(persona)
			with self.subTest(persona=persona):
				listed = c.call(
					"frappe.desk.reportview.get",
					doctype="Complaint SLA Event",
					fields=["name"],
					page_length=1,
				)
				found = c.call("frappe.desk.search.search_link", doctype="Complaint SLA Event", txt="")
				if persona in SLA_READERS:
					self.assertEqual(listed.status_code, 200, h.body(listed)[:300])
					self.assertEqual(found.status_code, 200, h.body(found)[:300])
					self.assertTrue(h.data_of(found))
				else:
					self.assertEqual(listed.status_code, 403, h.body(listed)[:300])
					self.assertFalse(found.status_code == 200 and h.data_of(found))
