"""Every role does its whole job in the desk (issue 12), in Chromium, as the people who do it: each
logs in through the login page, lands on the Complaints workspace, opens the record of their job
and does it with the desk's own controls (the Actions menu of the workflow, the form's button
groups, dialogs), and the record reaches the state the job leads to, with no error dialog and no
script error.

- the intake officer records a phoned-in complaint and registers it;
- the handler acknowledges an assigned complaint and opens an investigation naming its investigator,
  who gets a ToDo;
- the investigator starts the investigation from their ToDo, records the findings and submits them;
- the quality manager approves an investigation, approves a requested deadline extension and a
  complaint's response, and raises a CAPA from a complaint with an action for an ordinary employee;
- that employee (role Employee only) finds the CAPA in their ToDo, marks their action done with its
  evidence and a file, and cannot open the complaint behind it;
- the appeal panel member records the panel's decision on an accepted appeal;
- the auditor and the general manager open a complaint read-only.

The intake officer's, handler's and quality manager's jobs run again as users whose language is
Chinese: the same controls are found under their Chinese labels (``translations/zh.csv``).

Records are prepared, as the people whose step it is, through the app's workflows; every complaint's
subject starts with the HTTP harness's tag, so ``harness.purge`` removes it and what hangs off it.
"""

import csv
from pathlib import Path

import frappe
from frappe.utils import add_days, now_datetime, today

from complaint_handling.engine.workflow import transition_to
from complaint_handling.setup import defaults
from complaint_handling.tests.browser.desk import (  # noqa: F401 (unittest's module fixtures)
	WAIT,
	DeskTestCase,
	fresh,
	setUpModule,
)
from complaint_handling.tests.browser.desk import tearDownModule as release_fixtures
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import as_user, ensure_user

ACTION_OWNER = f"{h.USER_PREFIX}action-owner@example.com"  # an ordinary employee: no complaint role
# users whose desk is in Chinese, one per role whose job runs in both languages
ZH_USERS = {
	"intake": (f"{h.USER_PREFIX}intake-zh@example.com", defaults.INTAKE),
	"handler": (f"{h.USER_PREFIX}handler-zh@example.com", defaults.HANDLER),
	"qm": (f"{h.USER_PREFIX}qm-zh@example.com", defaults.QUALITY_MANAGER),
}
ZH_CSV = Path(__file__).resolve().parents[2] / "translations" / "zh.csv"


def zh_labels() -> dict[str, str]:
	with ZH_CSV.open(encoding="utf-8") as f:
		return {row[0]: row[1] for row in csv.reader(f) if len(row) >= 2}


def user_of(persona: str) -> str:
	return persona if "@" in persona else h.PERSONAS[persona].email


def act(doctype: str, name: str, status: str, persona: str):
	"""Take the workflow action leading ``name`` to ``status``, as ``persona`` (server side)."""
	with as_user(user_of(persona)):
		return transition_to(frappe.get_doc(doctype, name), status)


def tearDownModule():
	release_fixtures()
	# what purge does not know of: the read shares and evidence files of the CAPAs it removed
	ours = set(h.app_doctypes())
	for share in frappe.get_all(
		"DocShare",
		filters={"user": ("like", f"{h.USER_PREFIX}%")},
		fields=["name", "share_doctype", "share_name"],
	):
		if share.share_doctype in ours and not frappe.db.exists(share.share_doctype, share.share_name):
			frappe.db.delete("DocShare", {"name": share.name})
	for file in frappe.get_all(
		"File",
		filters={"owner": ("like", f"{h.USER_PREFIX}%")},
		fields=["name", "attached_to_doctype", "attached_to_name"],
	):
		if not file.attached_to_name or not frappe.db.exists(file.attached_to_doctype, file.attached_to_name):
			frappe.delete_doc("File", file.name, force=True, ignore_permissions=True)
	frappe.db.commit()


