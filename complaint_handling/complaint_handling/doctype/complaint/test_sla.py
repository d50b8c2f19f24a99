# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt
"""Deadlines, reminders, escalation and closure without feedback, on a real site with frozen time.

The seeded Standard policy: acknowledge in 24 h, first response in 48 h (reminders 4 h and 8 h
before), resolve in 5 working days (3 if major, reminder 1 working day before); escalation to the
assignee at the breach, the category manager 4 working hours later, quality managers at 8 and
general managers at 16. Working hours are Monday to Friday, 09:00 to 17:00.
"""

from datetime import date

import frappe
from frappe.core.doctype.communication.email import make as make_communication
from frappe.utils import get_datetime

from complaint_handling.engine import reminders
from complaint_handling.rules.complaint import Status
from complaint_handling.rules.service_levels import SlaStatus
from complaint_handling.service_levels import clocks
from complaint_handling.tests.utils import (
	COMPLAINANT_EMAIL,
	HANDLER_USER,
	INTAKE_USER,
	QM_2_USER,
	QM_USER,
	TEST_EMAIL_ACCOUNT,
	ComplaintTestCase,
	as_user,
	concurrently,
	default_company,
	make_complaint,
	move,
	purge_complaints,
	reload,
	respond,
	set_category_handlers,
)

HOLIDAY_LIST = "_Test Complaint Holidays"
ALERT_SUBJECT = "need your attention"


def at(text):
	return get_datetime(text)


def use_holidays(*holidays: date, company=None):
	company = company or default_company()
	if frappe.db.exists("Holiday List", HOLIDAY_LIST):
		frappe.delete_doc("Holiday List", HOLIDAY_LIST, force=True)
	frappe.get_doc(
		{
			"doctype": "Holiday List",
			"holiday_list_name": HOLIDAY_LIST,
			"from_date": "2026-01-01",
			"to_date": "2027-12-31",
			"holidays": [{"holiday_date": day, "description": "Holiday"} for day in holidays],
		}
	).insert()
	frappe.db.set_value("Company", company, "default_holiday_list", HOLIDAY_LIST)
	frappe.clear_document_cache("Company", company)


def alert_emails(recipient=None):
	queues = frappe.get_all(
		"Email Queue", filters={"message": ("like", f"%{ALERT_SUBJECT}%")}, pluck="name", order_by="creation"
	)
	if recipient is None:
		return queues
	return [
		q for q in queues if frappe.db.exists("Email Queue Recipient", {"parent": q, "recipient": recipient})
	]


def deadlines(doc):
	return (doc.acknowledge_by, doc.respond_by, doc.resolve_by)


