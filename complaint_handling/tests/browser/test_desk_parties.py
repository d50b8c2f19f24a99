"""The confidentiality of complainants in the desk, in Debian's Chromium driven by Playwright, as
the people who use it: the intake officer types a complainant on a new complaint and finds it
again after a reload; the handler sees the fixture complaint's contacts and its email; the
investigator and the auditor open the same complaint and see neither.

Runs against the HTTP suite's ``frappe serve``, personas and fixtures (``tests/http/harness.py``),
which also removes the complaint made here.
Screenshots go to ``$CH_BROWSER_SHOTS`` (default ``/tmp/ch-browser-shots``). Without Playwright or
Chromium the suite is skipped, saying which is missing (``.ci/run`` installs both).
"""

import frappe

from complaint_handling.tests.browser.desk import (  # noqa: F401 (unittest's module fixtures)
	DeskTestCase,
	setUpModule,
	tearDownModule,
)
from complaint_handling.tests.http import harness as h


class TestComplainantInTheDesk(DeskTestCase):
	def test_intake_officer_records_a_complainant_who_stays_after_a_reload(self):
		page = self.open_as("intake")
		page.goto(f"{self.base}/app/complaint/new")
		page.wait_for_function("window.cur_frm && cur_frm.doc && cur_frm.doc.__islocal", timeout=60_000)
		token = f"desk-{frappe.generate_hash(length=8)}"
		page.evaluate(
			"""async (v) => {
				for (const [field, value] of Object.entries(v)) await cur_frm.set_value(field, value);
			}""",
			{
				"subject": f"{h.TAG} browser {token}",
				"channel": "Phone",
				"complaint_category": self.fx.category,
				"severity": self.fx.severity,
				"description": "<p>Seal broken on arrival.</p>",
				"complainant_name": "李雷",
				"complainant_email": f"{token}@example.org",
				"complainant_phone": "+86 21 5555 0102",
			},
		)
		page.keyboard.press("Control+s")
		page.wait_for_function(
			"window.cur_frm && !cur_frm.doc.__islocal && !cur_frm.is_dirty()", timeout=60_000
		)
		name = page.evaluate("cur_frm.doc.name")
		page.reload()
		self.open_form(page, "complaint", name)
		self.shot(page, "intake-complaint-after-reload")

		self.assertEqual(self.field_value(page, "complainant_name"), "李雷")
		self.assertEqual(self.field_value(page, "complainant_email"), f"{token}@example.org")
		self.assertEqual(self.error_dialogs(page), [])
		self.assertEqual(self.script_errors(page), [])
		frappe.db.rollback()  # see what the server committed
		party = frappe.db.get_value("Complaint", name, "complainant")
		self.assertEqual(frappe.db.get_value("Complainant", party, "email"), f"{token}@example.org")
		self.assertFalse(frappe.db.get_value("Complaint", name, "complainant_email"))

	def test_handler_sees_the_contacts_and_the_email(self):
		page = self.open_as("handler")
		self.open_form(page, "complaint", self.fx.docs["Complaint"])
		self.shot(page, "handler-complaint")
		self.assertEqual(self.field_value(page, "complainant_email"), self.fx.complainant["email"])
		self.assertIn(self.fx.complainant["token"], page.content())
		# a reply goes to the complainant, not to the organisation's own address
		page.get_by_role("button", name="New Email").click()
		page.wait_for_selector(".modal.show [data-fieldname='recipients']", timeout=30_000)
		page.wait_for_timeout(800)
		self.shot(page, "handler-new-email")
		recipients = page.locator(".modal.show [data-fieldname='recipients'] input").first.input_value()
		self.assertIn(self.fx.complainant["email"], recipients)

	def test_investigator_and_auditor_see_neither_contacts_nor_emails(self):
		for persona in ("investigator", "auditor"):
			with self.subTest(persona=persona):
				page = self.open_as(persona)
				self.open_form(page, "complaint", self.fx.docs["Complaint"])
				self.shot(page, f"{persona}-complaint")
				self.assertEqual(
					page.evaluate("cur_frm.doc.subject"),
					frappe.db.get_value("Complaint", self.fx.docs["Complaint"], "subject"),
				)
				self.assertNotIn(self.fx.complainant["token"], page.content())
				self.assertEqual(self.error_dialogs(page), [])
				self.assertEqual(self.script_errors(page), [])
