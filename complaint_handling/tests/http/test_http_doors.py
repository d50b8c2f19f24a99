"""The doors of people the app names on a record (issue 12), over HTTP as those people: a CAPA
action owner with no complaint role opens their CAPA and marks their own action done, and can do
nothing else; an investigator finds their investigation in their ToDo list (a panel member's
ToDo is proven in ``test_complaint_appeal.py``).
"""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from complaint_handling.engine.workflow import transition_to
from complaint_handling.tests.http import harness as h


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


class TestActionOwnerDoor(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx = h.fixtures()
		frappe.set_user("Administrator")
		frappe.flags.mute_emails = True
		cls.owner = fx.user("action-owner")
		cls.complaint = fx.docs["Complaint"]
		capa = frappe.get_doc(
			{
				"doctype": "CAPA",
				"title": f"{h.TAG} {fx.run} capa door",
				"capa_type": "Corrective",
				"company": fx.company,
				"responsible": fx.user("qm"),
				"raised_on": today(),
				"problem_statement": "<p>Seal torque drifts on line 2.</p>",
				"root_cause": "Torque head worn.",
				"complaints": [{"complaint": cls.complaint}],
				"actions": [
					{
						"action": "Replace the torque head",
						"action_owner": cls.owner,
						"due_date": add_days(today(), 5),
					},
					{
						"action": "Retrain line 2",
						"action_owner": fx.user("handler"),
						"due_date": add_days(today(), 9),
					},
				],
			}
		).insert(ignore_permissions=True)
		frappe.set_user(fx.user("qm"))
		capa = transition_to(capa, "Open")
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.capa = capa.name
		cls.mine, cls.theirs = (row.name for row in capa.actions)

	def test_the_owner_finds_it_in_their_todo_list_and_opens_it(self):
		c = h.client("action-owner")
		todos = h.data_of(
			c.resource_list(
				"ToDo",
				fields=["reference_type", "reference_name", "status"],
				filters=[["status", "=", "Open"]],
			)
		)
		self.assertIn({"reference_type": "CAPA", "reference_name": self.capa, "status": "Open"}, todos)
		r = c.get("/api/method/frappe.desk.form.load.getdoc", {"doctype": "CAPA", "name": self.capa})
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertEqual(h.payload(r)["docs"][0]["root_cause"], "Torque head worn.")
		subject = frappe.db.get_value("Complaint", self.complaint, "subject")
		self.assertNotIn(subject, h.body(r), "the complaint behind the CAPA stays unread")
		self.assertNotIn(subject, h.body(c.resource("CAPA", self.capa)))
		listed = h.data_of(c.resource_list("CAPA", fields=["name"], limit_page_length=100))
		self.assertEqual([row["name"] for row in listed], [self.capa])

	def test_the_owner_cannot_edit_the_capa_or_read_its_complaint(self):
		c = h.client("action-owner")
		r = c.put("CAPA", self.capa, {"root_cause": "Rewritten by the owner"})
		self.assertIsNone(h.refusal_problem(r))
		self.assertEqual(h.fresh_value("CAPA", self.capa, "root_cause"), "Torque head worn.")
		for path in (
			f"/api/resource/Complaint/{self.complaint}",
			f"/api/method/frappe.desk.form.load.getdoc?doctype=Complaint&name={self.complaint}",
		):
			r = c.get(path)
			self.assertIn(r.status_code, (403, 404), path)
			self.assertNotIn(h.fixtures().complainant["token"], h.body(r))

	def test_the_owner_marks_their_own_action_done_and_no_other(self):
		c = h.client("action-owner")
		r = c.call(
			"complaint_handling.capa.actions.complete_action",
			capa=self.capa,
			action=self.theirs,
			evidence="x",
		)
		self.assertEqual(r.status_code, 403)
		self.assertIsNone(h.refusal_problem(r))
		r = c.call(
			"complaint_handling.capa.actions.complete_action", capa=self.capa, action=self.mine, evidence=""
		)
		self.assertIsNone(h.refusal_problem(r))
		r = c.call(
			"complaint_handling.capa.actions.complete_action",
			capa=self.capa,
			action=self.mine,
			evidence="Torque head TH-22 fitted; work order WO-118.",
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		rows = {
			row["name"]: row
			for row in h.fresh_rows("CAPA", self.capa, "actions", ("name", "status", "evidence"))
		}
		self.assertEqual(rows[self.mine]["status"], "Done")
		self.assertEqual(rows[self.theirs]["status"], "Open")

	def test_people_who_own_no_action_reach_nothing(self):
		for persona in ("sales", "website"):
			c = h.client(persona)
			r = c.resource("CAPA", self.capa)
			self.assertIn(r.status_code, (403, 404), persona)
			r = c.call(
				"complaint_handling.capa.actions.complete_action",
				capa=self.capa,
				action=self.mine,
				evidence="x",
			)
			self.assertIn(r.status_code, (403, 404), persona)


class TestAssignmentsReachPeople(FrappeTestCase):
	def test_the_investigator_finds_their_investigation_in_their_todo_list(self):
		name = h.fixtures().docs["Complaint Investigation"]
		todos = h.data_of(
			h.client("investigator").resource_list(
				"ToDo",
				fields=["reference_type", "reference_name"],
				filters=[["reference_type", "=", "Complaint Investigation"], ["status", "=", "Open"]],
			)
		)
		self.assertIn({"reference_type": "Complaint Investigation", "reference_name": name}, todos)


class TestEditRightsOverHttp(FrappeTestCase):
	def test_a_handler_cannot_change_a_complaint_pending_approval_through_the_api(self):
		fx = h.fixtures()
		name = fx.new_complaint("edit rights", status="Pending Approval")
		frappe.db.commit()
		resolution = h.fresh_value("Complaint", name, "resolution")
		for call in (
			lambda c: c.put("Complaint", name, {"resolution": "<p>Changed after submission.</p>"}),
			lambda c: c.call(
				"frappe.client.set_value",
				doctype="Complaint",
				name=name,
				fieldname="resolution",
				value="<p>Changed after submission.</p>",
			),
		):
			r = call(h.client("handler"))
			self.assertEqual(r.status_code, 403, h.body(r)[:300])
			self.assertIsNone(h.refusal_problem(r))
			self.assertEqual(h.fresh_value("Complaint", name, "resolution"), resolution)
		r = h.client("qm").put("Complaint", name, {"location": "Dock 4"})
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertEqual(h.fresh_value("Complaint", name, "location"), "Dock 4")


class TestSavingShowsNoHiddenEmails(FrappeTestCase):
	def test_a_panel_member_who_saves_the_appeal_gets_its_timeline_without_the_emails(self):
		fx = h.fixtures()
		name = fx.docs["Complaint Appeal"]
		frappe.db.set_value("Complaint Appeal", name, {"status": "Accepted", "workflow_state": "Accepted"})
		frappe.db.commit()
		c = h.client("panel")
		doc = h.payload(
			c.get("/api/method/frappe.desk.form.load.getdoc", {"doctype": "Complaint Appeal", "name": name})
		)["docs"][0]
		doc["decision_reasons"] = "<p>Draft reasons.</p>"
		r = c.call("frappe.desk.form.save.savedocs", doc=doc, action="Save")
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertEqual(h.payload(r)["docinfo"]["communications"], [])
		for canary in fx.canaries("appellant"):
			self.assertNotIn(canary, h.body(r))

	def test_readers_who_may_not_see_the_party_get_no_live_updates_of_the_case(self):
		complaint = h.fixtures().docs["Complaint"]
		for persona, allowed in (("handler", True), ("investigator", False), ("auditor", False)):
			r = h.client(persona).call(
				"frappe.realtime.can_subscribe_doc", doctype="Complaint", docname=complaint
			)
			self.assertEqual(r.status_code == 200, allowed, f"{persona}: {h.body(r)[:200]}")

	def test_nobody_reads_a_complaint_subject_through_its_link_title(self):
		complaint = h.fixtures().docs["Complaint"]
		subject = frappe.db.get_value("Complaint", complaint, "subject")
		for persona, title in (("handler", subject), ("action-owner", complaint), ("sales", complaint)):
			r = h.client(persona).call(
				"frappe.desk.search.get_link_title", doctype="Complaint", docname=complaint
			)
			self.assertEqual(h.data_of(r), title, persona)