class SLATestCase(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		# every date below is fixed: outside an explicit moment, the clock stands after all of them
		self.enterContext(self.freeze_time("2027-01-31 12:00:00"))


class TestDeadlines(SLATestCase):
	def setUp(self):
		super().setUp()
		use_holidays(date(2026, 12, 25))

	def test_deadlines_count_working_time_and_holidays(self):
		with self.freeze_time("2026-12-21 12:00:00"):
			complaint = make_complaint(received_on="2026-12-18 16:00:00")  # a Friday afternoon
		self.assertEqual(complaint.sla_policy, "Standard")
		self.assertEqual(
			deadlines(complaint),
			# 24 and 48 elapsed hours; five working days skip the weekend and Christmas
			(at("2026-12-19 16:00"), at("2026-12-20 16:00"), at("2026-12-28 16:00")),
		)
		self.assertEqual(complaint.acknowledgement_sla_status, SlaStatus.BREACHED)
		self.assertEqual(complaint.resolution_sla_status, SlaStatus.ON_TRACK)

		with self.freeze_time("2026-12-21 12:00:00"):
			major = make_complaint(
				received_on="2026-12-18 16:00:00", compensation_claimed=1, major_reason="Claim"
			)
		self.assertEqual(major.resolve_by, at("2026-12-23 16:00"))

	def test_out_of_hours_intake_starts_the_clock_next_working_moment(self):
		with self.freeze_time("2026-12-21 08:00:00"):
			complaint = make_complaint(received_on="2026-12-19 10:00:00")  # Saturday
		self.assertEqual(
			deadlines(complaint), (at("2026-12-22 09:00"), at("2026-12-23 09:00"), at("2026-12-29 09:00"))
		)

	def test_working_hours_to_a_step_are_counted_when_it_is_recorded(self):
		def saved(complaint, moment, **changes):
			with self.freeze_time(moment):
				complaint = reload(complaint)
				complaint.update(changes)
				return complaint.save()

		with self.freeze_time("2026-12-28 12:00:00"):
			complaint = make_complaint(received_on="2026-12-24 16:00:00")  # Thursday before Christmas
		self.assertEqual(complaint.working_hours_to_acknowledge, 0)
		# acknowledged by phone, recorded by hand
		complaint = saved(complaint, "2026-12-28 12:01:00", acknowledged_on="2026-12-28 10:00:00")
		# one hour on the 24th; Christmas and the weekend are not working time; one on the 28th
		self.assertEqual(complaint.working_hours_to_acknowledge, 2.0)
		complaint = saved(complaint, "2026-12-28 12:02:00", received_on="2026-12-24 09:00:00")
		self.assertEqual(complaint.working_hours_to_acknowledge, 9.0, "the receipt corrected: counted again")
		use_holidays()  # a later change to the calendar does not rewrite the record
		complaint = saved(complaint, "2026-12-28 12:03:00", description="More details from the call.")
		self.assertEqual(reload(complaint).working_hours_to_acknowledge, 9.0)

	def test_company_without_holiday_list_falls_back_to_weekdays(self):
		company = default_company()
		frappe.db.set_value("Company", company, "default_holiday_list", None)
		frappe.clear_document_cache("Company", company)
		with self.freeze_time("2026-12-24 11:00:00"):
			complaint = make_complaint(received_on="2026-12-24 10:00:00")
		self.assertEqual(complaint.resolve_by, at("2026-12-31 10:00"))

	def test_a_waiting_state_of_the_admins_pauses_the_clocks_until_the_case_moves_on(self):
		"""README "Configure": a workflow state that sets Waiting on Customer stops the clocks."""
		from frappe.model.workflow import apply_workflow

		from complaint_handling.setup import defaults

		for doctype, name, field in (
			("Workflow State", "Awaiting Customer", "workflow_state_name"),
			("Workflow Action Master", "Ask Customer", "workflow_action_name"),
			("Workflow Action Master", "Customer Answered", "workflow_action_name"),
		):
			if not frappe.db.exists(doctype, name):
				frappe.get_doc({"doctype": doctype, field: name}).insert(ignore_permissions=True)
		workflow = frappe.get_doc("Workflow", defaults.WORKFLOW_NAME)
		kept = (list(workflow.states), list(workflow.transitions))
		workflow.append(
			"states",
			{
				"state": "Awaiting Customer",
				"doc_status": "0",
				"update_field": "waiting_on_customer",
				"update_value": "1",
				"allow_edit": defaults.HANDLER,
			},
		)
		for state, action, next_state in (
			("Acknowledged", "Ask Customer", "Awaiting Customer"),
			("Awaiting Customer", "Customer Answered", "Acknowledged"),
		):
			workflow.append(
				"transitions",
				{"state": state, "action": action, "next_state": next_state, "allowed": defaults.HANDLER},
			)
		workflow.save(ignore_permissions=True)

		def restore():
			workflow = frappe.get_doc("Workflow", defaults.WORKFLOW_NAME)
			workflow.set("states", kept[0])
			workflow.set("transitions", kept[1])
			workflow.save(ignore_permissions=True)

		self.addCleanup(restore)
		complaint = move(
			move(make_complaint(), Status.REGISTERED, INTAKE_USER), Status.ACKNOWLEDGED, HANDLER_USER
		)
		with as_user(HANDLER_USER):
			apply_workflow(reload(complaint), "Ask Customer")
			complaint = reload(complaint)
			self.assertEqual((complaint.waiting_on_customer, len(complaint.sla_pauses)), (1, 1))
			apply_workflow(complaint, "Customer Answered")
		complaint = reload(complaint)
		self.assertEqual((complaint.workflow_state, complaint.waiting_on_customer), ("Acknowledged", 0))
		self.assertTrue(complaint.sla_pauses[0].resumed_on)

	def test_pause_while_waiting_on_the_customer(self):
		with self.freeze_time("2026-11-23 09:00:00"):
			complaint = make_complaint(received_on="2026-11-23 09:00:00")
		self.assertEqual(
			deadlines(complaint), (at("2026-11-24 09:00"), at("2026-11-25 09:00"), at("2026-11-30 09:00"))
		)
		with self.freeze_time("2026-11-24 09:00:00"):
			complaint = reload(complaint)
			complaint.waiting_on_customer = 1
			complaint.save()
		self.assertIsNone(complaint.next_sla_check)  # nothing fires while paused
		with self.freeze_time("2026-11-26 09:00:00"):
			complaint = reload(complaint)
			complaint.waiting_on_customer = 0
			complaint.save()

		pause = complaint.sla_pauses[0]
		self.assertEqual(
			(pause.paused_on, pause.resumed_on), (at("2026-11-24 09:00"), at("2026-11-26 09:00"))
		)
		self.assertEqual(
			deadlines(complaint),
			(
				at("2026-11-24 09:00"),  # the pause began when this clock had run out: no rescue
				at("2026-11-27 09:00"),  # elapsed-hours clock: 48 h added
				at("2026-12-01 17:00"),  # working-days clock: 16 working hours added
			),
		)
		self.assertTrue(complaint.next_sla_check)


class TestCalendarEdges(SLATestCase):
	"""Issue 10 §2 and §3: elapsed clocks across a change of UTC offset, and deadlines that run past
	the end of the Holiday List."""

	def use_time_zone(self, zone):
		frappe.db.set_single_value("System Settings", "time_zone", zone)
		frappe.cache.delete_value("time_zone")
		self.addCleanup(frappe.cache.delete_value, "time_zone")  # the rollback restores the setting

	def test_elapsed_hours_count_real_time_across_the_spring_change(self):
		use_holidays()
		self.use_time_zone("Europe/Berlin")
		with self.freeze_time("2026-03-27 12:30:00"):
			complaint = make_complaint(received_on="2026-03-27 12:00:00")  # Friday
		# 24 real hours to acknowledge; 48 to respond, across the night clocks go forward
		self.assertEqual(complaint.acknowledge_by, at("2026-03-28 12:00"))
		self.assertEqual(complaint.respond_by, at("2026-03-29 13:00"))
		self.assertEqual(complaint.resolve_by, at("2026-04-03 12:00"))  # working days: local days

	def test_and_across_the_autumn_change(self):
		use_holidays()
		self.use_time_zone("Europe/Berlin")
		with self.freeze_time("2026-10-23 12:30:00"):
			complaint = make_complaint(received_on="2026-10-23 12:00:00")
		self.assertEqual(complaint.respond_by, at("2026-10-25 11:00"))

	def test_deadline_past_the_end_of_the_holiday_list_is_flagged_once(self):
		company = default_company()
		if frappe.db.exists("Holiday List", "_Test Complaint 2026"):
			frappe.delete_doc("Holiday List", "_Test Complaint 2026", force=True)
		frappe.get_doc(
			{
				"doctype": "Holiday List",
				"holiday_list_name": "_Test Complaint 2026",
				"from_date": "2026-01-01",
				"to_date": "2026-12-31",
			}
		).insert()
		frappe.db.set_value("Company", company, "default_holiday_list", "_Test Complaint 2026")
		frappe.clear_document_cache("Company", company)

		with self.freeze_time("2026-12-30 10:30:00"):
			first = make_complaint(received_on="2026-12-30 10:00:00")
			second = make_complaint(received_on="2026-12-30 10:10:00")
		# 1 January 2027 is not known: counted as a working day, and said on the complaint
		self.assertEqual(first.resolve_by, at("2027-01-06 10:00"))
		self.assertIn("_Test Complaint 2026", first.calendar_warning)
		self.assertTrue(second.calendar_warning)
		alerts = frappe.get_all(
			"Notification Log",
			filters={"for_user": QM_USER, "subject": ("like", "%_Test Complaint 2026%")},
			pluck="name",
		)
		self.assertEqual(len(alerts), 1)  # once per company and period, not once per complaint

		with self.freeze_time("2026-12-01 10:30:00"):
			inside = make_complaint(received_on="2026-12-01 10:00:00")
		self.assertFalse(inside.calendar_warning)


class TestExtensions(SLATestCase):
	def request(
		self, complaint, user=HANDLER_USER, extend_to="2026-12-10 17:00:00", reason="Waiting for the lab"
	):
		with as_user(user):
			complaint = reload(complaint)
			complaint.append(
				"deadline_extensions", {"clock": "Resolution", "extend_to": extend_to, "reason": reason}
			)
			complaint.save()
		return complaint

	def decide(self, complaint, user, approve=True):
		with as_user(user):
			clocks.decide_extension(complaint.name, complaint.deadline_extensions[-1].name, approve)
		return reload(complaint)

	def setUp(self):
		super().setUp()
		use_holidays()
		with self.freeze_time("2026-11-23 09:00:00"):
			self.complaint = move(
				make_complaint(received_on="2026-11-23 09:00:00"), Status.REGISTERED, INTAKE_USER
			)

	def test_extension_takes_effect_only_when_a_quality_manager_approves(self):
		with self.freeze_time("2026-11-24 10:00:00"):
			complaint = self.request(self.complaint)
			self.assertEqual(complaint.deadline_extensions[0].status, "Requested")
			self.assertEqual(complaint.deadline_extensions[0].requested_by, HANDLER_USER)
			self.assertEqual(complaint.resolve_by, at("2026-11-30 09:00"))

			with self.assertRaises(frappe.PermissionError):
				self.decide(complaint, HANDLER_USER)
			complaint = self.decide(complaint, QM_USER)
		self.assertEqual(complaint.resolve_by, at("2026-12-10 17:00"))
		row = complaint.deadline_extensions[0]
		self.assertEqual((row.status, row.decided_by), ("Approved", QM_USER))

		# the record of the decision cannot be edited or removed
		with as_user(QM_2_USER), self.assertRaisesRegex(frappe.ValidationError, "request a new one"):
			complaint = reload(complaint)
			complaint.deadline_extensions[0].extend_to = "2027-01-10 17:00:00"
			complaint.save()
		with as_user(QM_2_USER), self.assertRaisesRegex(frappe.ValidationError, "cannot be removed"):
			complaint = reload(complaint)
			complaint.deadline_extensions = []
			complaint.save()

	def test_rejected_extension_changes_nothing(self):
		with self.freeze_time("2026-11-24 10:00:00"):
			complaint = self.decide(self.request(self.complaint), QM_USER, approve=False)
		self.assertEqual(complaint.resolve_by, at("2026-11-30 09:00"))
		self.assertEqual(complaint.deadline_extensions[0].status, "Rejected")

	def test_requester_cannot_approve_own_extension(self):
		with self.freeze_time("2026-11-24 10:00:00"):
			complaint = self.request(self.complaint, user=QM_USER)
			with self.assertRaisesRegex(frappe.PermissionError, "another quality manager"):
				self.decide(complaint, QM_USER)
			self.assertEqual(self.decide(complaint, QM_2_USER).resolve_by, at("2026-12-10 17:00"))

	def test_bad_requests(self):
		with self.freeze_time("2026-11-24 10:00:00"):
			with self.assertRaises(frappe.MandatoryError):
				self.request(self.complaint, reason=None)
			with self.assertRaisesRegex(frappe.ValidationError, "later than the current"):
				self.request(self.complaint, extend_to="2026-11-27 09:00:00")


class TestSweep(SLATestCase):
	def setUp(self):
		super().setUp()
		use_holidays()
		set_category_handlers("Product Quality", [HANDLER_USER])
		frappe.db.set_value("Complaint Category", "Product Quality", "responsible_user", QM_2_USER)
		frappe.clear_document_cache("Complaint Category", "Product Quality")
		with self.freeze_time("2026-11-23 09:00:00"):
			self.complaint = move(
				make_complaint(received_on="2026-11-23 09:00:00"), Status.REGISTERED, INTAKE_USER
			)

	def sweep(self, moment):
		with self.freeze_time(moment):
			reminders.sweep(get_datetime(moment), commit=False)
		return reload(self.complaint)

	def test_reminder_breach_and_escalation_each_exactly_once(self):
		self.assertTrue(self.complaint.acknowledged_on)  # the acknowledgement meets its clock
		self.assertEqual(self.complaint.respond_by, at("2026-11-25 09:00"))

		complaint = self.sweep("2026-11-25 01:05:00")  # 8 h before the first response is due
		self.assertEqual(complaint.response_sla_status, SlaStatus.DUE_SOON)
		self.assertEqual(len(alert_emails(HANDLER_USER)), 1)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": HANDLER_USER, "document_name": complaint.name, "type": "Alert"},
			)
		)
		self.sweep("2026-11-25 01:15:00")
		self.assertEqual(len(alert_emails()), 1)

		complaint = self.sweep("2026-11-25 09:05:00")  # breach: the assignee is told
		self.assertEqual(complaint.response_sla_status, SlaStatus.BREACHED)
		self.assertEqual(len(alert_emails(HANDLER_USER)), 2)
		self.sweep("2026-11-25 09:15:00")
		self.assertEqual(len(alert_emails()), 2)

		self.sweep("2026-11-25 13:05:00")  # 4 working hours on: the category manager
		self.assertEqual(len(alert_emails(QM_2_USER)), 1)
		self.sweep("2026-11-25 17:05:00")  # 8 working hours on: every quality manager
		self.assertEqual(len(alert_emails(QM_USER)), 1)
		self.assertEqual(len(alert_emails(QM_2_USER)), 2)

		events = frappe.get_all("Complaint SLA Event", {"reference_name": complaint.name}, pluck="event")
		self.assertEqual(sorted(events), ["Breach", "Escalation", "Escalation", "Escalation", "Reminder"])

	def test_first_email_to_the_complainant_meets_the_first_response(self):
		with self.freeze_time("2026-11-24 10:00:00"), as_user(HANDLER_USER):
			make_communication(
				doctype="Complaint",
				name=self.complaint.name,
				subject="About your complaint",
				content="We are looking into the retained sample.",
				recipients=[COMPLAINANT_EMAIL],
				send_email=True,
			)
		complaint = reload(self.complaint)
		self.assertEqual(complaint.first_responded_on, at("2026-11-24 10:00"))
		self.assertEqual(complaint.response_sla_status, SlaStatus.MET)

	def test_a_broken_complaint_is_logged_and_the_rest_go_on(self):
		with self.freeze_time("2026-11-23 09:00:00"):
			broken = make_complaint(received_on="2026-11-23 09:00:00", complaint_category="Billing")
		frappe.db.delete("Complaint Category", "Billing")  # gone behind the app's back
		frappe.clear_document_cache("Complaint Category", "Billing")

		self.sweep("2026-11-25 01:30:00")  # its acknowledgement went to the category manager on Tuesday
		self.assertTrue(frappe.db.exists("Error Log", {"reference_name": broken.name}))
		self.assertFalse(frappe.db.exists("Complaint SLA Event", {"reference_name": broken.name}))
		self.assertTrue(frappe.db.exists("Complaint SLA Event", {"reference_name": self.complaint.name}))

	def test_urgent_complaint_out_of_hours_alerts_the_on_call_role(self):
		with self.freeze_time("2026-11-21 22:00:00"):  # Saturday night
			urgent = make_complaint(
				received_on="2026-11-21 21:30:00", involves_safety=1, major_reason="Injury"
			)
			ordinary = make_complaint(received_on="2026-11-21 21:30:00")
		with self.freeze_time("2026-11-23 10:00:00"):
			in_hours = make_complaint(
				received_on="2026-11-23 10:00:00", involves_safety=1, major_reason="Injury"
			)

		def on_call_mails(complaint):
			return frappe.get_all(
				"Email Queue",
				{"reference_name": complaint.name, "message": ("like", "%out of hours%")},
				pluck="name",
			)

		self.assertEqual(len(on_call_mails(urgent)), 1)
		self.assertTrue(
			frappe.db.exists(
				"Email Queue Recipient", {"parent": on_call_mails(urgent)[0], "recipient": QM_USER}
			)
		)
		self.assertEqual(on_call_mails(ordinary), [])
		self.assertEqual(on_call_mails(in_hours), [])


