"""A site whose time format has no seconds (HH:mm, the setup wizard's choice for Germany) saves
complaints whose dates were stamped to the second. The form sends each datetime back at the
minute: a newcomer's handler on a German site was refused ("Acknowledged On ... is already
recorded") when recording validity and resolution (``boundary.keep_what_the_form_rounded``).
Screenshots go to ``$CH_BROWSER_SHOTS``.
"""

import frappe
from frappe.utils import add_to_date, get_datetime

from complaint_handling.tests.browser.desk import WAIT, DeskTestCase
from complaint_handling.tests.browser.desk import setUpModule as require_browser
from complaint_handling.tests.http import harness as h


def setUpModule():
	require_browser()


def tearDownModule():
	h.release()


def set_time_format(time_format: str) -> None:
	frappe.db.set_single_value("System Settings", "time_format", time_format)
	frappe.db.set_default("time_format", time_format)
	frappe.db.commit()
	frappe.clear_cache()


class TestMinutesOnlyTimeFormat(DeskTestCase):
	shot_prefix = "hhmm-"

	def setUp(self):
		self.addCleanup(set_time_format, frappe.db.get_single_value("System Settings", "time_format"))
		set_time_format("HH:mm")

	def test_the_handler_saves_a_complaint_stamped_to_the_second(self):
		name = self.fx.new_complaint("minutes only", status="Under Investigation")
		received = get_datetime(frappe.db.get_value("Complaint", name, "received_on")).replace(second=17)
		frappe.db.set_value(
			"Complaint",
			name,
			{"received_on": received, "acknowledged_on": add_to_date(received, hours=1, seconds=25)},
		)
		frappe.db.commit()
		stamped = frappe.db.get_value("Complaint", name, ["received_on", "acknowledged_on"])
		self.assertTrue(all(get_datetime(moment).second for moment in stamped), stamped)

		page = self.open_as("handler")
		self.open_form(page, "complaint", name)
		self.set_values(
			page,
			{
				"validity": "Accepted",
				"validity_reason": "The retained sample confirms it.",
				"resolution": "<p>Credit note issued and the batch replaced.</p>",
			},
		)
		# saved when the form holds the new version: with HH:mm Frappe's Datetime control marks the
		# form "Not Saved" again as it shows the stored seconds at the minute, so not by is_dirty()
		modified = page.evaluate("cur_frm.doc.modified")
		page.keyboard.press("Control+s")
		page.wait_for_function("(m) => cur_frm.doc.modified !== m", arg=modified, timeout=WAIT)
		page.wait_for_timeout(800)
		self.shot(page, "saved")
		self.assert_clean(page)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Complaint", name, "validity"), "Accepted")
		self.assertEqual(frappe.db.get_value("Complaint", name, ["received_on", "acknowledged_on"]), stamped)
