"""The demo on a real site (issue 15): it says what to do on a site without a company, runs twice
in a row, leaves each role work waiting, and ``--remove`` leaves the site as it was. The bench
command itself runs in a subprocess, as a newcomer runs it."""

import io
import os
import subprocess
import sys
from contextlib import redirect_stdout

import frappe
from frappe.cache_manager import clear_defaults_cache
from frappe.utils.password import check_password

from complaint_handling import demo
from complaint_handling.demo import data, marks, workplace
from complaint_handling.demo.report import DemoError
from complaint_handling.rules.complaint import Status
from complaint_handling.setup.install import REVIEW_REPORTS
from complaint_handling.tests.utils import HANDLER_USER, ComplaintTestCase, as_user, versions_recorded

# what a demo run may touch, directly or through what it causes
COUNTED = (
	"Complaint",
	"Complainant",
	"Complaint Investigation",
	"CAPA",
	"CAPA Complaint",
	"Complaint Appeal",
	"Appellant",
	"Complaint SLA Event",
	"ToDo",
	"Comment",
	"Communication",
	"Communication Link",
	"Version",
	"DocShare",
	"Email Queue",
	"Email Queue Recipient",
	"Notification Log",
	"Notification Settings",
	"Workflow Action",
	"Document Share Key",
	"Deleted Document",
	"Tag",
	"Tag Link",
	"User",
	"Has Role",
	"Contact",
	"Employee",
	"Holiday List",
	"Email Account",
	"Auto Email Report",
	"Complaint Category User",
	"Assignment Rule User",
	"Complaint Working Hours",
)


def site_state() -> dict:
	"""Row counts of everything the demo may touch, the counters, and the configuration it may
	change: equal before a demo and after its removal."""
	return {
		"counts": {doctype: frappe.db.count(doctype) for doctype in COUNTED},
		"series": dict(frappe.db.sql("SELECT `name`, `current` FROM `tabSeries`")),
		"holiday lists": frappe.get_all("Company", fields=["name", "default_holiday_list"], order_by="name"),
		"rules": frappe.get_all(
			"Assignment Rule",
			fields=["name", "disabled", "last_user"],
			filters={"document_type": "Complaint"},
			order_by="name",
		),
		"workspace setup": frappe.db.get_single_value("Workspace Settings", "workspace_setup_completed"),
		"defaults": frappe.db.sql(
			"SELECT `parent`, `defkey`, `defvalue` FROM `tabDefaultValue` ORDER BY `parent`, `defkey`"
		),
	}


def bench(*args: str) -> subprocess.CompletedProcess:
	"""Run a bench command on the test site in its own process, as ``bench --site <site> ...`` does."""
	return subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, *args],
		cwd=os.path.abspath(frappe.local.sites_path),
		capture_output=True,
		text=True,
		timeout=600,
	)


def open_todos(user: str) -> set[tuple[str, str]]:
	return {
		(row.reference_type, row.reference_name)
		for row in frappe.get_all(
			"ToDo",
			filters={"allocated_to": user, "status": "Open"},
			fields=["reference_type", "reference_name"],
		)
	}


def without_companies() -> None:
	"""The site as ERPNext's setup wizard leaves it before its first company: no Company rows
	(inside the test's transaction, rolled back after it)."""
	frappe.db.delete("Company")


class TestWithoutCompany(ComplaintTestCase):
	def test_the_demo_says_to_finish_the_setup_wizard(self):
		without_companies()
		complaints = frappe.db.count("Complaint")
		with self.assertRaises(DemoError) as caught:
			demo.run(with_users=True)
		self.assertEqual(str(caught.exception), workplace.no_company_message())
		self.assertIn("setup wizard", str(caught.exception))
		self.assertEqual(frappe.db.count("Complaint"), complaints)

	def test_the_old_execute_entry_prints_the_line_and_raises_nothing(self):
		# bench execute turns any exception into a NameError of its own: seed must not raise
		without_companies()
		out = io.StringIO()
		with redirect_stdout(out):
			demo.seed()
		printed = out.getvalue()
		self.assertIn(workplace.no_company_message(), printed)
		self.assertIn("complaint-demo", printed)
		self.assertNotIn("Traceback", printed)

	def test_a_company_that_does_not_exist_is_named(self):
		with self.assertRaises(DemoError) as caught:
			demo.run(company="No Such Company Ltd")
		self.assertIn("No Such Company Ltd", str(caught.exception))


