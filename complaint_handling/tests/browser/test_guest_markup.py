"""What a complainant writes reaches staff as text, never as script. A guest answers the written
restatement of their phoned complaint with markup that would run script, through the status page's
endpoint; the handler and the quality manager then open the complaint's form and its Standard print
view in the desk, and nothing of it runs. Screenshots go to ``$CH_BROWSER_SHOTS``.
"""

import frappe

from complaint_handling.tests.browser.desk import DeskTestCase
from complaint_handling.tests.browser.desk import setUpModule as require_browser
from complaint_handling.tests.browser.test_public_form import restated_complaint
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.http.test_http_public import reset_rate_limits

# each part sets a flag in the page if it runs
MARKUP = (
	'It arrived frozen. <img src=x onerror="window.__ch_markup=1">'
	'<script>window.__ch_markup=2</script><svg onload="window.__ch_markup=3"></svg>'
)


def setUpModule():
	require_browser()


def tearDownModule():
	h.release()


class TestGuestMarkup(DeskTestCase):
	shot_prefix = "markup-"

	def test_a_correction_with_markup_runs_no_script_in_the_desk(self):
		reset_rate_limits()
		name, token = restated_complaint("markup")
		r = h.client("guest").call(
			"complaint_handling.channels.status.answer_restatement",
			confirms="0",
			correction=MARKUP,
			token=token,
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		frappe.db.rollback()
		stored = frappe.db.get_value("Complaint", name, "restatement_correction")
		self.assertIn("It arrived frozen.", stored)
		self.assertNotIn("onerror", stored)
		self.assertNotIn("<script", stored)

		for persona in ("handler", "qm"):
			page = self.open_as(persona)
			self.open_form(page, "complaint", name)
			self.assertIn("It arrived frozen.", page.inner_text("[data-fieldname=restatement_correction]"))
			self.shot(page, f"{persona}-form")
			self.assertIsNone(page.evaluate("window.__ch_markup"), persona)
			page.goto(f"{self.base}/printview?doctype=Complaint&name={name}&format=Standard")
			page.wait_for_selector(".print-format", timeout=30000)
			self.assertIn("It arrived frozen.", page.inner_text(".print-format"))
			self.assertIsNone(page.evaluate("window.__ch_markup"), f"{persona}, print view")
			self.assertEqual(self.script_errors(page), [])
