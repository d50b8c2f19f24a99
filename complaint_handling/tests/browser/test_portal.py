"""The customer portal in a browser (issue 13 part 3): a website user of customer A logs in through
the login page, finds *My Complaints* in the portal menu, sees only A's complaints, opens one,
files an appeal against its decision and files a new complaint; the same list in Chinese; a user
of customer B gets the not-found page for A's complaint. Screenshots go to ``$CH_BROWSER_SHOTS``.
"""

import frappe

from complaint_handling.channels.test_portal import USER_A, USER_B, ensure_portal_fixtures
from complaint_handling.tests.browser.desk import WAIT, BrowserTestCase
from complaint_handling.tests.browser.desk import setUpModule as require_browser
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.http.test_http_portal import TAG, Fixture, purge_portal
from complaint_handling.tests.utils import PASSWORD


def setUpModule():
	require_browser()


def tearDownModule():
	purge_portal()


class TestPortal(BrowserTestCase):
	viewport = (1300, 1400)
	shot_prefix = "portal-"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		h.ensure_users()
		purge_portal()
		cls.fx = Fixture(ensure_portal_fixtures())

	def setUp(self):
		frappe.cache.delete_keys("rl:complaint_handling.channels.portal")

	def log_in(self, user: str, locale: str = "en-US"):
		page = self.new_page(locale)
		page.goto(f"{self.base}/login?redirect-to=/my-complaints")
		page.fill("#login_email", user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url("**/my-complaints**", timeout=WAIT)
		page.wait_for_selector("[data-my-complaints]", timeout=WAIT)
		return page

	def test_a_customers_user_sees_their_complaints_appeals_one_and_files_another(self):
		page = self.log_in(USER_A)
		self.assertTrue(
			page.locator(".web-sidebar a[href='/my-complaints'], a[href='/my-complaints']").count()
		)
		listed = page.locator("[data-complaint]").evaluate_all("rows => rows.map(r => r.dataset.complaint)")
		self.assertIn(self.fx.complaint, listed)
		self.assertIn(self.fx.undecided, listed)
		self.assertNotIn(self.fx.of_b, listed)
		self.shot(page, "1-list")

		page.click(f"a[href='/my-complaints/{self.fx.complaint}']")
		page.wait_for_selector(f"[data-my-complaint='{self.fx.complaint}']", timeout=WAIT)
		self.assertEqual(page.get_attribute("[data-public-status]", "data-public-status"), "Answered")
		self.shot(page, "2-complaint")

		page.fill("#ch-grounds", "The retained sample of lot 12 was never re-tested.")
		page.fill("#ch-appeal-remedy", "Re-test the retained sample.")
		page.click("#ch-appeal-submit")
		page.wait_for_selector("[data-filed='appeal']", timeout=WAIT)
		self.assertEqual(page.locator("[data-appeal]").count(), 1)
		self.assertEqual(page.locator("#ch-appeal").count(), 0)  # one open appeal per decision
		self.shot(page, "3-appeal-filed")
		frappe.db.rollback()
		appeal = frappe.get_all(
			"Complaint Appeal",
			filters={"complaint": self.fx.complaint},
			fields=["name", "owner", "status", "grounds"],
		)
		self.assertEqual(len(appeal), 1)
		self.assertEqual((appeal[0].owner, appeal[0].status), (USER_A, "Draft"))
		self.assertIn("never re-tested", appeal[0].grounds)

		page.goto(f"{self.base}/my-complaints/{self.fx.undecided}")
		page.wait_for_selector("[data-appeal-refused]", timeout=WAIT)
		self.assertEqual(page.locator("#ch-appeal").count(), 0)

		page.goto(f"{self.base}/my-complaints/new")
		page.wait_for_selector("#ch-portal-complaint", timeout=WAIT)
		self.assertEqual(page.input_value("#ch-email"), USER_A)
		self.assertEqual(page.input_value("#ch-name"), "Ada Portal")
		page.fill("#ch-description", f"{TAG} The certificate for lot 14 names the wrong method.")
		page.fill("#ch-product", "Reagent kit 50")
		page.check("#ch-consent")
		self.shot(page, "4-new-complaint")
		page.click("#ch-submit")
		page.wait_for_selector("[data-filed='complaint']", timeout=WAIT)
		reference = page.inner_text("[data-reference]").strip()
		self.shot(page, "5-complaint-filed")
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Complaint", reference, ["channel", "customer"]),
			("Portal", self.fx.customers["a"]),
		)
		self.assertEqual(page.page_errors, [])

	def test_the_list_in_chinese(self):
		page = self.log_in(USER_A, locale="zh-CN")
		page.goto(f"{self.base}/my-complaints?_lang=zh")
		page.wait_for_selector("[data-my-complaints]", timeout=WAIT)
		self.assertIn("我的投诉", page.inner_text("h1"))
		self.shot(page, "6-list-zh")

	def test_another_customers_user_gets_not_found(self):
		page = self.log_in(USER_B)
		listed = page.locator("[data-complaint]").evaluate_all("rows => rows.map(r => r.dataset.complaint)")
		self.assertNotIn(self.fx.complaint, listed)
		self.assertIn(self.fx.of_b, listed)
		response = page.goto(f"{self.base}/my-complaints/{self.fx.complaint}")
		self.assertEqual(response.status, 404)
		self.assertNotIn(self.fx.token, page.content())
		self.shot(page, "7-other-customer-not-found")