class TestEveryRoleInTheDesk(DeskTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_user(ACTION_OWNER, ["Employee"], "Wang Fang")
		for email, role in ZH_USERS.values():
			ensure_user(email, [role], f"{role} zh")
			user = frappe.get_doc("User", email)
			if user.language != "zh":
				user.language = "zh"
				user.save(ignore_permissions=True)
		frappe.db.commit()
		cls.zh = zh_labels()

	def setUp(self):
		frappe.set_user("Administrator")
		self.muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True

	def tearDown(self):
		frappe.flags.mute_emails = self.muted
		frappe.set_user("Administrator")

	# ---- records prepared as the people whose step it is

	def complaint_in(self, label: str, status: str, extension: bool = False) -> str:
		"""A committed complaint walked through its workflow to ``status``."""
		name = self.fx.new_complaint(f"roles {label}")
		walk = ["Registered", "Acknowledged", "Under Investigation", "Pending Approval"]
		for step in walk[: walk.index(status) + 1]:
			if step == "Pending Approval":
				with as_user(user_of("handler")):
					doc = frappe.get_doc("Complaint", name)
					doc.validity = "Accepted"
					doc.resolution = "<p>Credit note issued and the batch replaced.</p>"
					if extension:
						doc.append(
							"deadline_extensions",
							{
								"clock": "Resolution",
								"extend_to": add_days(now_datetime(), 60),
								"reason": "The retained sample goes to the external laboratory.",
							},
						)
					doc.save()
			act("Complaint", name, step, "intake" if step == "Registered" else "handler")
		frappe.db.commit()
		return name

	def investigation_for(self, complaint: str, submitted: bool = False) -> str:
		with as_user(user_of("handler")):  # handlers open investigations, naming the investigator
			doc = frappe.get_doc(
				{
					"doctype": "Complaint Investigation",
					"complaint": complaint,
					"investigator": user_of("investigator"),
				}
			).insert()
		if submitted:
			act(doc.doctype, doc.name, "In Progress", "investigator")
			with as_user(user_of("investigator")):
				doc = frappe.get_doc(doc.doctype, doc.name)
				doc.update(FINDINGS)
				doc.save()
			act(doc.doctype, doc.name, "Pending Approval", "investigator")
		frappe.db.commit()
		return doc.name

	def open_capa(self, complaint: str) -> tuple[str, str]:
		"""An open CAPA with one action of the action owner and one of the handler: (CAPA, row)."""
		doc = frappe.get_doc(
			{
				"doctype": "CAPA",
				"title": f"{h.TAG} roles capa",
				"capa_type": "Corrective",
				"company": self.fx.company,
				"responsible": user_of("handler"),
				"raised_on": today(),
				"problem_statement": "<p>Balance B-7 drifts between calibrations.</p>",
				"complaints": [{"complaint": complaint}],
				"actions": [
					{
						"action": "Recalibrate balance B-7",
						"action_owner": ACTION_OWNER,
						"due_date": add_days(today(), 7),
					},
					{
						"action": "Update SOP-12",
						"action_owner": user_of("handler"),
						"due_date": add_days(today(), 9),
					},
				],
			}
		).insert(ignore_permissions=True)
		act("CAPA", doc.name, "Open", "qm")
		frappe.db.commit()
		return doc.name, doc.actions[0].name

	def accepted_appeal(self) -> tuple[str, dict]:
		"""An appeal accepted by the quality manager, with the panel member on its panel, and its
		appellant's canary contacts (the acceptance letter to them is in its timeline)."""
		complaint = self.fx.new_complaint("roles appealed", status="Responded")
		appellant = h.canary_party("appellant")
		name = self.fx.new_appeal(complaint, appellant, [user_of("panel")])
		act("Complaint Appeal", name, "Received", "intake")
		act("Complaint Appeal", name, "Accepted", "qm")
		frappe.db.commit()
		return name, appellant

	def open_todo(self, doctype: str, name: str, user: str) -> str | None:
		frappe.db.rollback()
		return frappe.db.get_value(
			"ToDo",
			{"reference_type": doctype, "reference_name": name, "allocated_to": user, "status": "Open"},
		)

	# ---- checks of the page

	def expect_labels(self, page, lang: str, *actions: str):
		"""In Chinese, the Actions menu shows ``actions`` under their labels of zh.csv."""
		if lang == "zh":
			shown = self.workflow_actions(page)
			for action in actions:
				self.assertIn(self.zh[action], shown, f"{action} is not shown in Chinese: {shown}")

	def from_todo(self, page, doctype: str, name: str, shot: str):
		"""Open /app/todo, screenshot it, and follow the ToDo of ``name`` to its record."""
		page.goto(f"{self.base}/app/todo")
		button = page.locator(f'.result button.btn-action[title*="{name}"]')
		button.wait_for(state="visible", timeout=60_000)
		page.wait_for_timeout(500)
		self.shot(page, shot)
		button.click()
		self.wait_for_form(page, name)
		self.assertEqual(page.evaluate("cur_frm.doctype"), doctype)

	# ---- the jobs, in either language

	def intake_registers_a_phoned_complaint(self, user: str, lang: str):
		page = self.open_as(user)
		self.land(page, f"intake-{lang}-landing")
		self.new_form(page, "complaint")
		token = frappe.generate_hash(length=8)
		self.set_values(
			page,
			{
				"subject": f"{h.TAG} roles phoned {token}",
				"channel": "Phone",
				"complaint_category": self.fx.category,
				"severity": self.fx.severity,
				"description": "<p>The seal of the bottle was broken on arrival.</p>",
				"restatement": "瓶子到货时封口已破损。"
				if lang == "zh"
				else "The bottle arrived with its seal broken.",
				"restatement_confirmed_orally": 1,
				"complainant_name": "李雷" if lang == "zh" else "Lei Li",
				"complainant_email": f"roles-{token}@example.org",
			},
		)
		name = self.save(page)
		# saved again, as an officer completing the draft: the form sends the whole document back
		self.set_values(page, {"location": "收货区" if lang == "zh" else "Receiving dock"})
		self.save(page)
		self.assert_clean(page)
		self.assertEqual(fresh("Complaint", name, "location"), "收货区" if lang == "zh" else "Receiving dock")
		self.expect_labels(page, lang, "Register")
		self.workflow_action(page, "Register", {"status": "Registered"})
		self.shot(page, f"intake-{lang}-complaint-registered")
		self.assert_clean(page)
		self.assertEqual(fresh("Complaint", name, "status"), "Registered")
		self.assertEqual(fresh("Complaint", name, "channel"), "Phone")

	def handler_acknowledges_and_opens_an_investigation(self, user: str, lang: str):
		from frappe.desk.form import assign_to

		complaint = self.complaint_in(f"handled {lang}", "Registered")
		assign_to.add(
			{"assign_to": [user], "doctype": "Complaint", "name": complaint}, ignore_permissions=True
		)
		frappe.db.commit()

		page = self.open_as(user)
		self.land(page, f"handler-{lang}-landing")
		self.open_form(page, "complaint", complaint)
		self.expect_labels(page, lang, "Acknowledge")
		self.workflow_action(page, "Acknowledge", {"status": "Acknowledged"})
		self.shot(page, f"handler-{lang}-complaint-acknowledged")
		self.assert_clean(page)
		self.assertEqual(fresh("Complaint", complaint, "status"), "Acknowledged")

		self.group_item(page, "Create", "Investigation")
		page.wait_for_function(
			"""(c) => window.cur_frm && cur_frm.doctype === 'Complaint Investigation'
				&& cur_frm.doc.__islocal && cur_frm.doc.complaint === c""",
			arg=complaint,
			timeout=60_000,
		)
		page.wait_for_timeout(1000)
		investigator_field = page.locator(
			'.form-layout:visible .frappe-control[data-fieldname="investigator"]'
		)
		self.assertTrue(
			investigator_field.first.is_visible(), "the new investigation shows no Investigator field"
		)
		self.set_values(page, {"investigator": user_of("investigator")})
		investigation = self.save(page)
		self.shot(page, f"handler-{lang}-investigation")
		self.assert_clean(page)
		self.assertEqual(fresh("Complaint Investigation", investigation, "complaint"), complaint)
		self.assertEqual(
			fresh("Complaint Investigation", investigation, "investigator"), user_of("investigator")
		)
		self.assertTrue(
			self.open_todo("Complaint Investigation", investigation, user_of("investigator")),
			"the investigator has no open ToDo for the investigation",
		)

	def quality_manager_approves_an_extension_and_a_response(self, user: str, lang: str):
		complaint = self.complaint_in(f"approved {lang}", "Pending Approval", extension=True)
		page = self.open_as(user)
		self.land(page, f"qm-{lang}-landing")
		self.open_form(page, "complaint", complaint)
		self.shot(page, f"qm-{lang}-complaint-pending-approval")
		self.group_item(page, "Extensions", starts_with="Approve {0}")
		page.wait_for_function(
			"cur_frm.doc.deadline_extensions.length && cur_frm.doc.deadline_extensions[0].status === 'Approved'",
			timeout=60_000,
		)
		self.expect_labels(page, lang, "Approve Response")
		self.workflow_action(page, "Approve Response", {"status": "Responded"})
		self.shot(page, f"qm-{lang}-complaint-responded")
		self.assert_clean(page)
		# the intro line says the next step of the complaint as it is now, not as it was
		hint = self.translate(
			page, "Check the decision and the resolution, then Approve Response or Send Back."
		)
		intro = " ".join(page.locator(".form-message:visible").all_inner_texts())
		self.assertEqual(fresh("Complaint", complaint, "status"), "Responded")
		extension = h.fresh_rows("Complaint", complaint, "deadline_extensions", ("status", "decided_by"))
		self.assertEqual([(r.status, r.decided_by) for r in extension], [("Approved", user)])
		self.assertNotIn(
			hint, intro, "after Approve Response the intro line still asks to approve the response"
		)
		# the working hours from receipt to the reply, counted when it was approved; to closure: not yet
		page.locator(".form-tabs .nav-link", has_text=self.translate(page, "Decision")).first.click()
		page.locator(".section-head", has_text=self.translate(page, "Working Hours from Receipt")).click()
		respond = page.locator('.frappe-control[data-fieldname="working_hours_to_respond"]')
		respond.wait_for(state="visible", timeout=WAIT)
		self.assertFalse(
			page.locator('.frappe-control[data-fieldname="working_hours_to_close"]').is_visible()
		)
		stored = fresh("Complaint", complaint, "working_hours_to_respond")
		self.assertEqual(float(self.field_value(page, "working_hours_to_respond") or 0), stored)
		self.shot(page, f"qm-{lang}-complaint-working-hours")

	# ---- one scenario per role

	def test_intake_officer_registers_a_phoned_complaint(self):
		self.intake_registers_a_phoned_complaint(user_of("intake"), "en")

	def test_the_intro_line_says_the_next_step_once_after_each_save(self):
		page = self.open_as("intake")
		self.new_form(page, "complaint")
		token = frappe.generate_hash(length=8)
		self.set_values(
			page,
			{
				"subject": f"{h.TAG} roles intro {token}",
				"channel": "Phone",
				"description": "<p>The seal of the bottle was broken on arrival.</p>",
				"complainant_name": "Lei Li",
				"complainant_email": f"intro-{token}@example.org",
			},
		)
		hint = self.translate(page, "Before {0}, fill in: {1}.").split("{0}")[0]
		for step, change in enumerate(({}, {"location": "Receiving dock"})):
			self.set_values(page, change)
			self.save(page)
			self.shot(page, f"intake-en-intro-once-{step}")
			intro = page.locator(".form-message:visible").inner_text()
			self.assertEqual(intro.count(hint), 1, intro)

	def test_intake_officer_in_chinese(self):
		self.intake_registers_a_phoned_complaint(ZH_USERS["intake"][0], "zh")

	def test_handler_acknowledges_and_opens_an_investigation(self):
		self.handler_acknowledges_and_opens_an_investigation(user_of("handler"), "en")

	def test_handler_in_chinese(self):
		self.handler_acknowledges_and_opens_an_investigation(ZH_USERS["handler"][0], "zh")

	def test_investigator_works_their_investigation_from_the_todo(self):
		complaint = self.complaint_in("investigated", "Under Investigation")
		investigation = self.investigation_for(complaint)
		page = self.open_as("investigator")
		self.land(page, "investigator-en-landing")
		self.from_todo(page, "Complaint Investigation", investigation, "investigator-en-todo")
		self.workflow_action(page, "Start Investigation", {"status": "In Progress"})
		self.set_values(page, FINDINGS)
		self.save(page)
		self.workflow_action(page, "Submit for Approval", {"status": "Pending Approval"})
		self.shot(page, "investigator-en-investigation-submitted")
		self.assert_clean(page)
		self.assertEqual(fresh("Complaint Investigation", investigation, "status"), "Pending Approval")
		self.assertEqual(
			fresh("Complaint Investigation", investigation, "root_cause"), FINDINGS["root_cause"]
		)

	def test_quality_manager_approves_an_investigation(self):
		complaint = self.complaint_in("investigation approved", "Under Investigation")
		investigation = self.investigation_for(complaint, submitted=True)
		page = self.open_as("qm")
		self.land(page, "qm-en-landing")
		self.open_form(page, "complaint-investigation", investigation)
		self.workflow_action(page, "Approve", {"status": "Approved"})
		self.shot(page, "qm-en-investigation-approved")
		self.assert_clean(page)
		self.assertEqual(fresh("Complaint Investigation", investigation, "status"), "Approved")
		self.assertEqual(fresh("Complaint Investigation", investigation, "approved_by"), user_of("qm"))
		self.assertEqual(fresh("Complaint", complaint, "validity"), "Accepted")

	def test_quality_manager_approves_an_extension_and_a_response(self):
		self.quality_manager_approves_an_extension_and_a_response(user_of("qm"), "en")

	def test_quality_manager_in_chinese(self):
		self.quality_manager_approves_an_extension_and_a_response(ZH_USERS["qm"][0], "zh")

	def test_quality_manager_raises_a_capa_with_an_action_for_an_employee(self):
		complaint = self.complaint_in("capa raised", "Under Investigation")
		page = self.open_as("qm")
		self.open_form(page, "complaint", complaint)
		self.group_item(page, "Create", "CAPA")
		page.wait_for_function(
			"""(c) => window.cur_frm && cur_frm.doctype === 'CAPA' && cur_frm.doc.__islocal
				&& cur_frm.doc.source_name === c""",
			arg=complaint,
			timeout=60_000,
		)
		page.wait_for_timeout(1000)
		linked = page.evaluate(
			"(c) => (cur_frm.doc.complaints || []).some((r) => r.complaint === c)", complaint
		)
		self.assertTrue(linked, "Create > CAPA on a complaint opened a CAPA that does not list the complaint")
		self.set_values(
			page,
			{"responsible": user_of("handler"), "problem_statement": "<p>Seals break in transit.</p>"},
		)
		page.evaluate(
			"""(owner) => {
				cur_frm.add_child("actions", {
					action: "Change the carton insert",
					action_owner: owner,
					due_date: frappe.datetime.add_days(frappe.datetime.get_today(), 14),
				});
				cur_frm.refresh_field("actions");
			}""",
			ACTION_OWNER,
		)
		capa = self.save(page)
		self.workflow_action(page, "Start", {"status": "Open"})
		self.shot(page, "qm-en-capa-open")
		self.assert_clean(page)
		self.assertEqual(fresh("CAPA", capa, "status"), "Open")
		self.assertTrue(
			self.open_todo("CAPA", capa, ACTION_OWNER), "the action owner has no ToDo for the CAPA"
		)
		self.assertTrue(
			frappe.db.exists("DocShare", {"share_doctype": "CAPA", "share_name": capa, "user": ACTION_OWNER})
		)
		linked = page.evaluate(
			"(c) => (cur_frm.doc.complaints || []).some((r) => r.complaint === c)", complaint
		)
		self.assertTrue(linked, "Create > CAPA on a complaint opened a CAPA that does not list the complaint")
		self.assertEqual(
			[r.complaint for r in h.fresh_rows("CAPA", capa, "complaints", ("complaint",))], [complaint]
		)

	def test_capa_action_owner_marks_their_action_done(self):
		complaint = self.complaint_in("capa action", "Under Investigation")
		capa, row = self.open_capa(complaint)
		page = self.open_as(ACTION_OWNER)
		self.from_todo(page, "CAPA", capa, "action-owner-en-todo")
		self.assertFalse(
			page.evaluate("!!(cur_frm.perm[0] || {}).write"), "the action owner may edit the CAPA"
		)
		button = self.custom_button(page, "Mark My Action Done")
		self.assertTrue(button.is_visible())
		self.assertIn("btn-primary", button.get_attribute("class"))
		self.shot(page, "action-owner-en-capa")
		self.assert_clean(page)

		button.click()
		dialog = page.locator(".modal.show")
		dialog.locator('[data-fieldname="evidence"] textarea').fill(
			"Calibration certificate CC-2291, in the QA share."
		)
		self.attach_in_dialog(page, dialog, "calibration.txt", b"B-7 within 0.1 mg after calibration")
		self.shot(page, "action-owner-en-mark-done-dialog")
		dialog.locator(".modal-footer .btn-primary").click()
		page.wait_for_function(
			"(row) => (cur_frm.doc.actions || []).some((r) => r.name === row && r.status === 'Done')",
			arg=row,
			timeout=60_000,
		)
		page.wait_for_timeout(1000)
		self.shot(page, "action-owner-en-action-done")
		self.assert_clean(page)
		actions = h.fresh_rows("CAPA", capa, "actions", ("name", "status", "evidence", "evidence_attachment"))
		mine = next(r for r in actions if r.name == row)
		self.assertEqual(mine.status, "Done")
		self.assertIn("CC-2291", mine.evidence)
		self.assertTrue(mine.evidence_attachment, "the evidence file is not on the action")
		self.assertEqual([r.status for r in actions if r.name != row], ["Open"])

		# the complaint behind the CAPA stays closed to them
		page.goto(f"{self.base}/app/complaint/{complaint}")
		page.wait_for_timeout(4000)
		self.shot(page, "action-owner-en-complaint-refused")
		self.assertFalse(
			page.evaluate("(c) => !!(window.cur_frm && cur_frm.doc && cur_frm.doc.name === c)", complaint)
		)
		subject = fresh("Complaint", complaint, "subject")
		self.assertNotIn(subject, page.content())

	def leaks(self, page, party: dict, when: str) -> list[str]:
		"""``[when]`` if the page shows the party's canary contacts (checked at the end of a test,
		so the rest of the job is still seen through)."""
		return [when] if party["token"] in page.content() else []

	def attach_in_dialog(self, page, dialog, filename: str, content: bytes):
		"""Upload a file through the dialog's Attach control, as a user picks one."""
		dialog.locator('[data-fieldname="attachment"] button').first.click()
		uploader = page.locator(".modal.show .file-uploader")
		uploader.wait_for(state="visible", timeout=30_000)
		uploader.locator('input[type="file"]').set_input_files(
			files=[{"name": filename, "mimeType": "text/plain", "buffer": content}]
		)
		upload = page.locator(".modal.show .modal-footer .btn-primary").last
		upload.click()
		dialog.locator('[data-fieldname="attachment"] a.attached-file-link').wait_for(timeout=30_000)
		page.wait_for_function("document.querySelectorAll('.modal.show').length === 1", timeout=30_000)
		page.wait_for_timeout(500)  # the uploader fades out

	def test_appeal_panel_member_records_the_decision(self):
		appeal, appellant = self.accepted_appeal()
		self.assertTrue(
			self.open_todo("Complaint Appeal", appeal, user_of("panel")), "no ToDo for the panel member"
		)
		page = self.open_as("panel")
		self.land(page, "panel-en-landing")
		self.from_todo(page, "Complaint Appeal", appeal, "panel-en-todo")
		self.shot(page, "panel-en-appeal")
		# README: panel members do not see the emails exchanged with the appellant
		leaks = self.leaks(page, appellant, "on opening the appeal")
		self.set_values(
			page,
			{
				"outcome": "Upheld",
				"decision_reasons": "<p>The retained sample was re-tested; the original result stands.</p>",
			},
		)
		self.save(page)
		self.shot(page, "panel-en-appeal-saved")
		self.assert_clean(page)
		leaks += self.leaks(page, appellant, "after saving the outcome")
		self.workflow_action(page, "Record Decision", {"status": "Decided"})
		self.shot(page, "panel-en-appeal-decided")
		self.assert_clean(page)
		leaks += self.leaks(page, appellant, "after Record Decision")
		self.assertEqual(fresh("Complaint Appeal", appeal, "status"), "Decided")
		self.assertEqual(fresh("Complaint Appeal", appeal, "outcome"), "Upheld")
		self.assertEqual(fresh("Complaint Appeal", appeal, "decided_by"), user_of("panel"))
		self.assertEqual(leaks, [], "the panel member sees the appellant's contacts")

	def test_auditor_and_general_manager_read_a_complaint(self):
		complaint = self.fx.docs["Complaint"]
		for persona in ("auditor", "gm"):
			with self.subTest(persona=persona):
				page = self.open_as(persona)
				self.land(page, f"{persona}-en-landing")
				self.open_form(page, "complaint", complaint)
				self.shot(page, f"{persona}-en-complaint")
				self.assertEqual(
					page.evaluate("cur_frm.doc.subject"), fresh("Complaint", complaint, "subject")
				)
				self.assertFalse(page.evaluate("!!(cur_frm.perm[0] || {}).write"), f"{persona} may edit")
				self.assertEqual(self.workflow_actions(page), [])
				self.assert_clean(page)
		# the auditor samples the SLA events from the workspace's link: the list opens
		page = self.open_as("auditor")
		page.goto(f"{self.base}/app/complaint-sla-event")
		page.wait_for_function("window.cur_list && cur_list.doctype === 'Complaint SLA Event'", timeout=WAIT)
		self.shot(page, "auditor-en-sla-events")
		self.assert_clean(page)


FINDINGS = {
	"facts": "<p>The retained sample of the batch was re-tested twice.</p>",
	"root_cause_method": "5-Why",
	"root_cause": "The balance used for the assay was out of calibration.",
	"responsibility": "Product Defect",
	"conclusion": "Substantiated",
	"conclusion_summary": "The complaint is justified: the assay was wrong.",
}
