"""The Complaint Register over HTTP as each role (issue 14: "the trust design applies to reports
and exports too"): run through ``frappe.desk.query_report.run`` as the desk does, its rows carry
the complainant's name only to readers of complainants, never a contact, and roles without a
complaint role get no register at all."""

from frappe.tests.utils import FrappeTestCase

from complaint_handling.tests.http import harness as h


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


class TestRegisterOverHttp(FrappeTestCase):
	def run_register(self, persona):
		fx = h.fixtures()
		return h.client(persona).call(
			"frappe.desk.query_report.run",
			report_name="Complaint Register",
			filters={"company": fx.company, "from_date": "2000-01-01", "to_date": "2100-01-01"},
		)

	def test_the_complainant_only_for_readers_of_complainants_and_no_contact_for_anyone(self):
		fx = h.fixtures()
		readers, _others = h.party_readers("Complainant")
		for persona in ("intake", "handler", "qm", "auditor", "gm"):
			r = self.run_register(persona)
			self.assertEqual(r.status_code, 200, f"{persona}: {h.body(r)[:200]}")
			body = h.body(r)
			names = {row.get("name") for row in h.data_of(r)["result"] if isinstance(row, dict)}
			self.assertIn(fx.docs["Complaint"], names, persona)
			self.assertEqual(fx.complainant["name"] in body, persona in readers, persona)
			for contact in (
				fx.complainant["email"],
				fx.complainant["digits"],
				fx.complainant["organisation"],
			):
				self.assertNotIn(contact, body, persona)

	def test_people_without_a_complaint_role_get_no_register(self):
		# investigators and panel members work single cases: the register is not theirs
		for persona in ("investigator", "panel", "sales", "website", "action-owner"):
			r = self.run_register(persona)
			self.assertIn(r.status_code, (403, 404), f"{persona}: {h.body(r)[:200]}")

	def export_register(self, persona):
		fx = h.fixtures()
		return h.client(persona).call(
			"frappe.desk.query_report.export_query",
			report_name="Complaint Register",
			file_format_type="CSV",
			filters={"company": fx.company, "from_date": "2000-01-01", "to_date": "2100-01-01"},
			visible_idx=[],
		)

	def test_the_auditor_and_the_quality_manager_take_the_register_away_without_contacts(self):
		fx = h.fixtures()
		readers, _others = h.party_readers("Complainant")
		for persona in ("auditor", "qm"):
			r = self.export_register(persona)
			self.assertEqual(r.status_code, 200, f"{persona}: {h.body(r)[:300]}")
			self.assertIn("csv", r.headers.get("Content-Disposition", ""), persona)
			text = h.body(r)
			self.assertIn(fx.docs["Complaint"], text, persona)
			self.assertEqual(fx.complainant["name"] in text, persona in readers, persona)
			for contact in (fx.complainant["email"], fx.complainant["digits"]):
				self.assertNotIn(contact, text, persona)

	def test_roles_without_export_take_no_register_away(self):
		for persona in ("investigator", "panel", "website", "handler"):
			r = self.export_register(persona)
			self.assertIn(r.status_code, (403, 404), f"{persona}: {h.body(r)[:200]}")
