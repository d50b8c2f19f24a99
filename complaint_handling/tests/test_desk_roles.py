"""What each role meets in the desk before any click (issue 12): its landing place, the edit rights
the workflows give it, the pickers it may use, and a composer that asks for nothing it may not
read. The clicking itself is in ``tests/browser``."""

import json

import frappe
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items

from complaint_handling.patches.v0_7 import fill_sla_status, workflow_edit_rights
from complaint_handling.rules.service_levels import CLOCKS, SlaStatus
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	ACTION_OWNER_USER,
	AUDITOR_USER,
	GM_USER,
	HANDLER_USER,
	INTAKE_USER,
	INVESTIGATOR_USER,
	QM_USER,
	SALES_USER,
	SYSTEM_MANAGER_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	move,
	reload,
)


def workspace():
	page = get_desktop_page(json.dumps({"name": "Complaints", "title": "Complaints"}))
	return {
		"cards": {c.number_card_name for c in page["number_cards"]["items"]},
		"shortcuts": {s["label"] for s in page["shortcuts"]["items"]},
		"links": {link["label"] for card in page["cards"]["items"] for link in card["links"]},
	}


class TestLandingPlace(ComplaintTestCase):
	def test_each_role_sees_its_cards_and_only_what_it_may_open(self):
		with as_user(INTAKE_USER):
			intake = workspace()
		self.assertIn("My Open Complaints", intake["cards"])
		self.assertNotIn("Open CAPAs", intake["cards"], "intake officers do not read CAPA")
		self.assertNotIn("Complaint Settings", intake["links"])
		self.assertIn("My To Do", intake["shortcuts"])
		with as_user(QM_USER):
			qm = workspace()
		self.assertTrue({"Complaints Awaiting Approval", "Open CAPAs", "Appeals to Decide"} <= qm["cards"])
		self.assertIn("Complaint Settings", qm["links"])
		with as_user(INVESTIGATOR_USER):
			self.assertIn("My Open Investigations", workspace()["cards"])

	def test_the_workspace_is_in_the_sidebar_of_complaint_roles_only(self):
		for user, expected in ((HANDLER_USER, True), (SALES_USER, False), (ACTION_OWNER_USER, False)):
			with as_user(user):
				names = {page.name for page in get_workspace_sidebar_items()["pages"]}
			self.assertEqual("Complaints" in names, expected, user)


class TestServiceLevelAtAGlance(ComplaintTestCase):
	def test_a_complaint_shows_its_worst_clock_and_older_ones_get_it_once(self):
		complaint = make_complaint()
		self.assertEqual(complaint.sla_status, SlaStatus.ON_TRACK)
		frappe.db.set_value(
			"Complaint",
			complaint.name,
			{"sla_status": None, CLOCKS[0].status_field: SlaStatus.BREACHED},
			update_modified=False,
		)
		fill_sla_status.execute()
		self.assertEqual(frappe.db.get_value("Complaint", complaint.name, "sla_status"), SlaStatus.BREACHED)


class TestEditRights(ComplaintTestCase):
	def test_a_handler_completes_a_registered_complaint(self):
		complaint = move(make_complaint(), "Registered", INTAKE_USER)
		roles = set(
			frappe.get_all(
				"Workflow Document State",
				{"parent": defaults.WORKFLOW_NAME, "state": "Registered"},
				pluck="allow_edit",
			)
		)
		self.assertEqual(roles, {defaults.INTAKE, defaults.HANDLER, defaults.QUALITY_MANAGER})
		with as_user(HANDLER_USER):
			complaint = reload(complaint)
			complaint.location = "Warehouse 3"
			complaint.save()

	def test_outside_the_state_edit_roles_nothing_changes_on_any_path(self):
		from frappe.client import set_value

		complaint = move(make_complaint(), "Registered", INTAKE_USER)
		complaint = move(move(complaint, "Acknowledged", HANDLER_USER), "Under Investigation", HANDLER_USER)
		with as_user(HANDLER_USER):
			complaint = reload(complaint)
			complaint.validity, complaint.resolution = "Accepted", "<p>Replacement shipped.</p>"
			complaint.save()
		complaint = move(complaint, "Pending Approval", HANDLER_USER)
		with as_user(HANDLER_USER):
			with self.assertRaisesRegex(frappe.PermissionError, "Pending Approval.*Resolution"):
				set_value("Complaint", complaint.name, "resolution", "<p>Changed after submission.</p>")
			with self.assertRaises(frappe.PermissionError):
				complaint = reload(complaint)
				complaint.location = "Dock 4"
				complaint.save()
		self.assertEqual(
			frappe.db.get_value("Complaint", complaint.name, "resolution"), "<p>Replacement shipped.</p>"
		)
		with as_user(QM_USER):
			set_value("Complaint", complaint.name, "location", "Dock 4")
		self.assertEqual(frappe.db.get_value("Complaint", complaint.name, "location"), "Dock 4")

	def test_the_patch_upgrades_a_seeded_workflow_and_leaves_an_edited_one(self):
		workflow = frappe.get_doc("Workflow", defaults.CAPA_WORKFLOW)
		seeded = workflow_edit_rights.SEEDED_IN_0_6["CAPA"]
		workflow.states = [row for row in workflow.states if (row.state, row.allow_edit) in seeded]
		workflow.save()
		workflow_edit_rights.execute()
		rows = {(r.state, r.allow_edit) for r in frappe.get_doc("Workflow", defaults.CAPA_WORKFLOW).states}
		self.assertIn(("Draft", defaults.HANDLER), rows)

		workflow = frappe.get_doc("Workflow", defaults.CAPA_WORKFLOW)
		workflow.states = [row for row in workflow.states if (row.state, row.allow_edit) in seeded]
		workflow.states[0].allow_edit = "System Manager"  # the admin's own choice
		workflow.save()
		workflow_edit_rights.execute()
		rows = {(r.state, r.allow_edit) for r in frappe.get_doc("Workflow", defaults.CAPA_WORKFLOW).states}
		self.assertNotIn(("Draft", defaults.HANDLER), rows)
		self.assertIn(("Draft", "System Manager"), rows)