class TestWithoutEmail(SLATestCase):
	def test_nothing_is_lost_without_an_outgoing_email_account(self):
		"""Frappe refuses to queue mail with no account: saves and sweeps must still go through."""
		frappe.db.set_value(
			"Email Account", TEST_EMAIL_ACCOUNT, {"enable_outgoing": 0, "default_outgoing": 0}
		)
		self.addCleanup(setattr, frappe.flags, "mute_emails", True)
		frappe.flags.mute_emails = False  # muted, Frappe pretends an account exists
		frappe.local.outgoing_email_account = {}
		use_holidays()
		set_category_handlers("Product Quality", [HANDLER_USER])

		with self.freeze_time("2026-11-21 22:00:00"):  # Saturday night, urgent
			urgent = make_complaint(
				received_on="2026-11-21 21:30:00", involves_safety=1, major_reason="Injury"
			)
			urgent = move(urgent, Status.REGISTERED, INTAKE_USER)
		self.assertTrue(
			frappe.db.exists("Notification Log", {"document_name": urgent.name, "for_user": QM_USER})
		)
		self.assertFalse(urgent.acknowledged_on)

		with self.freeze_time("2026-11-24 05:05:00"):  # 4 h before acknowledgement was due
			reminders.sweep(get_datetime("2026-11-24 05:05:00"), commit=False)
		self.assertTrue(
			frappe.db.exists("Complaint SLA Event", {"reference_name": urgent.name, "event": "Reminder"})
		)
		self.assertTrue(
			frappe.db.exists(
				"Notification Log", {"document_name": urgent.name, "for_user": HANDLER_USER, "type": "Alert"}
			)
		)
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": urgent.name}))


