# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt
"""Appeals on a real site. The seeded periods: file within 30 days of the decision, acceptance
within 5 working days, decision within 2 months, implementation within 10 working days."""

import json
import re

import frappe
from frappe.client import get as client_get
from frappe.desk.form import assign_to
from frappe.utils import get_datetime

from complaint_handling.engine import reminders
from complaint_handling.rules.complaint import Status
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	COMPLAINANT_EMAIL,
	HANDLER_2_USER,
	HANDLER_USER,
	INTAKE_USER,
	INVESTIGATOR_USER,
	PANEL_USER,
	QM_2_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
	move,
	reload,
	respond,
)

APPELLANT = "appellant@example.org"


def at(text):
	return get_datetime(text)


class AppealTestCase(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		self.enterContext(self.freeze_time("2027-03-31 12:00:00"))
		with self.freeze_time("2026-11-02 10:00:00"):
			self.complaint = move(
				respond(make_complaint(received_on="2026-11-02 09:00:00")), Status.CLOSED, QM_USER
			)
		# decided by: the handler (validity), QM_USER (response and closure)

	def file(self, filed_on="2026-11-20 10:00:00", user=INTAKE_USER, **values):
		with self.freeze_time(filed_on), as_user(user):
			return frappe.get_doc(
				{
					"doctype": "Complaint Appeal",
					"complaint": self.complaint.name,
					"appellant_name": "Li Wei",
					"appellant_email": APPELLANT,
					"filed_on": filed_on,
					"grounds": "<p>The retained sample was never re-tested.</p>",
					**values,
				}
			).insert()

	def step(self, appeal, status, user, moment="2026-11-23 10:00:00", **values):
		with self.freeze_time(moment):
			if values:
				with as_user(user):
					appeal = reload(appeal)
					appeal.update(values)
					appeal.save()
			return move(appeal, status, user)


class TestWindowAndAcceptance(AppealTestCase):
	def test_inside_the_window(self):
		appeal = self.step(self.file(), "Received", INTAKE_USER, moment="2026-11-20 10:05:00")
		self.assertEqual(appeal.decision_date, at("2026-11-02 10:00"))
		self.assertEqual(appeal.window_closes_on, at("2026-12-02 23:59:59"))
		self.assertFalse(appeal.filed_late)
		self.assertEqual(appeal.acceptance_due, at("2026-11-27 10:00"))  # 5 working days

	def test_an_appeal_naming_no_appellant_is_the_complainants(self):
		appeal = self.file(appellant_name=None, appellant_email=None)
		details = frappe.db.get_value("Appellant", appeal.appellant, ["party_name", "email"])
		self.assertEqual(details, ("Li Wei", COMPLAINANT_EMAIL))

	def test_outside_the_window_is_refused_with_the_date_it_closed(self):
		appeal = self.file(filed_on="2026-12-03 09:00:00")
		self.assertTrue(appeal.filed_late)
		with self.assertRaises(frappe.ValidationError) as caught:
			self.step(appeal, "Received", INTAKE_USER, moment="2026-12-03 09:05:00")
		self.assertIn("30 Days", str(caught.exception))
		self.assertIn(frappe.utils.formatdate("2026-12-02"), str(caught.exception))  # the site's format

	def test_late_with_a_reason_and_quality_manager_consent(self):
		appeal = self.file(filed_on="2026-12-03 09:00:00", late_reason="The letter went to an old address")
		with as_user(INTAKE_USER), self.assertRaises(frappe.PermissionError):
			appeal = reload(appeal)
			appeal.late_consent = 1
			appeal.save()
		with self.freeze_time("2026-12-03 10:00:00"), as_user(QM_USER):
			appeal = reload(appeal)
			appeal.late_consent = 1
			appeal.save()
		appeal = self.step(appeal, "Received", INTAKE_USER, moment="2026-12-03 10:05:00")
		self.assertEqual((appeal.status, appeal.late_consent_by), ("Received", QM_USER))

	def test_acceptance_deadline_reminds_and_escalates_once(self):
		appeal = self.step(self.file(), "Received", INTAKE_USER, moment="2026-11-20 10:05:00")

		def sweep(moment):
			with self.freeze_time(moment):
				reminders.sweep(get_datetime(moment), commit=False)

		sweep("2026-11-25 10:05:00")  # two working days before acceptance is due
		sweep("2026-11-25 10:15:00")
		sweep("2026-11-27 10:05:00")  # due: the quality managers are told
		kinds = sorted(frappe.get_all("Complaint SLA Event", {"reference_name": appeal.name}, pluck="event"))
		self.assertEqual(kinds, ["Breach", "Escalation", "Reminder"])
		mails = frappe.get_all(
			"Email Queue",
			{"reference_doctype": "Complaint Appeal", "reference_name": appeal.name},
			pluck="name",
		)
		self.assertTrue(
			frappe.db.exists("Email Queue Recipient", {"parent": ("in", mails), "recipient": QM_USER})
		)

	def test_not_accepted_needs_a_reason_and_sends_the_notice(self):
		appeal = self.step(self.file(), "Received", INTAKE_USER)
		with self.assertRaises(frappe.MandatoryError):
			self.step(appeal, "Not Accepted", QM_2_USER)
		appeal = self.step(
			appeal, "Not Accepted", QM_2_USER, acceptance_reason="The appeal concerns another company's test."
		)
		self.assertEqual(appeal.acceptance_decided_by, QM_2_USER)
		queue = frappe.get_all(
			"Email Queue", {"reference_name": appeal.name}, ["name", "attachments"], order_by="creation desc"
		)[0]
		self.assertEqual(json.loads(queue.attachments)[0]["print_format"], defaults.APPEAL_NOTICE)
		self.assertTrue(
			frappe.db.exists("Email Queue Recipient", {"parent": queue.name, "recipient": APPELLANT})
		)
		html = frappe.get_print("Complaint Appeal", appeal.name, print_format=defaults.APPEAL_NOTICE)
		self.assertIn("another company", html)


class TestPanelIndependence(AppealTestCase):
	def accepted(self):
		appeal = self.step(self.file(), "Received", INTAKE_USER)
		return self.step(appeal, "Accepted", QM_2_USER)

	def add_panel(self, appeal, user, conflict=None):
		with as_user(QM_2_USER):
			appeal = reload(appeal)
			appeal.append("panel", {"user": user})
			if conflict:
				appeal.append("conflicts", conflict)
			appeal.save()
		return appeal

	def test_every_conflict_is_refused_by_name(self):
		assign_to.add({"assign_to": [HANDLER_2_USER], "doctype": "Complaint", "name": self.complaint.name})
		frappe.get_doc(
			{
				"doctype": "Complaint Investigation",
				"complaint": self.complaint.name,
				"investigator": INVESTIGATOR_USER,
			}
		).insert()
		appeal = self.accepted()
		for user, reason in (
			(HANDLER_USER, "decided the original case"),
			(QM_USER, "decided the original case"),
			(HANDLER_2_USER, "handled the original case"),
			(INVESTIGATOR_USER, "investigated the original case"),
		):
			with self.subTest(user=user), self.assertRaisesRegex(frappe.PermissionError, reason):
				self.add_panel(appeal, user)
		with self.assertRaisesRegex(frappe.PermissionError, "worked for the client"):
			self.add_panel(
				appeal, PANEL_USER, {"user": PANEL_USER, "reason": "worked for the client in 2025"}
			)
		self.assertEqual(len(self.add_panel(appeal, PANEL_USER).panel), 1)

	def test_who_approved_an_earlier_round_cannot_decide_the_appeal(self):
		# round 1 was approved by QM_USER; reopened, round 2 is approved and closed by QM_2_USER,
		# which clears the complaint's own approval fields of QM_USER
		with self.freeze_time("2026-11-03 10:00:00"):
			complaint = move(self.complaint, Status.REOPENED, QM_USER)
			complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
			complaint = move(complaint, Status.PENDING_APPROVAL, HANDLER_USER)
			complaint = move(complaint, Status.RESPONDED, QM_2_USER)
			self.complaint = move(complaint, Status.CLOSED, QM_2_USER)
		self.assertNotIn(QM_USER, (self.complaint.response_approved_by, self.complaint.closure_approved_by))
		appeal = self.step(self.file(), "Received", INTAKE_USER)
		with self.assertRaisesRegex(frappe.PermissionError, "decided the original case"):
			self.step(appeal, "Accepted", QM_USER)

	def test_involved_person_cannot_sit(self):
		with self.freeze_time("2026-11-02 10:00:00"):
			complaint = make_complaint(
				received_on="2026-11-02 09:00:00",
				involved_persons=[{"user": PANEL_USER, "relation": "Conflict of Interest"}],
			)
			self.complaint = move(respond(complaint), Status.CLOSED, QM_USER)
		with self.assertRaisesRegex(frappe.PermissionError, "Conflict of Interest"):
			self.add_panel(self.accepted(), PANEL_USER)

	def test_conflicted_quality_manager_cannot_accept(self):
		appeal = self.step(self.file(), "Received", INTAKE_USER)
		# the refusal names who may accept it instead: a quality manager who took no part
		other = re.escape(frappe.utils.get_fullname(QM_2_USER))
		with self.assertRaisesRegex(frappe.PermissionError, f"decided the original case.*Ask .*{other}"):
			self.step(appeal, "Accepted", QM_USER)

	def test_conflicted_quality_manager_may_still_register(self):
		"""Registering a received appeal (a portal user files it as a Draft) decides nothing."""
		appeal = self.step(self.file(), "Received", QM_USER)
		self.assertEqual(appeal.status, "Received")
		with self.assertRaisesRegex(frappe.PermissionError, "decided the original case"):
			self.step(appeal, "Not Accepted", QM_USER, acceptance_reason="Out of time.")


class TestOutcomes(AppealTestCase):
	def decide(self, outcome, reasons="<p>The retained sample confirms the appellant's result.</p>"):
		appeal = self.step(self.file(), "Received", INTAKE_USER)
		# the quality manager appoints the panel; its members cannot appoint themselves
		appeal = self.step(appeal, "Accepted", QM_2_USER, panel=[{"user": PANEL_USER, "panel_role": "Chair"}])
		self.assertEqual(appeal.decision_due, at("2027-01-23 23:59:59"))  # two months from acceptance
		return self.step(
			appeal,
			"Decided",
			PANEL_USER,
			moment="2026-12-01 10:00:00",
			outcome=outcome,
			decision_reasons=reasons,
		)

	def test_each_panel_member_gets_the_appeal_as_a_todo_until_it_is_decided(self):
		appeal = self.step(self.file(), "Received", INTAKE_USER)
		appeal = self.step(appeal, "Accepted", QM_2_USER, panel=[{"user": PANEL_USER, "panel_role": "Chair"}])
		filters = {
			"reference_type": "Complaint Appeal",
			"reference_name": appeal.name,
			"allocated_to": PANEL_USER,
		}
		self.assertEqual(frappe.get_all("ToDo", filters, pluck="status"), ["Open"])
		self.step(
			appeal,
			"Decided",
			PANEL_USER,
			moment="2026-12-01 10:00:00",
			outcome="Upheld",
			decision_reasons="<p>Stands.</p>",
		)
		self.assertEqual(frappe.get_all("ToDo", filters, pluck="status"), ["Closed"])

	def test_upheld_leaves_the_complaint_closed_and_shows_the_outcome(self):
		appeal = self.decide("Upheld")
		complaint = reload(self.complaint)
		self.assertEqual(complaint.status, Status.CLOSED)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": complaint.name, "content": ("like", f"%{appeal.name}%Upheld%")}
			)
		)
		self.assertFalse(appeal.implementation_due)
		letter = frappe.get_all(
			"Email Queue", {"reference_name": appeal.name}, ["attachments"], order_by="creation desc"
		)[0]
		self.assertEqual(json.loads(letter.attachments)[0]["print_format"], defaults.APPEAL_DECISION_LETTER)

	def test_overturned_reopens_the_complaint_with_the_reasons(self):
		appeal = self.decide("Overturned")
		complaint = reload(self.complaint)
		self.assertEqual(complaint.status, Status.REOPENED)
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_name": complaint.name, "content": ("like", "%retained sample confirms%")},
			)
		)
		self.assertEqual(appeal.implementation_due, at("2026-12-15 10:00"))  # 10 working days
		with self.assertRaises(frappe.MandatoryError):
			self.step(appeal, "Closed", QM_2_USER, moment="2026-12-02 10:00:00")
		self.assertEqual(
			self.step(
				appeal,
				"Closed",
				QM_2_USER,
				moment="2026-12-10 10:00:00",
				implemented_on="2026-12-10 09:00:00",
			).status,
			"Closed",
		)

	def test_partially_upheld_also_reopens(self):
		self.decide("Partially Upheld")
		self.assertEqual(reload(self.complaint).status, Status.REOPENED)

	def test_a_decision_needs_reasons(self):
		with self.assertRaisesRegex(frappe.MandatoryError, "reasons"):
			self.decide("Upheld", reasons="<p> </p>")


