"""Complaint Trends and CAPA Status and Effectiveness over HTTP as each role (issue 14: "the trust
design applies to reports and exports too"): run through ``frappe.desk.query_report.run`` and
exported through ``frappe.desk.query_report.export_query`` as the desk does, neither carries the
complainant's name or any contact, and roles outside the reports' own get neither."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.benchmarks import generator
from complaint_handling.tests.http import harness as h

TRENDS, CAPA = "Complaint Trends", "CAPA Status and Effectiveness"
RANGE = {"from_date": "2000-01-01", "to_date": "2100-01-01"}


GENERATED = "GENH-"  # a few generated complaints with customers, items and complainants of their own


def setUpModule():
	h.fixtures()
	generator.remove(GENERATED)
	generator.generate(count=40, seed=9, prefix=GENERATED)


def tearDownModule():
	generator.remove(GENERATED)
	h.release()


def generated_contacts() -> list[str]:
	return [
		value
		for row in frappe.db.sql(
			"select party_name, email, phone, organisation from `tabComplainant` where name like %s",
			f"{GENERATED}%",
		)
		for value in row
	]


class TestTrendsOverHttp(FrappeTestCase):
	def run_report(self, persona, report, **filters):
		fx = h.fixtures()
		return h.client(persona).call(
			"frappe.desk.query_report.run",
			report_name=report,
			filters={"company": fx.company, **RANGE, **filters},
		)

	def export(self, persona, report, **filters):
		fx = h.fixtures()
		return h.client(persona).call(
			"frappe.desk.query_report.export_query",
			report_name=report,
			file_format_type="CSV",
			filters=json.dumps({"company": fx.company, **RANGE, **filters}),
			visible_idx="[]",
			custom_columns="[]",
		)

	def assert_no_party(self, body: str, where: str):
		fx = h.fixtures()
		for value in (
			fx.complainant["name"],
			fx.complainant["email"],
			fx.complainant["digits"],
			fx.complainant["organisation"],
		):
			self.assertNotIn(value, body, where)
		for value in generated_contacts():
			self.assertNotIn(value, body, where)

	def test_trends_for_the_overseeing_roles_without_the_party(self):
		for persona in ("intake", "handler", "qm", "auditor", "gm"):
			for view in ("Period", "Customer", "Channel"):
				r = self.run_report(persona, TRENDS, view=view, periodicity="Quarter")
				self.assertEqual(r.status_code, 200, f"{persona} {view}: {h.body(r)[:200]}")
				result = h.data_of(r)
				self.assertTrue(result["result"], f"{persona} {view}")
				self.assert_no_party(h.body(r), f"{persona} {view}")
			period = h.data_of(self.run_report(persona, TRENDS))
			# the range's row counts the fixture complaint
			whole = [row for row in period["result"] if isinstance(row, dict) and row.get("bold")]
			self.assertGreaterEqual(whole[0]["complaints"], 1, persona)
			self.assertTrue(period["chart"]["data"]["datasets"], persona)
			self.assertTrue(period["report_summary"], persona)

	def test_capa_report_for_the_roles_that_read_capas_without_the_party(self):
		fx = h.fixtures()
		for persona in ("handler", "qm", "auditor", "gm"):
			for view in ("CAPA", "Action Owner"):
				r = self.run_report(persona, CAPA, view=view)
				self.assertEqual(r.status_code, 200, f"{persona} {view}: {h.body(r)[:200]}")
				self.assert_no_party(h.body(r), f"{persona} {view}")
			self.assertIn(fx.docs["CAPA"], h.body(self.run_report(persona, CAPA)), persona)

	def test_exports_carry_no_party(self):
		fx = h.fixtures()
		for report, view in ((TRENDS, "Customer"), (TRENDS, "Period"), (CAPA, "CAPA")):
			r = self.export("qm", report, view=view)
			self.assertEqual(r.status_code, 200, f"{report}: {h.body(r)[:200]}")
			self.assertIn(".csv", r.headers.get("Content-Disposition", ""), report)
			self.assert_no_party(h.body(r), f"export {report} {view}")
		self.assertIn(fx.docs["CAPA"], h.body(self.export("qm", CAPA, view="CAPA")))
		# exporting is Complaint's and CAPA's export right: the auditor has it, the intake officer
		# and the handler do not
		r = self.export("auditor", TRENDS, view="Customer")
		self.assertEqual(r.status_code, 200, f"auditor: {h.body(r)[:200]}")
		self.assert_no_party(h.body(r), "auditor's export")
		for persona in ("intake", "handler"):
			r = self.export(persona, TRENDS, view="Customer")
			self.assertIn(r.status_code, (403, 417), f"{persona}: {h.body(r)[:200]}")

	def test_the_register_with_customers_and_items_for_every_overseeing_role(self):
		# Frappe's report runner refuses a report whose link column names a DocType the reader may
		# not read; no complaint role reads Customer or Item, and the generated complaints have both
		for persona in ("intake", "handler", "qm", "auditor", "gm"):
			r = self.run_report(persona, "Complaint Register")
			self.assertEqual(r.status_code, 200, f"{persona}: {h.body(r)[:200]}")
			self.assertIn(f"{GENERATED}0000000", h.body(r), persona)
			# the register names the complainant to readers of complainants, but no contact
			fx = h.fixtures()
			contacts = [fx.complainant[k] for k in ("email", "digits", "organisation")]
			contacts += frappe.db.sql_list(
				"select concat_ws('|', email, phone, organisation) from `tabComplainant` where name like %s",
				f"{GENERATED}%",
			)
			for contact in (part for value in contacts for part in value.split("|")):
				self.assertNotIn(contact, h.body(r), persona)

	def test_people_outside_the_reports_roles_get_nothing(self):
		for persona in ("investigator", "panel", "sales", "website", "action-owner"):
			for report in (TRENDS, CAPA):
				r = self.run_report(persona, report)
				self.assertIn(r.status_code, (403, 404), f"{persona} {report}: {h.body(r)[:200]}")
		# intake officers read no CAPA
		r = self.run_report("intake", CAPA)
		self.assertIn(r.status_code, (403, 404), h.body(r)[:200])

	def test_hostile_filters_are_refused_with_a_message_and_others_answer(self):
		register = "Complaint Register"
		refused = {
			"a date that is not one": {"from_date": "not-a-date"},
			"an impossible date": {"to_date": "2026-13-45"},
			"a range backwards": {"from_date": "2026-05-01", "to_date": "2026-01-01"},
			"a list for one value": {"company": ["a", "b"]},
			"an object for one value": {"company": {"like": "%"}},
		}
		for report in (register, TRENDS, CAPA):
			for what, filters in refused.items():
				r = h.client("qm").call(
					"frappe.desk.query_report.run", report_name=report, filters=json.dumps(filters)
				)
				self.assertIsNone(h.refusal_problem(r), f"{report}, {what}")
			# odd but harmless values: an answer, no rows of anything else
			for filters in ({"company": "x" * 10_000}, {"status": "' or 1=1 --"}, {"view": {"a": 1}}):
				r = h.client("qm").call(
					"frappe.desk.query_report.run", report_name=report, filters=json.dumps(filters)
				)
				self.assertEqual(r.status_code, 200, f"{report} {str(filters)[:40]}: {h.body(r)[:200]}")