class TestPickers(ComplaintTestCase):
	def test_intake_picks_an_employee_without_reading_employee_records(self):
		from frappe.client import validate_link
		from frappe.desk.search import search_link

		employee = frappe.get_all("Employee", limit=1, pluck="name")
		if not employee:
			employee = [make_employee()]
		for user in (INTAKE_USER, HANDLER_USER, QM_USER):
			self.assertTrue(frappe.has_permission("Employee", "select", user=user), user)
			self.assertFalse(frappe.has_permission("Employee", "read", user=user), user)
		with as_user(INTAKE_USER):
			self.assertEqual(validate_link("Employee", employee[0]).name, employee[0])
			self.assertIn(employee[0], [r["value"] for r in search_link("Employee", "")])
			with self.assertRaises(frappe.PermissionError):
				frappe.get_doc("Employee", employee[0]).check_permission("read")
		with as_user(SALES_USER), self.assertRaises(frappe.PermissionError):
			validate_link("Employee", employee[0])

	def test_the_figures_roles_pick_a_company_a_customer_and_an_item_without_reading_them(self):
		"""A quality manager chooses the company of a review or a report's filter, an intake officer
		the customer and item of a complaint: each role of defaults.PICKERS searches and links them,
		and reads none of their records."""
		from frappe.client import validate_link
		from frappe.desk.search import search_link

		from complaint_handling.benchmarks.generator import ensure_customers

		company = default_company()
		customer = ensure_customers(1)[0]
		item = frappe.get_all("Item", limit=1, pluck="name")
		records = {"Company": company, "Customer": customer, **({"Item": item[0]} if item else {})}
		for user in (INTAKE_USER, HANDLER_USER, QM_USER, AUDITOR_USER, GM_USER):
			for doctype, name in records.items():
				with self.subTest(user=user, doctype=doctype), as_user(user):
					self.assertTrue(frappe.has_permission(doctype, "select"))
					self.assertFalse(frappe.has_permission(doctype, "read"))
					self.assertEqual(validate_link(doctype, name).name, name)
					self.assertIn(name, [r["value"] for r in search_link(doctype, name)])
		with as_user(INVESTIGATOR_USER), self.assertRaises(frappe.PermissionError):
			validate_link("Company", company)


class TestComposer(ComplaintTestCase):
	def test_roles_that_cannot_read_email_accounts_get_the_signature_in_their_boot(self):
		from complaint_handling.engine.messaging import boot_session

		for user, gets_one in ((HANDLER_USER, True), (SYSTEM_MANAGER_USER, False)):
			bootinfo = frappe._dict(user=frappe._dict(email_signature=None))
			with as_user(user):
				boot_session(bootinfo)
			self.assertEqual(bool(bootinfo.user.email_signature), gets_one, user)


def make_employee():
	from complaint_handling.tests.utils import default_company

	if not frappe.db.exists("Gender", "Female"):
		frappe.get_doc({"doctype": "Gender", "gender": "Female"}).insert(ignore_permissions=True)
	return (
		frappe.get_doc(
			{
				"doctype": "Employee",
				"first_name": "Wang",
				"last_name": "Fang",
				"gender": "Female",
				"date_of_birth": "1990-05-01",
				"date_of_joining": "2020-01-06",
				"company": default_company(),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestNextStep(ComplaintTestCase):
	def test_the_intro_names_the_admins_action_and_what_to_fill_first(self):
		from complaint_handling.intake.next_step import next_step

		complaint = make_complaint(complaint_category=None, severity=None)
		with as_user(INTAKE_USER):
			message, colour = next_step(reload(complaint))
		self.assertEqual(colour, "orange")
		self.assertIn("Register", message)
		self.assertIn("Category", message)
		# nothing to fill for a reader who cannot take that step
		with as_user(AUDITOR_USER):
			self.assertIsNone(next_step(reload(complaint)))
