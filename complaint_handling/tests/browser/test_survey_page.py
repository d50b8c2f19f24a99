"""The satisfaction survey's page in a browser (issue 14, part 7): the complainant opens the one-time
link from the survey email (``/complaint-survey#t=…``) in Chinese, switches to English, answers,
and the link then works no more; a page opened without the link says where to find it.
Screenshots go to ``$CH_BROWSER_SHOTS``.
"""

import frappe

from complaint_handling.channels import survey
from complaint_handling.rules import satisfaction
from complaint_handling.tests.browser.desk import WAIT, BrowserTestCase
from complaint_handling.tests.browser.desk import setUpModule as require_browser
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.http.test_http_public import reset_rate_limits
from complaint_handling.tests.http.test_http_survey import remove_survey, send_survey

sent: dict = {}


def setUpModule():
	require_browser()
	sent.update(send_survey("survey page"))


def tearDownModule():
	remove_survey(sent)
	h.release()


class TestSurveyPage(BrowserTestCase):
	viewport = (1000, 900)
	shot_prefix = "survey-"

	def setUp(self):
		reset_rate_limits()

	def test_the_complainant_answers_once_from_the_emailed_link(self):
		page = self.new_page("zh-CN")
		page.goto(f"{self.base}/complaint-survey?_lang=zh#t={sent['token']}")
		page.wait_for_selector("#ch-survey:not([hidden])", timeout=WAIT)
		self.assertEqual(page.inner_text("[data-reference]").strip(), sent["complaint"])
		self.assertIn("满意", page.inner_text("h1"))
		self.assertEqual(page.locator("#ch-s-choices input[type=radio]").count(), len(satisfaction.ANSWERS))
		self.shot(page, "zh-1-question")

		# switching language keeps the link's token (it lives after "#")
		page.click(".ch-languages a[lang=en]")
		page.wait_for_selector("#ch-survey:not([hidden])", timeout=WAIT)
		self.assertIn("How Satisfied", page.inner_text("h1"))
		page.check(f"#ch-s-choices input[value='{satisfaction.PARTLY}']")
		page.fill("#ch-comment", "Solved, but it took three calls.")
		page.click("#ch-survey button[type=submit]")
		page.wait_for_selector("#ch-notice:not([hidden])", timeout=WAIT)
		self.assertTrue(page.is_hidden("#ch-survey"))
		self.shot(page, "en-2-answered")
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value(survey.RESPONSE, sent["response"], ["status", "satisfaction", "comment"]),
			(survey.ANSWERED, satisfaction.PARTLY, "Solved, but it took three calls."),
		)

		# the link worked once: opened again it is refused, and the form stays hidden
		page.reload()
		page.wait_for_selector("#ch-error:not([hidden])", timeout=WAIT)
		self.assertTrue(page.is_hidden("#ch-survey"))
		# in the page's language, not the browser's
		self.assertIn("No complaint matches", page.inner_text("#ch-error"))
		self.shot(page, "en-3-link-used")
		self.assertEqual(page.page_errors, [])

	def test_without_the_link_the_page_says_where_to_find_it(self):
		page = self.new_page("en-US")
		page.goto(f"{self.base}/complaint-survey")
		page.wait_for_selector("#ch-error:not([hidden])", timeout=WAIT)
		self.assertIn("private link", page.inner_text("#ch-error"))
		self.assertTrue(page.is_hidden("#ch-survey"))
		self.assertEqual(page.page_errors, [])
