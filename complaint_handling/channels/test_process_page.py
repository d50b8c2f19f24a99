"""The published process page (issue 13 part 4) states the deadlines the app enforces: those of the
general SLA policy and of Complaint Settings, in English and Chinese, with the quality manager's
introduction, for Guest."""

import frappe
from frappe.utils import set_request
from frappe.website.serve import get_response_content

from complaint_handling.channels.process_page import duration, general_policy
from complaint_handling.service_levels.policies import clear_policy_cache
from complaint_handling.tests.utils import ComplaintTestCase

ROUTE = "complaints-process"


def page(lang: str = "en") -> str:
	"""The page as Guest sees it in ``lang``."""
	frappe.set_user("Guest")
	set_request(method="GET", path=f"/{ROUTE}")
	frappe.local.lang = lang
	try:
		return get_response_content(f"/{ROUTE}")
	finally:
		frappe.local.lang = "en"
		frappe.set_user("Administrator")


class TestProcessPage(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		clear_policy_cache()
		self.addCleanup(clear_policy_cache)
		self.addCleanup(frappe.clear_document_cache, "Complaint Settings", "Complaint Settings")

	def set_standard(self, **values):
		policy = frappe.get_doc("Complaint SLA Policy", general_policy(self.policies())["name"])
		policy.update(values)
		policy.save()
		clear_policy_cache()

	def policies(self):
		from complaint_handling.service_levels.policies import get_policies

		return get_policies()

	def set_settings(self, **values):
		settings = frappe.get_single("Complaint Settings")
		settings.update(values)
		settings.save()
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")

	def test_guest_sees_the_deadlines_of_the_general_policy(self):
		self.set_standard(
			acknowledge_within=12,
			acknowledge_unit="Working Hours",
			respond_within=36,
			respond_unit="Hours",
			resolve_within=7,
			resolve_unit="Working Days",
			resolve_within_major=4,
		)
		html = page()
		for text in ("12 working hours", "36 hours", "7 working days", "4 working days", 'href="/complaint"'):
			self.assertIn(text, html)

	def test_a_policy_change_shows_at_once(self):
		self.set_standard(acknowledge_within=10, acknowledge_unit="Hours")
		self.assertIn("10 hours", page())
		self.set_standard(acknowledge_within=11, acknowledge_unit="Hours")
		html = page()
		self.assertIn("11 hours", html)
		self.assertNotIn("10 hours", html)

	def test_appeal_and_feedback_periods_come_from_settings(self):
		self.set_settings(
			appeal_window=45,
			appeal_window_unit="Days",
			appeal_acceptance_within=6,
			appeal_acceptance_unit="Working Days",
			appeal_decision_within=3,
			appeal_decision_unit="Months",
			auto_close=1,
			feedback_reminder_days=20,
			auto_close_days=8,
		)
		html = page()
		for text in (
			"within 45 days of it",
			"within 6 working days",
			"within 3 months",
			"20 working days",
			"8 working days",
		):
			self.assertIn(text, html)
		self.set_settings(auto_close=0)
		self.assertNotIn("data-process-feedback", page())

	def test_chinese(self):
		self.set_standard(
			acknowledge_within=24, acknowledge_unit="Hours", resolve_within=5, resolve_unit="Working Days"
		)
		self.set_settings(appeal_window=30, appeal_window_unit="Days")
		html = page("zh")
		for text in ("我们的投诉处理流程", "24 小时", "5 个工作日", "30 天", "如何申诉"):
			self.assertIn(text, html)
		self.assertNotIn("How to appeal", html)

	def test_quality_manager_introduction_is_shown_without_script(self):
		frappe.db.set_single_value(
			"Complaint Settings",
			"process_page_intro",
			"<p>Call our quality desk first.</p><script>alert('x')</script>",
		)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		html = page()
		self.assertIn("Call our quality desk first.", html)
		self.assertNotIn("<script>alert", html)  # sanitised: at most shown as text

	def test_page_works_without_any_policy(self):
		frappe.db.set_value("Complaint SLA Policy", {"enabled": 1}, "enabled", 0)
		clear_policy_cache()
		html = page()
		self.assertIn("Our acknowledgement tells you the deadlines", html)
		self.assertIn("How to appeal", html)


class TestGeneralPolicy(ComplaintTestCase):
	def test_the_policy_for_everything_wins(self):
		policies = [
			{"name": "Class I", "severity": "I"},
			{"name": "Standard", "severity": None, "complaint_category": "Billing"},
			{"name": "All", "severity": None, "complaint_category": None},
		]
		self.assertEqual(general_policy(policies)["name"], "All")

	def test_standard_then_the_least_specific(self):
		self.assertEqual(
			general_policy(
				[{"name": "B", "severity": "I"}, {"name": "Standard", "complaint_category": "Billing"}]
			)["name"],
			"Standard",
		)
		self.assertEqual(
			general_policy([{"name": "B", "complaint_category": "Billing"}, {"name": "C", "severity": "I"}])[
				"name"
			],
			"C",
		)
		self.assertIsNone(general_policy([]))

	def test_duration_words(self):
		self.assertEqual(duration(24.0, "Hours"), "24 hours")
		self.assertEqual(duration(1.5, "Working Hours"), "1.5 working hours")
		self.assertEqual(duration(2, "Months"), "2 months")