class TestClosureWithoutFeedback(SLATestCase):
	def setUp(self):
		super().setUp()
		use_holidays()
		with self.freeze_time("2026-11-02 10:00:00"):
			self.complaint = respond(make_complaint(received_on="2026-11-02 09:00:00"))
		self.assertEqual(self.complaint.responded_on, at("2026-11-02 10:00"))

	def sweep(self, moment):
		with self.freeze_time(moment):
			reminders.sweep(get_datetime(moment), commit=False)
		return reload(self.complaint)

	def feedback_reminders(self):
		return frappe.get_all(
			"Communication", {"reference_name": self.complaint.name, "subject": ("like", "%did our reply%")}
		)

	def test_reminder_after_25_working_days_and_closure_10_later(self):
		complaint = self.sweep("2026-12-07 09:55:00")
		self.assertEqual((complaint.status, self.feedback_reminders()), (Status.RESPONDED, []))

		complaint = self.sweep("2026-12-07 10:05:00")
		self.assertEqual(len(self.feedback_reminders()), 1)
		self.sweep("2026-12-07 10:15:00")
		self.assertEqual(len(self.feedback_reminders()), 1)

		complaint = self.sweep("2026-12-21 10:05:00")
		self.assertEqual(complaint.status, Status.CLOSED)
		self.assertTrue(complaint.closed_for_lack_of_feedback)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": complaint.name, "content": ("like", "Closed automatically%")}
			)
		)

	def test_feedback_stops_the_closure(self):
		with as_user(HANDLER_USER):
			complaint = reload(self.complaint)
			complaint.customer_feedback = "Satisfied with the credit note."
			complaint.save()
		self.assertEqual(self.sweep("2026-12-21 10:05:00").status, Status.RESPONDED)

	def test_closure_follows_a_workflow_the_admin_edited(self):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "Archived"}).insert()
		workflow = frappe.get_doc("Workflow", "Complaint Workflow")
		for row in workflow.states:
			row.state = "Archived" if row.state == "Closed" else row.state
		for row in workflow.transitions:
			row.state = "Archived" if row.state == "Closed" else row.state
			row.next_state = "Archived" if row.next_state == "Closed" else row.next_state
		workflow.save()

		complaint = self.sweep("2026-12-21 10:05:00")
		self.assertEqual((complaint.workflow_state, complaint.status), ("Archived", Status.CLOSED))

	def test_switched_off(self):
		frappe.db.set_single_value("Complaint Settings", "auto_close", 0)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		complaint = reload(self.complaint)
		complaint.save()  # re-arms the schedule without the closure
		self.assertEqual(self.sweep("2026-12-21 10:05:00").status, Status.RESPONDED)


