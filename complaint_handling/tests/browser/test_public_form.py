"""A Guest, in a browser, files a complaint on the public form (``/complaint``) in English and in
Chinese, receives a reference and a private link, opens the status page from the link, adds
information, and looks the complaint up with its reference and email address (issue 13 parts 1
and 2). Screenshots of each step go to ``$CH_BROWSER_SHOTS``.
"""

import secrets

import frappe

from complaint_handling.tests.browser.desk import WAIT, BrowserTestCase
from complaint_handling.tests.browser.desk import setUpModule as require_browser
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.http.test_http_public import MARK, purge_public, reset_rate_limits

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def setUpModule():
	require_browser()


def tearDownModule():
	purge_public()
	h.release()


def restated_complaint(label: str) -> tuple[str, str]:
	"""A phoned complaint, registered, whose restatement went to the complainant in writing:
	``(name, tracking token of the restatement letter)``. Committed."""
	from complaint_handling.engine.workflow import transition_to
	from complaint_handling.intake.test_letters import tracking_token
	from complaint_handling.rules.complaint import Status
	from complaint_handling.setup import defaults

	name = h.fixtures().new_complaint(
		label,
		channel="Phone",
		restatement="The reagent kit arrived warm; you want it replaced.",
		party={
			"name": "Jane Doe",
			"organisation": "",
			"email": f"{label.replace(' ', '-')}-{secrets.token_hex(3)}@example.org",
			"phone": "",
		},
	)
	transition_to(frappe.get_doc("Complaint", name), Status.REGISTERED)
	frappe.db.commit()
	return name, tracking_token(name, defaults.RESTATEMENT)