class TestDemoTwiceThenRemove(ComplaintTestCase):
	def test_twice_in_a_row_then_remove_leaves_the_site_as_it_was(self):
		# round robin had got somewhere before the demo: removal puts each rule back there
		frappe.db.set_value("Assignment Rule", {"document_type": "Complaint"}, "last_user", HANDLER_USER)
		# a site that has not scheduled the monthly reports yet: the demo does, --remove undoes it
		frappe.db.delete("Auto Email Report", {"report": ("in", list(REVIEW_REPORTS))})
		with versions_recorded():  # as on a live site: removal must take the history too
			before = site_state()
			first = demo.run(with_users=True)
			self.assertEqual(
				{
					frappe.db.get_value("Auto Email Report", n, "report")
					for n in marks.tagged("Auto Email Report")
				},
				{r for r in REVIEW_REPORTS if frappe.db.exists("Report", r)},
			)
			second = demo.run(with_users=True)
			self.check_cases(first)
			self.check_cases(second)
			self.assertFalse({name for _dt, name in first.records} & {name for _dt, name in second.records})
			self.check_people(second)
			self.check_work_waiting(second)
			plain = demo.run()
			self.assertEqual(len(plain.records), 3)

			demo.remove()
			self.assertEqual(site_state(), before)
		for email in data.USER_EMAILS:
			self.assertFalse(frappe.db.exists("User", email))
		self.assertFalse(frappe.db.exists("Tag Link", {"tag": data.TAG}))
		self.assertEqual(marks.changes(), {})

	def check_cases(self, report):
		statuses = {
			frappe.db.get_value("Complaint", name, "status")
			for doctype, name in report.records
			if doctype == "Complaint"
		}
		self.assertEqual(
			statuses,
			{
				Status.REGISTERED,
				Status.UNDER_INVESTIGATION,
				Status.PENDING_APPROVAL,
				Status.RESPONDED,
				Status.CLOSED,
				Status.REJECTED,
			},
		)

	def check_people(self, report):
		for person in data.USERS:
			roles = set(
				frappe.get_all(
					"Has Role", filters={"parent": person.email, "parenttype": "User"}, pluck="role"
				)
			)
			self.assertEqual(roles, {person.role}, person.email)
			self.assertEqual(frappe.db.get_value("User", person.email, "user_type"), "System User")
			# the password printed is the one that works
			check_password(person.email, report.passwords[person.email])

	def check_work_waiting(self, report):
		"""Each demo user finds their work waiting (what they see, by their own permissions)."""
		complaints = [name for doctype, name in report.records if doctype == "Complaint"]
		by_status = {frappe.db.get_value("Complaint", name, "status"): name for name in complaints}
		handler, qm = data.user("handler"), data.user("qm")
		self.assertIn(("Complaint", by_status[Status.REGISTERED]), open_todos(handler))
		with as_user(qm):
			awaiting = frappe.get_list("Complaint", filters={"status": Status.PENDING_APPROVAL}, pluck="name")
		self.assertIn(by_status[Status.PENDING_APPROVAL], awaiting)

		investigator = data.user("investigator")
		with as_user(investigator):
			investigations = frappe.get_list(
				"Complaint Investigation", filters={"status": "Draft"}, fields=["name", "complaint"]
			)
		self.assertIn(by_status[Status.UNDER_INVESTIGATION], {row.complaint for row in investigations})
		self.assertTrue(
			{("Complaint Investigation", row.name) for row in investigations} & open_todos(investigator)
		)

		panel = data.user("panel")
		with as_user(panel):
			appeals = frappe.get_list(
				"Complaint Appeal", filters={"status": "Accepted"}, fields=["name", "complaint"]
			)
		self.assertIn(by_status[Status.REJECTED], {row.complaint for row in appeals})
		self.assertTrue({("Complaint Appeal", row.name) for row in appeals} & open_todos(panel))

		owner = data.user("owner")
		capas = [name for doctype, name in open_todos(owner) if doctype == "CAPA"]
		self.assertTrue(capas)
		self.assertTrue(frappe.has_permission("CAPA", "read", doc=capas[0], user=owner))
		self.assertEqual(frappe.db.get_value("CAPA", capas[0], "status"), "Open")

		for reader in (data.user("auditor"), data.user("gm"), data.user("intake")):
			with as_user(reader):
				self.assertTrue(set(complaints) <= set(frappe.get_list("Complaint", pluck="name")), reader)


class TestOutbox(ComplaintTestCase):
	def tearDown(self):
		super().tearDown()
		# the rolled-back switch and account must not outlive the test in caches
		clear_defaults_cache()
		frappe.local.outgoing_email_account = {}

	def test_a_site_without_outgoing_account_gets_one_that_only_queues(self):
		frappe.db.set_value("Email Account", {"default_outgoing": 1}, "default_outgoing", 0)
		frappe.db.set_default("suspend_email_queue", 0)
		frappe.local.outgoing_email_account = {}

		workplace.ensure_outbox()
		self.assertEqual(frappe.db.get_value("Email Account", data.OUTBOX, "smtp_server"), data.OUTBOX_SERVER)
		frappe.sendmail(recipients=[f"someone@{data.DOMAIN}"], subject="Demo", message="Queued only")
		queued = frappe.get_last_doc("Email Queue")
		self.assertEqual((queued.email_account, queued.status), (data.OUTBOX, "Not Sent"))
		self.assertFalse(queued.can_send_now(), "sending is suspended")

		demo.remove()
		self.assertFalse(frappe.db.exists("Email Account", data.OUTBOX))
		self.assertEqual(
			frappe.db.get_value(
				"DefaultValue", {"parent": "__default", "defkey": "suspend_email_queue"}, "defvalue"
			),
			"0",
		)
		self.assertEqual(marks.changes(), {})


class TestBenchCommand(ComplaintTestCase):
	"""``bench --site <site> complaint-demo``, found through the app's ``commands``, in its own
	process: it commits, so the test removes whatever it left even when it fails."""

	def test_an_unknown_company_is_one_line_and_exit_status_1(self):
		result = bench("complaint-demo", "--company", "No Such Company Ltd")
		self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
		self.assertIn("No Such Company Ltd", result.stderr)
		self.assertNotIn("Traceback", result.stdout + result.stderr)

	def test_with_users_then_remove(self):
		frappe.db.commit()  # nothing of this test's own may hold locks the command waits for
		before = site_state()
		try:
			result = bench("complaint-demo", "--with-users")
			self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
			self.assertIn(data.user("handler"), result.stdout)
			frappe.db.rollback()  # read what the command committed
			self.assertEqual(len(marks.tagged("Complaint")), 6)

			result = bench("complaint-demo", "--remove")
			self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
			self.assertIn("Removed:", result.stdout)
			frappe.db.rollback()
			self.assertEqual(site_state(), before)
		finally:
			frappe.db.rollback()
			if marks.tagged("Complaint") or marks.tagged("User"):
				demo.perform(demo.remove)