class TestReplyRounds(SLATestCase):
	"""Issue 10 §1: the clocks and dates of a reopened complaint are those of its new round."""

	def sweep(self, complaint, moment):
		with self.freeze_time(moment):
			reminders.sweep(get_datetime(moment), commit=False)
		return reload(complaint)

	def feedback_reminders(self, complaint):
		return frappe.get_all(
			"Communication", {"reference_name": complaint.name, "subject": ("like", "%did our reply%")}
		)

	def test_second_reply_restarts_resolution_and_feedback(self):
		use_holidays()
		with self.freeze_time("2026-03-02 11:00:00"):
			complaint = respond(make_complaint(received_on="2026-03-02 11:00:00"))
		self.assertEqual(complaint.responded_on, at("2026-03-02 11:00"))

		with self.freeze_time("2026-04-01 10:00:00"):
			complaint = move(complaint, Status.REOPENED, QM_USER)
		# reopened: a new round whose resolution clock runs from the reopening, not Met
		self.assertEqual((complaint.responded_on, complaint.closed_on), (None, None))
		self.assertEqual(complaint.resolve_by, at("2026-04-08 10:00"))
		self.assertEqual(complaint.resolution_sla_status, SlaStatus.ON_TRACK)
		self.assertEqual(complaint.first_responded_on, at("2026-03-02 11:00"))  # met once, kept
		# the register's working hours to the reply are those of the new round's, when it comes
		self.assertEqual((complaint.working_hours_to_respond, complaint.working_hours_to_close), (0, 0))

		with self.freeze_time("2026-04-02 15:00:00"):
			complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
			complaint = move(complaint, Status.PENDING_APPROVAL, HANDLER_USER)
			complaint = move(complaint, Status.UNDER_INVESTIGATION, QM_2_USER)  # sent back: no stamp
			self.assertIsNone(complaint.responded_on)
			complaint = move(complaint, Status.PENDING_APPROVAL, HANDLER_USER)
		with self.freeze_time("2026-04-03 10:00:00"):
			complaint = move(complaint, Status.RESPONDED, QM_USER)
		self.assertEqual(complaint.responded_on, at("2026-04-03 10:00"))
		self.assertEqual(complaint.resolution_sla_status, SlaStatus.MET)
		# from receipt, Monday 2 March 11:00: 6 h that day, 23 working days of 8 h, 1 h on 3 April
		self.assertEqual(complaint.working_hours_to_respond, 191.0)
		self.assertEqual(
			[(r.round, r.started_on, r.responded_on, r.outcome) for r in complaint.reply_rounds],
			[
				(1, at("2026-03-02 11:00"), at("2026-03-02 11:00"), Status.RESPONDED),
				(2, at("2026-04-01 10:00"), at("2026-04-03 10:00"), Status.RESPONDED),
			],
		)

		# the feedback reminder counts 25 working days from the second reply, closure 10 more
		complaint = self.sweep(complaint, "2026-04-20 10:05:00")
		self.assertEqual((complaint.status, self.feedback_reminders(complaint)), (Status.RESPONDED, []))
		complaint = self.sweep(complaint, "2026-05-08 09:55:00")
		self.assertEqual(self.feedback_reminders(complaint), [])
		complaint = self.sweep(complaint, "2026-05-08 10:05:00")
		self.assertEqual(len(self.feedback_reminders(complaint)), 1)
		complaint = self.sweep(complaint, "2026-05-22 09:55:00")
		self.assertEqual(complaint.status, Status.RESPONDED)
		complaint = self.sweep(complaint, "2026-05-22 10:05:00")
		self.assertEqual(complaint.status, Status.CLOSED)
		self.assertEqual(complaint.reply_rounds[-1].closed_on, complaint.closed_on)

	def test_feedback_of_the_earlier_round_is_kept_with_it(self):
		use_holidays()
		with self.freeze_time("2026-03-02 11:00:00"):
			complaint = respond(make_complaint(received_on="2026-03-02 11:00:00"))
		with as_user(HANDLER_USER):
			complaint = reload(complaint)
			complaint.customer_feedback = "Not satisfied: the batch is still wrong."
			complaint.save()
		with self.freeze_time("2026-03-10 10:00:00"):
			complaint = move(complaint, Status.REOPENED, QM_USER)
		self.assertFalse(complaint.customer_feedback)
		self.assertEqual(
			complaint.reply_rounds[0].customer_feedback, "Not satisfied: the batch is still wrong."
		)
		self.assertEqual(complaint.reply_rounds[1].reopened_by, QM_USER)


