"""Oral complaints restated to the complainant (intake/restatement.py), on a real site: the
restatement is needed to register, goes out in writing with the tracking link, is answered on the
status page, and is recorded as unanswered once its working days have run out."""

import frappe
from frappe.utils import add_to_date, get_datetime, now_datetime

from complaint_handling.channels import status, tokens
from complaint_handling.intake import restatement
from complaint_handling.intake.test_letters import queued, tracking_token
from complaint_handling.rules.complaint import Restatement, Status
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	COMPLAINANT_EMAIL,
	INTAKE_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
	move,
	reload,
)

READ_BACK = "Your assay of the retained sample gave 0.21 mg/L, not the 0.34 mg/L in our report."


def phoned(**values):
	return make_complaint(channel="Phone", **values)


class TestRestatement(ComplaintTestCase):
	def test_an_oral_complaint_is_not_registered_without_its_restatement(self):
		complaint = phoned()
		with self.assertRaises(frappe.MandatoryError) as refusal:
			move(complaint, Status.REGISTERED, INTAKE_USER)
		self.assertIn("Restatement Read Back", str(refusal.exception))
		self.assertEqual(frappe.db.get_value("Complaint", complaint.name, "status"), Status.DRAFT)
		# other channels are written by the complainant: nothing to read back
		self.assertEqual(move(make_complaint(), Status.REGISTERED, INTAKE_USER).status, Status.REGISTERED)

	def test_confirmed_when_read_back_sends_nothing_to_confirm(self):
		complaint = move(
			phoned(restatement=READ_BACK, restatement_confirmed_orally=1), Status.REGISTERED, INTAKE_USER
		)
		self.assertEqual(complaint.restatement_status, Restatement.CONFIRMED_ORALLY)
		self.assertTrue(complaint.restatement_confirmed_on)
		self.assertFalse(queued(complaint.name, defaults.RESTATEMENT))

	def test_sent_in_writing_with_the_tracking_link_and_confirmed_on_the_status_page(self):
		started = now_datetime()
		complaint = move(phoned(restatement=READ_BACK), Status.REGISTERED, INTAKE_USER)
		self.assertEqual(complaint.restatement_status, Restatement.AWAITING)
		days = frappe.get_cached_doc("Complaint Settings").restatement_confirmation_days
		expected = get_calendar(complaint.company).add_working_days(
			get_datetime(complaint.restatement_sent_on), days
		)
		self.assertEqual(get_datetime(complaint.restatement_confirm_by), expected)
		self.assertGreater(get_datetime(complaint.restatement_confirm_by), started)

		rows = queued(complaint.name, defaults.RESTATEMENT)
		self.assertEqual(len(rows), 1)
		recipients = frappe.get_all("Email Queue Recipient", {"parent": rows[0].name}, pluck="recipient")
		self.assertEqual(recipients, [COMPLAINANT_EMAIL])
		self.assertIn("0.21 mg/L", rows[0].message)
		token = tracking_token(complaint.name, defaults.RESTATEMENT)
		self.assertEqual(tokens.complaint_of(token), complaint.name)
		html = frappe.get_print("Complaint", complaint.name, print_format=defaults.RESTATEMENT)
		self.assertIn("0.21 mg/L", html)

		with as_user("Guest"):
			view = status.lookup(token=token)
			self.assertEqual(view["restatement"], READ_BACK)
			with self.assertRaises(frappe.MandatoryError):
				status.answer_restatement(confirms="0", correction="  ", token=token)
			view = status.answer_restatement(confirms="1", token=token)
		self.assertIsNone(view["restatement"])
		complaint = reload(complaint)
		self.assertEqual(complaint.restatement_status, Restatement.CONFIRMED_IN_WRITING)
		self.assertTrue(complaint.restatement_confirmed_on)
		self.assertTrue(
			frappe.db.exists(
				"Communication",
				{
					"reference_name": complaint.name,
					"sent_or_received": "Received",
					"subject": ("like", "Restatement confirmed%"),
				},
			)
		)
		# answered once: a second answer is refused and changes nothing
		with as_user("Guest"), self.assertRaises(frappe.ValidationError):
			status.answer_restatement(confirms="0", correction="Something else.", token=token)
		self.assertEqual(reload(complaint).restatement_status, Restatement.CONFIRMED_IN_WRITING)

	def test_a_correction_is_kept_as_the_complainant_wrote_it(self):
		complaint = move(phoned(restatement=READ_BACK), Status.REGISTERED, INTAKE_USER)
		with as_user("Guest"):
			status.answer_restatement(
				confirms="0",
				correction="It was 0.12 mg/L <b>not</b> 0.21.",
				reference=complaint.name,
				email=COMPLAINANT_EMAIL,
			)
		complaint = reload(complaint)
		self.assertEqual(complaint.restatement_status, Restatement.CORRECTED)
		self.assertEqual(complaint.restatement_correction, "It was 0.12 mg/L <b>not</b> 0.21.")

	def test_no_email_address_asks_to_confirm_by_phone(self):
		frappe.clear_messages()
		complaint = move(
			phoned(restatement=READ_BACK, complainant_email=None, complainant_phone="+86 10 1234 5678"),
			Status.REGISTERED,
			INTAKE_USER,
		)
		self.assertEqual(complaint.restatement_status, Restatement.NOT_SENT)
		self.assertIn("by phone or post", " ".join(str(m.get("message")) for m in frappe.message_log))
		# the officer calls back and records the confirmation
		with as_user(INTAKE_USER):
			doc = reload(complaint)
			doc.restatement_confirmed_orally = 1
			doc.save()
		self.assertEqual(reload(complaint).restatement_status, Restatement.CONFIRMED_ORALLY)

	def test_no_answer_in_time_is_recorded_once(self):
		complaint = move(phoned(restatement=READ_BACK), Status.REGISTERED, INTAKE_USER)
		restatement.record_unanswered()
		self.assertEqual(reload(complaint).restatement_status, Restatement.AWAITING)  # not due yet

		frappe.db.set_value(
			"Complaint", complaint.name, "restatement_confirm_by", add_to_date(now_datetime(), minutes=-1)
		)
		restatement.record_unanswered()
		restatement.record_unanswered()
		self.assertEqual(reload(complaint).restatement_status, Restatement.NO_ANSWER)
		notes = frappe.get_all(
			"Comment",
			filters={"reference_name": complaint.name, "content": ("like", "%did not confirm%")},
			pluck="name",
		)
		self.assertEqual(len(notes), 1)
		# a late answer is still taken
		with as_user("Guest"):
			status.answer_restatement(confirms="1", reference=complaint.name, email=COMPLAINANT_EMAIL)
		self.assertEqual(reload(complaint).restatement_status, Restatement.CONFIRMED_IN_WRITING)

	def test_the_answer_is_the_apps_to_record(self):
		complaint = move(phoned(restatement=READ_BACK), Status.REGISTERED, INTAKE_USER)
		with as_user(INTAKE_USER), self.assertRaises(frappe.PermissionError) as refusal:
			doc = reload(complaint)
			doc.restatement_status = Restatement.CONFIRMED_IN_WRITING
			doc.save()
		self.assertIn("Restatement Confirmation", str(refusal.exception))
		self.assertEqual(reload(complaint).restatement_status, Restatement.AWAITING)
