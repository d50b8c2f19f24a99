"""The app's letters are the admin's (README "Configure"): a System Manager edits one in the desk's
Print Format form and the letter printed for a complaint follows; seeding again keeps the edit."""

import secrets

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import defaults
from complaint_handling.setup.install import seed_print_formats
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import SYSTEM_MANAGER_USER


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


class TestLettersAreTheAdmins(FrappeTestCase):
	def test_a_system_manager_edits_a_letter_in_the_desk_and_the_letter_follows(self):
		name, complaint = defaults.ACKNOWLEDGEMENT, h.fixtures().docs["Complaint"]
		original = frappe.db.get_value("Print Format", name, "html")
		admin = h.Client("system manager", SYSTEM_MANAGER_USER)
		r = admin.get("/api/method/frappe.desk.form.load.getdoc", {"doctype": "Print Format", "name": name})
		doc = h.payload(r)["docs"][0]
		self.assertIn("{{", doc["html"], "the form opens with the letter's Jinja")
		marker = f"Our reference desk {secrets.token_hex(4)}"
		doc["html"] = f"<p>{marker}</p>\n{doc['html']}"
		try:
			r = admin.call("frappe.desk.form.save.savedocs", doc=doc, action="Save")
			self.assertEqual(r.status_code, 200, h.body(r)[:300])
			seed_print_formats()
			frappe.db.commit()
			r = h.client("intake").get(
				"/printview",
				{"doctype": "Complaint", "name": complaint, "format": name, "no_letterhead": 1},
				headers={"Accept": "text/html"},
			)
			self.assertEqual(r.status_code, 200, h.body(r)[:300])
			self.assertIn(marker, r.text)
		finally:
			frappe.db.set_value("Print Format", name, "html", original)
			frappe.db.commit()

	def test_every_print_format_of_the_app_is_editable(self):
		for name, doctype in defaults.PRINT_FORMATS.items():
			values = frappe.db.get_value("Print Format", name, ["standard", "doc_type", "html"], as_dict=True)
			self.assertEqual((values.standard, values.doc_type), ("No", doctype), name)
			self.assertTrue(values.html, name)