class TestConcurrentSweeps(ComplaintTestCase):
	def test_two_runs_at_the_same_moment_send_each_reminder_once(self):
		"""Two workers sweep at once on their own connections; one reminder goes out."""
		use_holidays()
		# acknowledgement due Tuesday 09:00, its reminder at 05:00
		with self.freeze_time("2026-11-02 09:00:00"):
			complaint = make_complaint(received_on="2026-11-02 09:00:00")
		frappe.db.commit()
		moment = at("2026-11-03 06:00")
		try:
			errors = concurrently(lambda: reminders.sweep(moment), 2)
			self.assertEqual(errors, [])
			self.assertEqual(
				frappe.get_all("Complaint SLA Event", {"reference_name": complaint.name}, pluck="event"),
				["Reminder"],
			)
			mails = frappe.get_all(
				"Email Queue", {"reference_name": complaint.name, "message": ("like", f"%{ALERT_SUBJECT}%")}
			)
			self.assertEqual(
				len(mails),
				len(
					{
						frappe.db.get_value("Email Queue Recipient", {"parent": m.name}, "recipient")
						for m in mails
					}
				),
			)
			self.assertTrue(mails)
		finally:
			purge_complaints([complaint.name])
			frappe.db.set_value("Company", default_company(), "default_holiday_list", None)
			frappe.delete_doc("Holiday List", HOLIDAY_LIST, force=True)
			frappe.db.commit()
