"""Issue 13 parts 4 and 7 in Debian's Chromium driven by Playwright: a visitor (Guest) reads the
published complaints process in English and, with a Chinese browser, in Chinese, with the
deadlines of the active SLA policy and the appeal settings; a support agent who may create
complaints escalates an ERPNext Issue from its form and both records show the link.

Runs against the HTTP suite's ``frappe serve`` (``tests/http/harness.py``), whose purge removes the
complaint the persona makes; the Issue, its customer and contact are removed here.
Screenshots go to ``$CH_BROWSER_SHOTS`` (default ``/tmp/ch-browser-shots``).
"""

import frappe

from complaint_handling.channels.process_page import duration, general_policy
from complaint_handling.service_levels.policies import get_policies
from complaint_handling.setup import defaults
from complaint_handling.tests.browser.desk import (  # noqa: F401 (unittest's module fixtures)
	WAIT,
	DeskTestCase,
	setUpModule,
	tearDownModule,
)
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import ensure_user

SUPPORT_AGENT = f"{h.USER_PREFIX}support@example.com"  # purged with the personas' complaints


def expected_periods(lang: str) -> list[str]:
	"""The deadlines of the general policy and the appeal window, as the page words them in ``lang``."""
	frappe.local.lang = lang
	try:
		policy = general_policy(get_policies())
		settings = frappe.get_single("Complaint Settings")
		return [
			duration(policy.acknowledge_within, policy.acknowledge_unit),
			duration(policy.respond_within, policy.respond_unit),
			duration(policy.resolve_within, policy.resolve_unit),
			duration(settings.appeal_window, settings.appeal_window_unit),
		]
	finally:
		frappe.local.lang = "en"


class TestPublishedProcess(DeskTestCase):
	def visit(self, locale: str):
		page = self.new_page(locale)
		page.goto(f"{self.base}/complaints-process")
		page.wait_for_selector("[data-process-page]", timeout=WAIT)
		return page

	def test_guest_reads_the_deadlines_in_english_and_chinese(self):
		for locale, lang, title in (
			("en-US", "en", "Our Complaints Process"),
			("zh-CN", "zh", "我们的投诉处理流程"),
		):
			page = self.visit(locale)
			self.shot(page, f"process-page-{lang}")
			self.assertEqual(page.locator("[data-process-page] h1").inner_text().strip(), title)
			deadlines = " ".join(page.locator("[data-deadline]").all_inner_texts())
			appeal = page.locator("[data-process-appeal]").inner_text()
			*policy, window = expected_periods(lang)
			for period in policy:
				self.assertIn(period, deadlines)
			self.assertIn(window, appeal)
			self.assertEqual(page.locator("[data-process-form-link]").get_attribute("href"), "/complaint")
		# the page switches language as the other public pages do, whatever the browser's
		page.click(".ch-languages a[lang=en]")
		page.wait_for_function(
			"document.querySelector('[data-process-page] h1').innerText.trim() === 'Our Complaints Process'",
			timeout=WAIT,
		)


class TestIssueEscalationInTheDesk(DeskTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_user(SUPPORT_AGENT, ["Support Team", defaults.INTAKE], "HTTP support")
		frappe.db.commit()

	def make_issue(self) -> str:
		token = frappe.generate_hash(length=6)
		customer = frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": f"ch-http Issue Customer {token}",
				"customer_type": "Company",
			}
		).insert(ignore_permissions=True)
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": "Wang",
				"last_name": "Fang",
				"email_ids": [{"email_id": f"wang.fang.{token}@example.org", "is_primary": 1}],
				"links": [{"link_doctype": "Customer", "link_name": customer.name}],
			}
		).insert(ignore_permissions=True)
		issue = frappe.get_doc(
			{
				"doctype": "Issue",
				"subject": f"{h.TAG} calibration certificate missing {token}",
				"description": "<p>The calibration certificate for our balance never arrived.</p>",
				"raised_by": f"wang.fang.{token}@example.org",
				"customer": customer.name,
				"contact": contact.name,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.addCleanup(
			remove, [("Issue", issue.name), ("Contact", contact.name), ("Customer", customer.name)]
		)
		return issue.name

	def test_support_agent_escalates_an_issue_and_both_links_show(self):
		issue = self.make_issue()
		page = self.open_as(SUPPORT_AGENT)
		self.open_form(page, "issue", issue)
		dismiss_support_settings_refusal(page)
		button = self.custom_button(page, "Escalate to Formal Complaint")
		button.wait_for(state="visible", timeout=WAIT)
		self.shot(page, "issue-before-escalation")
		button.click()
		page.locator(".modal.show .btn-primary").click()  # the confirmation
		page.wait_for_function("window.cur_frm && cur_frm.doc.complaint", timeout=WAIT)
		headline = page.locator(".form-message:visible")
		headline.wait_for(timeout=WAIT)
		page.wait_for_timeout(1000)
		dismiss_support_settings_refusal(page)  # the form reloaded
		self.shot(page, "issue-escalated")

		complaint = h.fresh_value("Issue", issue, "complaint")
		self.assertTrue(complaint)
		self.assertEqual(self.field_value(page, "complaint"), complaint)
		self.assertIn(complaint, headline.inner_text())
		self.assertIn("Draft", headline.inner_text())
		self.assertEqual(self.custom_button(page, "Escalate to Formal Complaint").count(), 0)
		self.assert_clean(page)

		self.open_form(page, "complaint", complaint)
		page.locator(".section-head").filter(has_text=self.translate(page, "Product and Reference")).click()
		page.wait_for_timeout(500)
		self.shot(page, "complaint-from-issue")
		self.assertEqual(self.field_value(page, "reference_doctype"), "Issue")
		self.assertEqual(self.field_value(page, "reference_name"), issue)
		self.assertEqual(self.field_value(page, "complainant_name"), "Wang Fang")
		self.assert_clean(page)


def dismiss_support_settings_refusal(page) -> None:
	"""ERPNext's own Issue form reads Support Settings, which only a System Manager may read, so a
	Support Team user gets "No permission for Support Settings" on every Issue (ERPNext 15.33, not
	this app): close that dialog, and only that one."""
	dialog = page.locator(".modal.show .msgprint")
	if dialog.count() and "Support Settings" in dialog.first.inner_text():
		page.locator(".modal.show .btn-modal-close").first.click()
		page.wait_for_selector(".modal.show .msgprint", state="detached", timeout=WAIT)
		page.wait_for_timeout(500)  # the modal's fade


def remove(records) -> None:
	"""Delete what a test committed (after the link to the complaint, which purge removes)."""
	frappe.db.rollback()
	for doctype, name in records:
		frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": name})
		if frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()
