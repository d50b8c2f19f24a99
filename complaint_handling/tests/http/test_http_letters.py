"""The app's letters are the admin's (README "Configure"): a System Manager edits one in the desk's
Print Format form and the letter printed for a complaint follows; seeding again keeps the edit."""

import secrets

import frappe
from frappe.core.doctype.communication.email import make as make_communication
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


class TestTheLettersLink(FrappeTestCase):
	"""A letter's "View this in your browser" link carries the complaint's share key: it opens to a
	guest the app's letters that were emailed for the complaint, never another print format nor a
	letter not sent (``security/print_keys``)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.complaint = h.fixtures().new_complaint("letter link", status="Pending Approval")
		make_communication(
			doctype="Complaint",
			name=cls.complaint,
			subject="We have received your complaint",
			content="Please find our acknowledgement attached.",
			recipients=["letter-link@example.org"],
			send_email=True,
			print_format=defaults.ACKNOWLEDGEMENT,
		)
		cls.key = frappe.get_doc("Complaint", cls.complaint).get_document_share_key()
		frappe.db.commit()

	def view(self, persona: str, fmt, how: str = "printview", key=None, **extra):
		c = h.client(persona)
		args = {"format": fmt, "key": key, "no_letterhead": 1, **extra}
		if how == "path":
			return c.get(f"/Complaint/{self.complaint}", args, headers={"Accept": "text/html"})
		if how == "pdf":
			return c.get(
				"/api/method/frappe.utils.print_format.download_pdf",
				{"doctype": "Complaint", "name": self.complaint, **args},
			)
		return c.get(
			"/printview",
			{"doctype": "Complaint", "name": self.complaint, **args},
			headers={"Accept": "text/html"},
		)

	def test_the_key_opens_nothing_but_the_letters_sent(self):
		# the reply letter of a complaint pending approval is a draft: it was not sent
		for how in ("printview", "path", "pdf"):
			for print_format in ("Standard", defaults.INVESTIGATION_REPORT, defaults.REPLY_LETTER, None):
				r = self.view("guest", print_format, how, self.key)
				self.assertEqual(r.status_code, 403, f"{how} {print_format}: {r.text[:300]}")
		# the path names the record, whatever the arguments say, read as Frappe's router reads it
		r = self.view("guest", "Standard", "path", self.key, doctype="User", name="Administrator")
		self.assertEqual(r.status_code, 403, r.text[:300])
		c = h.client("guest")
		for path in (
			f"/Complaint/{self.complaint}.html",
			f"/%20Complaint/{self.complaint}",
			f"/Complaint%20/{self.complaint}",
		):
			r = c.get(path, {"format": "Standard", "key": self.key}, headers={"Accept": "text/html"})
			self.assertEqual(r.status_code, 403, f"{path}: {r.text[:300]}")
		# an empty format is Standard to the print view, whatever print_format names
		r = self.view("guest", "", key=self.key, print_format=defaults.ACKNOWLEDGEMENT)
		self.assertEqual(r.status_code, 403, r.text[:300])
		r = h.client("website").call(
			"frappe.www.printview.get_html_and_style",
			doc="Complaint",
			name=self.complaint,
			print_format="Standard",
			key=self.key,
		)
		self.assertEqual(r.status_code, 403, r.text[:300])

	def test_control_the_key_opens_the_letter_sent_and_staff_print_any_format(self):
		r = self.view("guest", defaults.ACKNOWLEDGEMENT, key=self.key)
		self.assertEqual(r.status_code, 200, r.text[:300])
		self.assertIn(self.complaint, r.text)
		r = self.view("handler", "Standard")
		self.assertEqual(r.status_code, 200, r.text[:300])