class TestPublicForm(BrowserTestCase):
	shot_prefix = "public-"

	def setUp(self):
		reset_rate_limits()

	def file_complaint(self, page, lang: str, email: str, description: str) -> tuple[str, str]:
		"""Fill and send the form; returns (reference, tracking link) as the page shows them."""
		page.goto(f"{self.base}/complaint?_lang={lang}")
		page.wait_for_selector("#ch-complaint-form", timeout=WAIT)
		page.fill("#ch-name", "李雷" if lang == "zh" else "Jane Doe")
		page.fill("#ch-organisation", "ACME Labs")
		page.fill("#ch-email", email)
		page.fill("#ch-phone", "+86 21 5555 0101")
		page.fill("#ch-description", description)
		page.fill("#ch-occurred", frappe.utils.add_days(frappe.utils.today(), -3))
		page.fill("#ch-location", "Receiving dock")
		page.fill("#ch-product", "Reagent kit 50")
		page.fill("#ch-batch", "RK-2611")
		page.fill("#ch-document", "DN-0042")
		page.fill("#ch-remedy", "Replace the kit.")
		page.set_input_files(
			"#ch-files", files=[{"name": "photo-note.pdf", "mimeType": "application/pdf", "buffer": PDF}]
		)
		page.check("#ch-consent")
		self.shot(page, f"{lang}-1-form")
		page.click("#ch-submit")
		page.wait_for_selector("[data-complaint-received]:not([hidden])", timeout=WAIT)
		self.shot(page, f"{lang}-2-received")
		return page.inner_text("[data-reference]").strip(), page.get_attribute("[data-tracking-link]", "href")

	def test_english_file_follow_the_link_and_add_information(self):
		page = self.new_page("en-US")
		email = f"browser-{secrets.token_hex(3)}@example.org"
		reference, link = self.file_complaint(
			page, "en", email, f"{MARK} The reagent kit arrived warm: the cold chain was broken."
		)
		self.assertTrue(reference)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Complaint", reference, "channel"), "Web Form")
		self.assertIn("File a Complaint", page.inner_text("h1"))

		page.goto(link)
		page.wait_for_selector("[data-complaint-view]:not([hidden])", timeout=WAIT)
		self.assertEqual(page.inner_text("[data-reference]").strip(), reference)
		self.assertEqual(page.get_attribute("[data-public-status]", "data-public-status"), "Received")
		self.shot(page, "en-3-status")

		page.fill("#ch-information", "The data logger read 14 °C on arrival.")
		page.click("#ch-add button[type=submit]")
		page.wait_for_selector("#ch-notice:not([hidden])", timeout=WAIT)
		self.assertIn("14 °C", page.inner_text("[data-letters]"))
		self.shot(page, "en-4-information-added")
		# switching language keeps the private link's token (it lives after "#")
		page.click(".ch-languages a[lang=zh]")
		page.wait_for_selector("[data-complaint-view]:not([hidden])", timeout=WAIT)
		self.assertEqual(page.inner_text("[data-reference]").strip(), reference)
		self.assertIn("#t=", page.url)
		self.assertEqual(page.page_errors, [])
		frappe.db.rollback()
		self.assertTrue(
			frappe.db.exists(
				"Communication",
				{"reference_name": reference, "sent_or_received": "Received", "sender": email},
			)
		)

	def test_chinese_file_and_look_up_by_reference_and_email(self):
		page = self.new_page("zh-CN")
		email = f"browser-zh-{secrets.token_hex(3)}@example.org"
		reference, _link = self.file_complaint(page, "zh", email, f"{MARK} 试剂盒到货时温度过高，冷链中断。")
		self.assertTrue(reference)
		self.assertIn("提交投诉", page.inner_text("h1"))
		self.assertIn("谢谢", page.inner_text("[data-complaint-received]"))
		# on a phone the private link wraps: the page does not scroll sideways
		page.set_viewport_size({"width": 375, "height": 812})
		self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 375)
		self.shot(page, "zh-2-received-phone")
		page.set_viewport_size({"width": 1200, "height": 1400})

		page.goto(f"{self.base}/complaint-status?_lang=zh")
		page.fill("#ch-reference-input", "TS-I-99-999")
		page.fill("#ch-email-input", email)
		page.click("#ch-find button[type=submit]")
		page.wait_for_selector("#ch-error:not([hidden])", timeout=WAIT)
		self.assertIn("没有与这些信息相符的投诉", page.inner_text("#ch-error"))
		self.shot(page, "zh-3-not-found")

		page.fill("#ch-reference-input", reference)
		page.click("#ch-find button[type=submit]")
		page.wait_for_selector("[data-complaint-view]:not([hidden])", timeout=WAIT)
		self.assertEqual(page.inner_text("[data-reference]").strip(), reference)
		self.assertEqual(page.get_attribute("[data-public-status]", "data-public-status"), "Received")
		self.assertNotEqual(page.inner_text("[data-public-status]").strip(), "Received")  # in Chinese
		self.shot(page, "zh-4-status")
		self.assertEqual(page.page_errors, [])

	def test_a_phoned_complaint_is_corrected_from_the_restatement_letter(self):
		"""Part 5: the complainant opens the link in the written restatement of their phone call and
		corrects it; the correction is on the complaint."""
		name, token = restated_complaint("restated")

		page = self.new_page("en-US")
		page.goto(f"{self.base}/complaint-status#t={token}")
		page.wait_for_selector("#ch-restatement:not([hidden])", timeout=WAIT)
		self.assertIn("arrived warm", page.inner_text("[data-restatement]"))
		self.shot(page, "en-5-restatement")
		page.check("#ch-restatement-no")
		page.fill("#ch-correction", "It arrived frozen, not warm.")
		page.click("#ch-restatement button[type=submit]")
		page.wait_for_selector("#ch-notice:not([hidden])", timeout=WAIT)
		self.assertTrue(page.is_hidden("#ch-restatement"))
		self.shot(page, "en-6-restatement-corrected")
		self.assertEqual(page.page_errors, [])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Complaint", name, ["restatement_status", "restatement_correction"]),
			("Corrected", "It arrived frozen, not warm."),
		)
