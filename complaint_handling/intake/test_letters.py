"""Progress reports, the formal reply of each round and the end notice on closure
(intake/letters.py), on a real site."""

import json
import re

import frappe

from complaint_handling.intake import letters
from complaint_handling.rules.complaint import Status
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	COMPLAINANT_EMAIL,
	HANDLER_USER,
	INTAKE_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
	move,
	reload,
	respond,
)


def tracking_token(complaint: str, template: str) -> str:
	"""The token of the tracking link in the letter sent from ``template`` (its Communication: the
	queued message is MIME-encoded)."""
	content = frappe.db.get_value(
		"Communication", {"reference_name": complaint, "email_template": template}, "content"
	)
	return re.search(r"/complaint-status#t=([A-Za-z0-9_-]+)", content).group(1)


def queued(complaint: str, template: str) -> list:
	"""The Email Queue rows for ``complaint`` whose PDF is ``template``'s print format."""
	rows = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Complaint", "reference_name": complaint},
		fields=["name", "attachments", "message"],
	)
	return [
		row
		for row in rows
		if row.attachments and json.loads(row.attachments)[0].get("print_format") == template
	]


class TestProgressReport(ComplaintTestCase):
	def test_queued_with_its_pdf_and_counted_on_the_round(self):
		complaint = move(
			move(make_complaint(), Status.REGISTERED, INTAKE_USER), Status.ACKNOWLEDGED, HANDLER_USER
		)
		with as_user(HANDLER_USER):
			self.assertTrue(letters.may_send_progress_report(reload(complaint)))
			draft = letters.progress_report_draft(complaint.name)
			self.assertIn(complaint.name, draft["subject"])
			self.assertIn("Li Wei", draft["message"])
			self.assertFalse(draft["problem"])
			result = letters.send_progress_report(
				complaint.name, draft["message"] + "<p>Lab retest booked.</p>", draft["subject"]
			)
		self.assertTrue(result["sent"])

		rows = queued(complaint.name, defaults.PROGRESS_REPORT)
		self.assertEqual(len(rows), 1)
		self.assertIn("Lab retest booked.", rows[0].message)
		recipients = frappe.get_all("Email Queue Recipient", {"parent": rows[0].name}, pluck="recipient")
		self.assertEqual(recipients, [COMPLAINANT_EMAIL])
		self.assertEqual(
			frappe.db.get_value("Communication", result["communication"], "reference_name"), complaint.name
		)
		self.assertEqual(reload(complaint).reply_rounds[-1].progress_reports, 1)

		html = frappe.get_print("Complaint", complaint.name, print_format=defaults.PROGRESS_REPORT)
		self.assertIn(complaint.name, html)

		# the count is the app's: a form sending it back changed is refused
		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			doc = reload(complaint)
			doc.reply_rounds[-1].progress_reports = 5
			doc.save()

	def test_refused_without_write_rights(self):
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		with as_user(AUDITOR_USER):
			self.assertFalse(letters.may_send_progress_report(reload(complaint)))
			with self.assertRaises(frappe.PermissionError):
				letters.send_progress_report(complaint.name, "<p>News</p>")
		# a handler may write a complaint, but not while it waits for the quality manager's approval
		complaint = move(complaint, Status.ACKNOWLEDGED, HANDLER_USER)
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
		with as_user(HANDLER_USER):
			doc = reload(complaint)
			doc.validity, doc.resolution = "Accepted", "Credit note issued."
			doc.save()
		complaint = move(complaint, Status.PENDING_APPROVAL, HANDLER_USER)
		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			letters.send_progress_report(complaint.name, "<p>News</p>")
		self.assertFalse(queued(complaint.name, defaults.PROGRESS_REPORT))

	def test_refused_for_a_closed_complaint(self):
		complaint = move(respond(make_complaint()), Status.CLOSED, QM_USER)
		with as_user(QM_USER):
			self.assertFalse(letters.may_send_progress_report(reload(complaint)))
			with self.assertRaises(frappe.ValidationError):
				letters.send_progress_report(complaint.name, "<p>News</p>")
		self.assertFalse(queued(complaint.name, defaults.PROGRESS_REPORT))

	def test_no_email_address_warns_and_sends_nothing(self):
		complaint = move(
			make_complaint(
				complainant_email=None,
				channel="Phone",
				complainant_phone="+86 10 1234 5678",
				restatement="The assay differs from your retained sample.",
			),
			Status.REGISTERED,
			INTAKE_USER,
		)
		frappe.clear_messages()
		with as_user(HANDLER_USER):
			self.assertTrue(letters.progress_report_draft(complaint.name)["problem"])
			result = letters.send_progress_report(complaint.name, "<p>News</p>")
		self.assertFalse(result["sent"])
		self.assertIn("by post", " ".join(str(m.get("message")) for m in frappe.message_log))
		self.assertFalse(queued(complaint.name, defaults.PROGRESS_REPORT))
		self.assertFalse(reload(complaint).reply_rounds[-1].progress_reports)


