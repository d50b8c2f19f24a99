"""Every dotted path the app declares in hooks.py resolves on a real site, so a module moved
without its hook fails here, not in a scheduler run."""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.engine.reminders import AlertSource, alert_sources


class TestHooks(FrappeTestCase):
	def test_scheduled_jobs_resolve(self):
		jobs = [
			path
			for paths in frappe.get_hooks("scheduler_events", app_name="complaint_handling")
			.get("cron", {})
			.values()
			for path in paths
		]
		self.assertIn("complaint_handling.engine.reminders.send_due_alerts", jobs)
		for path in jobs:
			self.assertTrue(callable(frappe.get_attr(path)), path)
		# the Scheduled Job Types migrate synced point at the same, resolvable methods
		for method in frappe.get_all(
			"Scheduled Job Type", {"method": ("like", "complaint_handling.%")}, pluck="method"
		):
			self.assertIn(method, jobs)
			self.assertTrue(callable(frappe.get_attr(method)), method)

	def test_document_and_permission_hooks_resolve(self):
		hooks = frappe.get_hooks(app_name="complaint_handling")
		paths = [path for events in hooks["doc_events"].values() for path in events.values()]
		paths += list(hooks["permission_query_conditions"].values()) + list(hooks["has_permission"].values())
		paths += list(hooks["override_whitelisted_methods"].values()) + hooks["jinja"]["methods"]
		paths += hooks["before_request"]
		for path in paths:
			path = path[-1] if isinstance(path, list) else path
			self.assertTrue(callable(frappe.get_attr(path)), path)

	def test_alert_sources_come_from_the_hook(self):
		sources = alert_sources()
		self.assertEqual([source.doctype for source in sources], ["Complaint", "CAPA", "Complaint Appeal"])
		self.assertTrue(all(isinstance(source, AlertSource) for source in sources))

	def test_every_child_table_of_a_scoped_case_is_scoped(self):
		from complaint_handling.security.access import SCOPED_CASES

		conditions = frappe.get_hooks("permission_query_conditions", app_name="complaint_handling")
		for case in SCOPED_CASES:
			for df in frappe.get_meta(case).get_table_fields():
				self.assertEqual(
					conditions.get(df.options), ["complaint_handling.security.access.child_query"], df.options
				)
