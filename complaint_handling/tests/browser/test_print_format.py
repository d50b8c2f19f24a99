"""An admin edits a letter in the desk's Print Format form (README "Configure"), in a fresh session
that has not loaded the Complaint DocType yet: the edit typed into the HTML editor is what Save
stores (Frappe 15 used to save the document as it was: ``public/js/print_format.js``)."""

import secrets

import frappe

from complaint_handling.setup import defaults
from complaint_handling.tests.browser.desk import DeskTestCase, setUpModule, tearDownModule  # noqa: F401
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import SYSTEM_MANAGER_USER


class TestEditingALetter(DeskTestCase):
	shot_prefix = "print-format-"

	def test_a_system_manager_edits_the_reply_letter_in_the_desk(self):
		name = defaults.REPLY_LETTER
		original = frappe.db.get_value("Print Format", name, "html")
		self.addCleanup(
			lambda: (frappe.db.set_value("Print Format", name, "html", original), frappe.db.commit())
		)
		marker = f"Letter edited in the desk {secrets.token_hex(4)}"
		page = self.open_as(SYSTEM_MANAGER_USER)
		self.open_form(page, "print-format", name)
		editor = page.locator('.frappe-control[data-fieldname="html"] .ace_content').first
		editor.click(position={"x": 200, "y": 10}, force=True)
		page.keyboard.press("Control+Home")
		page.keyboard.type(f"<p>{marker}</p>\n")
		page.wait_for_timeout(1000)  # the editor hands its value to the form after a pause
		self.save(page)
		self.shot(page, "reply-saved")
		self.assertEqual(page.page_errors, [])
		self.assertIn(marker, h.fresh_value("Print Format", name, "html"))