class TestTrackingLinkInTheAcknowledgement(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		# the template as a new site seeds it (an existing site keeps the admin's own)
		template = frappe.get_doc("Email Template", defaults.ACKNOWLEDGEMENT)
		template.response_html = defaults.ACKNOWLEDGEMENT_RESPONSE
		template.save()

	def test_a_complaint_by_email_gets_its_link_in_the_acknowledgement(self):
		from complaint_handling.channels import tokens

		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		self.assertEqual(len(queued(complaint.name, defaults.ACKNOWLEDGEMENT)), 1)
		token = tracking_token(complaint.name, defaults.ACKNOWLEDGEMENT)
		self.assertEqual(tokens.complaint_of(token), complaint.name)
		self.assertNotIn(token, json.dumps(reload(complaint).as_dict(), default=str))  # only its hash

	def test_a_link_already_given_is_not_replaced(self):
		complaint = make_complaint(channel="Web Form")
		frappe.db.set_value("Complaint", complaint.name, "tracking_token_hash", "a" * 64)
		complaint = move(complaint, Status.REGISTERED, INTAKE_USER)
		self.assertEqual(len(queued(complaint.name, defaults.ACKNOWLEDGEMENT)), 1)
		content = frappe.db.get_value(
			"Communication",
			{"reference_name": complaint.name, "email_template": defaults.ACKNOWLEDGEMENT},
			"content",
		)
		self.assertIn(complaint.name, content)
		self.assertNotIn("#t=", content)
		self.assertEqual(frappe.db.get_value("Complaint", complaint.name, "tracking_token_hash"), "a" * 64)


class TestReplyLetters(ComplaintTestCase):
	def test_each_round_gets_its_numbered_reply_with_its_pdf(self):
		complaint = respond(make_complaint())
		first = queued(complaint.name, defaults.REPLY_LETTER)
		self.assertEqual(len(first), 1)
		recipients = frappe.get_all("Email Queue Recipient", {"parent": first[0].name}, pluck="recipient")
		self.assertEqual(recipients, [COMPLAINANT_EMAIL])
		self.assertIn("Credit note issued", first[0].message)
		rounds = reload(complaint).reply_rounds
		self.assertEqual(
			frappe.db.get_value("Communication", rounds[0].reply_letter, "subject"),
			f"Our reply to your complaint {complaint.name}",
		)

		# the complainant is not satisfied: the second round ends in a second, numbered reply
		complaint = move(complaint, Status.REOPENED, QM_USER)
		self.assertEqual(len(queued(complaint.name, defaults.REPLY_LETTER)), 1)  # reopening sends none
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
		with as_user(HANDLER_USER):
			doc = reload(complaint)
			doc.resolution = "The whole batch is replaced and the shipping carton redesigned."
			doc.save()
		complaint = move(move(doc, Status.PENDING_APPROVAL, HANDLER_USER), Status.RESPONDED, QM_USER)
		rows = queued(complaint.name, defaults.REPLY_LETTER)
		self.assertEqual(len(rows), 2)
		rounds = reload(complaint).reply_rounds
		self.assertEqual([row.round for row in rounds], [1, 2])
		second = frappe.get_doc("Communication", rounds[1].reply_letter)
		self.assertEqual(second.subject, f"Reply 2 to your complaint {complaint.name}")
		self.assertNotEqual(rounds[0].reply_letter, rounds[1].reply_letter)
		html = frappe.get_print("Complaint", complaint.name, print_format=defaults.REPLY_LETTER)
		self.assertIn("Reply No. 2", html)
		self.assertIn("carton redesigned", html)

	def test_a_rejection_is_a_reply_too(self):
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		with as_user(QM_USER):
			doc = reload(complaint)
			doc.validity, doc.validity_reason = "Out of Scope", "The sample was not tested by us."
			doc.save()
		complaint = move(doc, Status.REJECTED, QM_USER)
		self.assertEqual(len(queued(complaint.name, defaults.REPLY_LETTER)), 1)
		html = frappe.get_print("Complaint", complaint.name, print_format=defaults.REPLY_LETTER)
		self.assertIn("not tested by us", html)

	def test_switched_off(self):
		frappe.db.set_single_value("Complaint Settings", "send_reply_letter", 0)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		complaint = respond(make_complaint())
		self.assertFalse(queued(complaint.name, defaults.REPLY_LETTER))
		self.assertFalse(reload(complaint).reply_rounds[-1].reply_letter)


class TestEndNotice(ComplaintTestCase):
	def test_sent_once_on_closure(self):
		complaint = respond(make_complaint())
		self.assertFalse(queued(complaint.name, defaults.END_NOTICE))  # other status changes send none
		complaint = move(complaint, Status.CLOSED, QM_USER)
		rows = queued(complaint.name, defaults.END_NOTICE)
		self.assertEqual(len(rows), 1)
		recipients = frappe.get_all("Email Queue Recipient", {"parent": rows[0].name}, pluck="recipient")
		self.assertEqual(recipients, [COMPLAINANT_EMAIL])
		self.assertTrue(
			frappe.db.exists(
				"Communication",
				{
					"reference_name": complaint.name,
					"email_template": defaults.END_NOTICE,
					"sent_or_received": "Sent",
				},
			)
		)
		html = frappe.get_print("Complaint", complaint.name, print_format=defaults.END_NOTICE)
		self.assertIn("Credit note issued", html)

		# a later save of the closed complaint sends nothing more
		doc = reload(complaint)
		doc.add_comment("Comment", "Filed.")
		doc.flags.ignore_permissions = True
		doc.save()
		self.assertEqual(len(queued(complaint.name, defaults.END_NOTICE)), 1)

	def test_switched_off(self):
		frappe.db.set_single_value("Complaint Settings", "send_end_notice", 0)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		complaint = move(respond(make_complaint()), Status.CLOSED, QM_USER)
		self.assertFalse(queued(complaint.name, defaults.END_NOTICE))

	def test_no_email_address_warns_and_closes(self):
		complaint = respond(
			make_complaint(
				complainant_email=None,
				channel="Phone",
				complainant_phone="+86 10 1234 5678",
				restatement="The assay differs from your retained sample.",
			)
		)
		frappe.clear_messages()
		complaint = move(complaint, Status.CLOSED, QM_USER)
		self.assertEqual(complaint.status, Status.CLOSED)
		self.assertIn("by post", " ".join(str(m.get("message")) for m in frappe.message_log))
		self.assertFalse(queued(complaint.name, defaults.END_NOTICE))
