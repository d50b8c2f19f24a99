"""What the browser tests share: Debian's Chromium driven by Playwright, logged in through the login
page against the HTTP suite's ``frappe serve`` (``tests/http/harness.py``: server, personas,
fixtures, purge), and the desk's own controls found by selector and translated label, so a test
reads the same in English and in Chinese.

Screenshots go to ``$CH_BROWSER_SHOTS`` (default ``/tmp/ch-browser-shots``). Without Playwright or
Chromium the suites are skipped, saying which is missing (``.ci/run`` installs both).
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
WAIT = 60_000  # ms: a first page of a role builds its assets and boot


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


class BrowserTestCase(FrappeTestCase):
	"""One Chromium for the class against the HTTP suite's server; pages that record their script
	errors; screenshots named ``shot_prefix`` + name."""

	viewport = (1200, 1400)  # width, height
	shot_prefix = ""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from playwright.sync_api import sync_playwright

		cls.base = h.server().base
		cls.playwright = sync_playwright().start()
		cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
		SHOTS.mkdir(parents=True, exist_ok=True)

	@classmethod
	def tearDownClass(cls):
		cls.browser.close()
		cls.playwright.stop()
		super().tearDownClass()

	def new_page(self, locale: str = "en-US"):
		"""A page in a new browser context (no session) in ``locale``; its script errors collect
		in ``page.page_errors``."""
		width, height = self.viewport
		context = self.browser.new_context(viewport={"width": width, "height": height}, locale=locale)
		self.addCleanup(context.close)
		page = context.new_page()
		page.page_errors = []
		page.on("pageerror", lambda error: page.page_errors.append(error.message))
		return page

	def shot(self, page, name: str) -> None:
		page.screenshot(path=str(SHOTS / f"{self.shot_prefix}{name}.png"), full_page=True)


class DeskTestCase(BrowserTestCase):
	viewport = (1400, 1600)

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fx = h.fixtures()
		# Frappe asks every desk user on a workspace to finish the workspace setup, which only a
		# System Manager may read, until one has (a fresh test site's administrator never did):
		# the others get a "Not permitted" dialog. Frappe's own UI tests set it done, and so here.
		cls.workspace_setup = frappe.db.get_single_value("Workspace Settings", "workspace_setup_completed")
		frappe.db.set_single_value("Workspace Settings", "workspace_setup_completed", 1)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.set_single_value("Workspace Settings", "workspace_setup_completed", cls.workspace_setup)
		frappe.db.commit()
		super().tearDownClass()

	# ---- sessions and pages

	def open_as(self, persona: str):
		"""A new browser context logged in through the login page as ``persona`` (a harness
		persona key, or a user's email)."""
		email = persona if "@" in persona else h.PERSONAS[persona].email
		page = self.new_page()
		page.frappe_refusals = 0
		page.on("response", lambda response: count_frappe_refusal(page, response))
		page.goto(f"{self.base}/login")
		page.fill("#login_email", email)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url("**/app**", timeout=WAIT)
		return page

	def open_form(self, page, doctype_route: str, name: str):
		page.goto(f"{self.base}/app/{doctype_route}/{name}")
		self.wait_for_form(page, name)

	def wait_for_form(self, page, name: str):
		page.wait_for_function(
			"(name) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === name", arg=name, timeout=WAIT
		)
		page.wait_for_timeout(1500)  # timeline and docinfo render after the form

	def land(self, page, shot: str):
		"""Open the Complaints workspace, wait for its number cards, screenshot it."""
		page.goto(f"{self.base}/app/complaints")
		page.wait_for_function(
			"document.querySelectorAll('.number-widget-box .widget-content .number').length > 0",
			timeout=WAIT,
		)
		page.wait_for_timeout(1000)
		self.shot(page, shot)
		self.assertEqual(self.error_dialogs(page), [])

	def new_form(self, page, doctype_route: str):
		page.goto(f"{self.base}/app/{doctype_route}/new")
		page.wait_for_function("window.cur_frm && cur_frm.doc && cur_frm.doc.__islocal", timeout=WAIT)

	def set_values(self, page, values: dict):
		page.evaluate(
			"""async (v) => {
				for (const [field, value] of Object.entries(v)) await cur_frm.set_value(field, value);
			}""",
			values,
		)

	def save(self, page) -> str:
		"""Ctrl+S, as a user saves; returns the saved document's name."""
		page.wait_for_timeout(300)  # let the last value's triggers settle
		page.keyboard.press("Control+s")
		page.wait_for_function(
			"window.cur_frm && !cur_frm.doc.__islocal && !cur_frm.is_dirty() && !cur_frm.save_disabled",
			timeout=WAIT,
		)
		page.wait_for_timeout(800)
		return page.evaluate("cur_frm.doc.name")

	# ---- the desk's controls, by selector and translated label

	def translate(self, page, text: str) -> str:
		return page.evaluate("(t) => __(t)", text)

	def workflow_action(self, page, action: str, until: dict):
		"""Click ``action`` under the form's Actions button and wait until the form's document has
		the values ``until`` (e.g. ``{"status": "Registered"}``)."""
		label = self.translate(page, action)
		menu = page.locator(".page-actions:visible .actions-btn-group")
		item = menu.locator("li.user-action a.dropdown-item").filter(has=page.get_by_text(label, exact=True))
		item.wait_for(state="attached", timeout=WAIT)
		menu.locator("> button").click()
		item.click()
		self.wait_for_doc(page, until)

	def workflow_actions(self, page) -> list[str]:
		"""The labels under the Actions button (workflow actions only, not Help)."""
		return [
			t.strip()
			for t in page.locator(
				".page-actions:visible .actions-btn-group li.user-action a.dropdown-item"
			).all_inner_texts()
		]

	def group_item(self, page, group: str, label: str | None = None, starts_with: str | None = None):
		"""Open the custom button group ``group`` (e.g. "Create") and click its item ``label`` (or
		the first whose text starts with ``starts_with``, a format whose text before ``{0}`` counts);
		both are translated first."""
		encoded = page.evaluate("(g) => encodeURIComponent(__(g))", group)
		button_group = page.locator(f'.page-actions:visible .inner-group-button[data-label="{encoded}"]')
		button_group.wait_for(state="visible", timeout=WAIT)
		button_group.locator("> button").click()
		items = button_group.locator(".dropdown-item")
		if label is not None:
			item = items.filter(has_text=self.translate(page, label)).first
		else:
			prefix = self.translate(page, starts_with).split("{0}")[0]
			texts = [t.strip() for t in items.all_inner_texts()]
			index = next(i for i, text in enumerate(texts) if text.startswith(prefix))
			item = items.nth(index)
		item.click()

	def custom_button(self, page, label: str):
		encoded = page.evaluate("(l) => encodeURIComponent(__(l))", label)
		return page.locator(f'.page-actions:visible .custom-actions button[data-label="{encoded}"]')

	def wait_for_doc(self, page, values: dict):
		page.wait_for_function(
			"""(v) => window.cur_frm && cur_frm.doc && !cur_frm.is_dirty()
				&& Object.entries(v).every(([k, x]) => cur_frm.doc[k] === x)""",
			arg=values,
			timeout=WAIT,
		)
		page.wait_for_timeout(1000)  # the refresh after the action

	# ---- what the page shows

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

	def assert_clean(self, page):
		"""No error dialog and no script error on ``page``."""
		self.assertEqual(self.error_dialogs(page), [])
		self.assertEqual(self.script_errors(page), [])

	def field_value(self, page, fieldname: str) -> str:
		return page.evaluate("(f) => cur_frm.doc[f] || ''", fieldname)


def count_frappe_refusal(page, response) -> None:
	if response.status == 403 and "Workspace%20Settings" in response.url:
		page.frappe_refusals += 1


def fresh(doctype: str, name: str, field: str):
	"""``field`` of a record as the server committed it."""
	return h.fresh_value(doctype, name, field)
