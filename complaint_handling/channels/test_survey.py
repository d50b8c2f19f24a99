"""The periodic satisfaction survey (issue 14, part 7) on a real site: sending it through the email
queue, one email per complainant address, links that work once, and what each role reads."""

import re
from unittest.mock import patch

import frappe
from frappe.utils import add_days, getdate, today

from complaint_handling.channels import status, survey
from complaint_handling.rules import satisfaction
from complaint_handling.rules.complaint import Status
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	HANDLER_USER,
	INVESTIGATOR_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	move,
	respond,
)

ADDRESSES = ("survey-a@example.org", "survey-b@example.org")


def closed_complaint(email: str, **values):
	complaint = make_complaint(complainant_email=email, complainant_name=f"Name of {email}", **values)
	return move(respond(complaint), Status.CLOSED, QM_USER)


def queued_for(response: str) -> list:
	return frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": survey.RESPONSE, "reference_name": response},
		fields=["name", "message"],
	)


def token_in(message: str) -> str:
	# the queued message is MIME text: the link may be quoted-printable encoded
	text = message.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
	return re.search(r"/complaint-survey#t=([A-Za-z0-9_-]{32,64})", text).group(1)


class TestSurvey(ComplaintTestCase):
	def new_survey(self, **values):
		with as_user(QM_USER):
			return frappe.get_doc(
				{
					"doctype": survey.SURVEY,
					"company": default_company(),
					"from_date": add_days(today(), -1),
					"to_date": today(),
					**values,
				}
			).insert()

	def test_send_emails_each_address_once_and_each_link_works_once(self):
		first = closed_complaint(ADDRESSES[0])
		second = closed_complaint(ADDRESSES[0].upper())  # the same address
		third = closed_complaint(ADDRESSES[1])
		open_one = respond(make_complaint(complainant_email="survey-open@example.org"))  # not closed
		run = self.new_survey()

		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			survey.send_survey(run.name)
		with as_user(QM_USER):
			result = survey.send_survey(run.name)
		closed_names = set(
			frappe.get_all(
				"Complaint",
				filters={
					"company": run.company,
					"status": Status.CLOSED,
					"closed_on": ("between", [run.from_date, run.to_date]),
				},
				pluck="name",
			)
		)
		self.assertTrue({first.name, second.name, third.name} <= closed_names)
		self.assertNotIn(open_one.name, closed_names)
		self.assertEqual(result["complaints"], len(closed_names))

		responses = frappe.get_all(
			survey.RESPONSE,
			filters={"survey": run.name},
			fields=["name", "complaint", "other_complaints", "status", "token_hash"],
		)
		by_complaint = {row.complaint: row for row in responses}
		self.assertEqual(len(responses), result["invitations"])
		self.assertIn(second.name, by_complaint)  # the latest of the address's complaints
		self.assertEqual(by_complaint[second.name].other_complaints, first.name)
		self.assertNotIn(first.name, by_complaint)
		self.assertIn(third.name, by_complaint)

		recipients = {}
		for row in responses:
			rows = queued_for(row.name)
			self.assertEqual(len(rows), 1)
			to = frappe.get_all("Email Queue Recipient", {"parent": rows[0].name}, pluck="recipient")
			recipients.setdefault(to[0], []).append(row.name)
		self.assertEqual(recipients[ADDRESSES[0]], [by_complaint[second.name].name])
		self.assertEqual(recipients[ADDRESSES[1]], [by_complaint[third.name].name])
		self.assertTrue(all(len(names) == 1 for names in recipients.values()))  # one per address

		run.reload()
		self.assertEqual((run.status, run.sent_by), (survey.SENT, QM_USER))
		self.assertEqual(run.invitations_count, len(responses))
		with as_user(QM_USER), self.assertRaisesRegex(frappe.ValidationError, "already been sent"):
			survey.send_survey(run.name)

		# the complainant follows the link, answers once; the link then answers as a wrong token
		message = queued_for(by_complaint[third.name].name)[0].message
		token = token_in(message)
		self.assertNotIn(token, frappe.as_json(responses))  # only its hash is stored
		with as_user("Guest"):
			view = survey.survey_view(token=token)
			self.assertEqual(view["reference"], third.name)
			with self.assertRaises(frappe.ValidationError):
				survey.answer_survey(token=token, satisfaction="Thrilled")
			with self.assertRaises(frappe.CharacterLengthExceededError):
				survey.answer_survey(token=token, satisfaction="Satisfied", comment="y" * 2001)
			survey.answer_survey(token=token, satisfaction="Partly Satisfied", comment="OK <i>in the end</i>")
		answered = frappe.get_doc(survey.RESPONSE, by_complaint[third.name].name)
		self.assertEqual((answered.status, answered.satisfaction), (survey.ANSWERED, "Partly Satisfied"))
		self.assertEqual(answered.comment, "OK <i>in the end</i>")
		self.assertIsNone(answered.token_hash)
		run.reload()
		self.assertEqual((run.responses_count, run.partly_satisfied_count), (1, 1))
		# the trend report counts the answer in the period it was given, as the review pack does
		from complaint_handling.complaint_handling.report.complaint_trends.complaint_trends import compute
		from complaint_handling.intake.satisfaction import satisfaction_summary

		with as_user(QM_USER):
			trend = compute({"company": run.company, "from_date": today(), "to_date": today()})
		summary = satisfaction_summary(run.company, today(), today())
		self.assertGreaterEqual(summary["survey"]["counts"]["Partly Satisfied"], 1)
		given = {answer: n for answer, n in summary["total"]["counts"].items() if n}
		self.assertEqual(dict(trend.current.figures.satisfaction), given)

		misses = [token, "A" * 43, "' or 1=1 --", None]
		messages = set()
		for miss in misses:
			for call in (
				lambda miss=miss: survey.survey_view(token=miss),
				lambda miss=miss: survey.answer_survey(token=miss, satisfaction="Satisfied"),
			):
				with self.subTest(miss=miss), as_user("Guest"), self.assertRaises(frappe.DoesNotExistError):
					call()
				messages.add((frappe.message_log[-1].get("title"), frappe.message_log[-1].get("message")))
				frappe.clear_messages()
		with as_user("Guest"), self.assertRaises(frappe.DoesNotExistError):
			status.lookup(token="A" * 43)
		messages.add((frappe.message_log[-1].get("title"), frappe.message_log[-1].get("message")))
		self.assertEqual(len(messages), 1)  # the same 404 as the status page

		# a sent survey is a record
		with as_user(QM_USER):
			run.reload()
			run.to_date = add_days(today(), 1)
			with self.assertRaises(frappe.ValidationError):
				run.save()
			with self.assertRaises(frappe.PermissionError):
				frappe.delete_doc(survey.SURVEY, run.name)

	def test_what_each_role_reads(self):
		closed_complaint(ADDRESSES[1])
		run = self.new_survey()
		with as_user(QM_USER):
			survey.send_survey(run.name)
		name = frappe.get_all(survey.RESPONSE, filters={"survey": run.name}, pluck="name")[0]
		with as_user(AUDITOR_USER):
			doc = frappe.get_doc(survey.RESPONSE, name)
			doc.check_permission("read")
			self.assertNotIn(ADDRESSES[1], frappe.as_json(doc.as_dict()))
			self.assertNotIn(f"Name of {ADDRESSES[1]}", frappe.as_json(doc.as_dict()))
			rows = frappe.get_list(survey.RESPONSE, filters={"name": name}, fields=["name", "token_hash"])
			self.assertFalse(any(row.get("token_hash") for row in rows))  # permission level 2
		for user in (INVESTIGATOR_USER, HANDLER_USER):
			with as_user(user):
				self.assertFalse(frappe.has_permission(survey.RESPONSE, "read"))
				self.assertFalse(frappe.has_permission(survey.SURVEY, "read"))
		with as_user(AUDITOR_USER), self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": survey.SURVEY, "company": run.company, "from_date": today(), "to_date": today()}
			).insert()

	def test_the_period_must_be_real_and_the_template_is_seeded(self):
		with self.assertRaisesRegex(frappe.ValidationError, "must not be after"):
			self.new_survey(from_date=today(), to_date=add_days(today(), -1))
		self.assertTrue(frappe.db.exists("Email Template", defaults.SATISFACTION_SURVEY))

	def test_the_quarterly_job_does_nothing_while_switched_off(self):
		frappe.db.set_single_value("Complaint Settings", "send_quarterly_survey", 0)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		count = frappe.db.count(survey.SURVEY)
		survey.send_quarterly_surveys()
		self.assertEqual(frappe.db.count(survey.SURVEY), count)

	def test_the_quarterly_job_sends_the_last_quarter_s_survey_once(self):
		now = getdate(today())
		first, last = satisfaction.previous_quarter(now.year, now.month)
		from_date, to_date = "{:04d}-{:02d}-{:02d}".format(*first), "{:04d}-{:02d}-{:02d}".format(*last)
		complaint = closed_complaint(ADDRESSES[0])
		frappe.db.set_value("Complaint", complaint.name, "closed_on", f"{to_date} 12:00:00")
		frappe.db.set_single_value("Complaint Settings", "send_quarterly_survey", 1)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		with patch.object(frappe.db, "commit"):  # the job commits per company; the test rolls back
			survey.send_quarterly_surveys()
			survey.send_quarterly_surveys()
		runs = frappe.get_all(
			survey.SURVEY,
			filters={"company": complaint.company, "from_date": from_date, "to_date": to_date},
			fields=["name", "status"],
		)
		self.assertEqual([run.status for run in runs], [survey.SENT])
		self.assertTrue(
			frappe.db.exists(survey.RESPONSE, {"survey": runs[0].name, "complaint": complaint.name})
		)
