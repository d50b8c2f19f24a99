"""The confidentiality of complainants in the desk, in Debian's Chromium driven by Playwright, as
the people who use it: the intake officer types a complainant on a new complaint and finds it
again after a reload; the handler sees the fixture complaint's contacts and its email; the
investigator and the auditor open the same complaint and see neither.

Runs against the HTTP suite's ``frappe serve``, personas and fixtures (``tests/http/harness.py``),
which also removes the complaint made here.
Screenshots go to ``$CH_BROWSER_SHOTS`` (default ``/tmp/ch-browser-shots``). Without Playwright or
Chromium the suite is skipped, saying which is missing (``.ci/run`` installs both).
"""

import os
import shutil
import unittest
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import PASSWORD

CHROMIUM = os.environ.get("CH_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(os.environ.get("CH_BROWSER_SHOTS", "/tmp/ch-browser-shots"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def setUpModule():
	try:
		import playwright.sync_api  # noqa: F401
	except ImportError:
		raise unittest.SkipTest(
			"Playwright for Python is not installed: the browser suite did not run"
		) from None
	if not shutil.which(CHROMIUM):
		raise unittest.SkipTest(f"Chromium is not at {CHROMIUM}: the browser suite did not run")


def tearDownModule():
	h.release()


class DeskTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from playwright.sync_api import sync_playwright

		cls.fx = h.fixtures()
		cls.base = h.server().base
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
		SHOTS.mkdir(parents=True, exist_ok=True)

	@classmethod
	def tearDownClass(cls):
		cls.browser.close()
		cls.playwright.stop()
		super().tearDownClass()

	def open_as(self, persona: str):
		"""A new browser context logged in through the login page as ``persona``."""
		context = self.browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")
		page = context.new_page()
		page.page_errors, page.frappe_refusals = [], 0
		page.on("pageerror", lambda error: page.page_errors.append(error.message))
		page.on("response", lambda response: count_frappe_refusal(page, response))
		page.goto(f"{self.base}/login")
		page.fill("#login_email", h.PERSONAS[persona].email)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url("**/app**", timeout=60_000)
		self.addCleanup(context.close)
		return page

	def open_form(self, page, doctype_route: str, name: str):
		page.goto(f"{self.base}/app/{doctype_route}/{name}")
		page.wait_for_function(
			"(name) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === name", arg=name, timeout=60_000
		)
		page.wait_for_timeout(1500)  # timeline and docinfo render after the form

	def shot(self, page, name: str) -> None:
		page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

	def error_dialogs(self, page) -> list[str]:
		return page.locator(".modal.show .msgprint").all_inner_texts()

	def script_errors(self, page) -> list[str]:
		"""Page errors, less the unhandled rejections of Frappe's own desk requests that a role may
		not make (the desk asks every user for Workspace Settings; a non-manager gets 403)."""
		errors = list(page.page_errors)
		for _refusal in range(page.frappe_refusals):
			if "Object" in errors:
				errors.remove("Object")
		return errors

	def field_value(self, page, fieldname: str) -> str:
		return page.evaluate("(f) => cur_frm.doc[f] || ''", fieldname)


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


def count_frappe_refusal(page, response) -> None:
	if response.status == 403 and "Workspace%20Settings" in response.url:
		page.frappe_refusals += 1
