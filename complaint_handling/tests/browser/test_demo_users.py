"""The demo's people in the desk (issue 15), in Chromium: ``complaint-demo --with-users`` runs, then
each demo user logs in through the login page with the password the demo printed and, at the
place README's "Where each role starts" sends them, finds the work the demo left for their role,
with no error dialog. ``--remove`` runs afterwards.

Runs against the HTTP suite's ``frappe serve`` (``tests/http/harness.py``). Screenshots go to
``$CH_BROWSER_SHOTS`` (default ``/tmp/ch-browser-shots``). Without Playwright or Chromium the
suite is skipped, saying which is missing.
"""

import json
from urllib.parse import urlencode

import frappe

from complaint_handling import demo
from complaint_handling.demo import data, marks
from complaint_handling.rules.complaint import Status
from complaint_handling.tests.browser.desk import (  # noqa: F401 (unittest's module fixture)
	WAIT,
	BrowserTestCase,
	setUpModule,
)


def like(value: str) -> str:
	return json.dumps(["like", f"%{value}%"])


class TestDemoUsersFindTheirWork(BrowserTestCase):
	viewport = (1400, 1200)
	shot_prefix = "demo-"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# a site whose System Manager never finished the workspace setup: the demo spares its users
		# Frappe's "Not permitted" dialog about it (desk.DeskTestCase marks it done for the others)
		cls.workspace_setup = frappe.db.get_single_value("Workspace Settings", "workspace_setup_completed")
		frappe.db.set_single_value("Workspace Settings", "workspace_setup_completed", 0)
		frappe.db.commit()
		cls.report = demo.perform(demo.run, with_users=True)

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		frappe.db.set_single_value("Workspace Settings", "workspace_setup_completed", cls.workspace_setup)
		frappe.db.commit()
		demo.perform(demo.remove)
		super().tearDownClass()

	def work(self) -> dict[str, tuple[str, dict, str]]:
		"""Per demo user: the list they start at, its filters, and the record waiting there."""
		frappe.db.rollback()  # read what the demo committed
		complaints = {
			frappe.db.get_value("Complaint", name, "status"): name
			for doctype, name in self.report.records
			if doctype == "Complaint"
		}
		registered, investigated = complaints[Status.REGISTERED], complaints[Status.UNDER_INVESTIGATION]
		investigation = frappe.db.get_value("Complaint Investigation", {"complaint": investigated})
		appeal = frappe.db.get_value("Complaint Appeal", {"complaint": complaints[Status.REJECTED]})
		capa = frappe.db.get_value("CAPA", {"source_name": complaints[Status.CLOSED]})
		owner_todo = frappe.db.get_value(
			"ToDo", {"reference_type": "CAPA", "reference_name": capa, "allocated_to": data.user("owner")}
		)
		return {
			"intake": ("complaint", {"status": Status.REGISTERED}, registered),
			"handler": ("complaint", {"_assign": like(data.user("handler"))}, registered),
			"qm": ("complaint", {"status": Status.PENDING_APPROVAL}, complaints[Status.PENDING_APPROVAL]),
			"investigator": ("complaint-investigation", {"status": "Draft"}, investigation),
			"panel": ("complaint-appeal", {"status": "Accepted"}, appeal),
			"auditor": ("complaint", {"status": Status.RESPONDED}, complaints[Status.RESPONDED]),
			"gm": ("complaint", {"is_major": 1}, investigated),
			"owner": ("todo", {"status": "Open"}, owner_todo),
		}

	def log_in(self, email: str):
		page = self.new_page()
		page.goto(f"{self.base}/login")
		page.fill("#login_email", email)
		page.fill("#login_password", self.report.passwords[email])
		page.click(".btn-login")
		page.wait_for_url("**/app**", timeout=WAIT)
		return page

	def test_each_demo_user_logs_in_and_finds_their_work(self):
		work = self.work()
		for person in data.USERS:
			with self.subTest(user=person.key):
				route, filters, name = work[person.key]
				self.assertTrue(name, f"the demo left no work for {person.key}")
				page = self.log_in(person.email)
				page.goto(f"{self.base}/app/{route}?{urlencode(filters)}")
				page.wait_for_selector(f'.list-row [data-name="{name}"]', timeout=WAIT)
				page.wait_for_timeout(500)
				self.shot(page, person.key)
				self.assertEqual(page.locator(".modal.show .msgprint").all_inner_texts(), [])

	def test_the_action_owner_opens_the_capa_shared_with_them(self):
		capa = next(name for name in marks.tagged("CAPA"))
		page = self.log_in(data.user("owner"))
		page.goto(f"{self.base}/app/capa/{capa}")
		page.wait_for_function(
			"(name) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === name", arg=capa, timeout=WAIT
		)
		self.assertEqual(page.evaluate("cur_frm.doc.status"), "Open")