class TestAppealBadInputAndRecords(AppealTestCase):
	def test_undecided_complaint_cannot_be_appealed(self):
		self.complaint = make_complaint()
		with self.assertRaisesRegex(frappe.ValidationError, "no decision to appeal"):
			self.file()

	def test_one_open_appeal_per_decision(self):
		first = self.file()
		with self.assertRaisesRegex(frappe.ValidationError, first.name):
			self.file()

	def test_accepted_appeal_cannot_be_deleted(self):
		draft = self.file()
		frappe.delete_doc("Complaint Appeal", draft.name)
		appeal = self.step(self.step(self.file(), "Received", INTAKE_USER), "Accepted", QM_2_USER)
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Complaint Appeal", appeal.name)

	def test_appeal_against_another_decision(self):
		self.complaint = frappe._dict(name=None)
		appeal = self.file(
			complaint=None, decision_description="Test report 2026-0417", decision_date="2026-11-10 10:00:00"
		)
		self.assertEqual(appeal.window_closes_on, at("2026-12-10 23:59:59"))

	def test_panel_members_see_their_appeals_without_appellant_contacts(self):
		mine = self.step(self.file(), "Received", INTAKE_USER)
		mine = self.step(mine, "Accepted", QM_2_USER, panel=[{"user": PANEL_USER}])
		other = make_complaint()
		with as_user(PANEL_USER):
			self.assertEqual(frappe.get_list("Complaint Appeal", pluck="name"), [mine.name])
			doc = client_get("Complaint Appeal", mine.name)
			self.assertFalse(doc.get("appellant_email"))
			self.assertTrue(frappe.has_permission("Complaint", "read", self.complaint.name))
			self.assertFalse(frappe.has_permission("Complaint", "read", other.name))
