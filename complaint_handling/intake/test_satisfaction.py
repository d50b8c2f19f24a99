"""Satisfaction at closure (issue 14, part 7) on a real site: in the desk, on the status page, and
the figures ``satisfaction_summary`` gives the reports."""

import frappe
from frappe.utils import add_days, now_datetime, today

from complaint_handling.channels import status, survey
from complaint_handling.intake.satisfaction import satisfaction_summary
from complaint_handling.rules.complaint import Status
from complaint_handling.security.stamped import app_stamping
from complaint_handling.tests.utils import (
	HANDLER_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	move,
	reload,
	respond,
)

ANSWERS = ("Satisfied", "Partly Satisfied", "Not Satisfied")


def with_token(doc):
	"""A tracking token for ``doc`` (as the acknowledgement would issue), returned once."""
	from complaint_handling.channels import tokens

	doc = reload(doc)
	with app_stamping(doc):
		token = tokens.issue(doc)
		doc.save(ignore_permissions=True)
	return token


class TestSatisfactionInTheDesk(ComplaintTestCase):
	def test_recorded_once_the_reply_is_out_stamped_by_the_app(self):
		complaint = reload(make_complaint())
		complaint.satisfaction = "Satisfied"
		with self.assertRaisesRegex(frappe.ValidationError, "formal reply"):
			complaint.save()

		complaint = respond(make_complaint())
		with as_user(HANDLER_USER):  # a callback after the reply
			doc = reload(complaint)
			doc.satisfaction, doc.satisfaction_comment = "Partly Satisfied", "Slow, but fixed."
			doc.save()
		doc = reload(complaint)
		self.assertEqual(doc.satisfaction, "Partly Satisfied")
		self.assertTrue(doc.satisfaction_recorded_on)

		doc.satisfaction_recorded_on = "2020-01-01 00:00:00"  # the app's
		with self.assertRaises(frappe.PermissionError):
			doc.save()

		doc = reload(complaint)
		doc.satisfaction = "Very Happy"  # not an option
		with self.assertRaises(frappe.ValidationError):
			doc.save()

	def test_a_closed_complaint_takes_it_from_the_quality_manager_and_reopening_asks_again(self):
		complaint = move(respond(make_complaint()), Status.CLOSED, QM_USER)
		with as_user(QM_USER):
			doc = reload(complaint)
			doc.satisfaction = "Not Satisfied"
			doc.save()
		self.assertEqual(reload(complaint).satisfaction, "Not Satisfied")

		complaint = move(complaint, Status.REOPENED, QM_USER)
		self.assertIsNone(complaint.satisfaction)
		self.assertIsNone(complaint.satisfaction_recorded_on)
		comments = frappe.get_all(
			"Comment",
			filters={"reference_name": complaint.name, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any("Satisfaction before reopening" in c for c in comments))


class TestSatisfactionOnTheStatusPage(ComplaintTestCase):
	def test_the_complainant_rates_the_handling_once_the_reply_is_out(self):
		complaint = make_complaint()
		token = with_token(complaint)
		with as_user("Guest"):
			self.assertFalse(status.lookup(token=token)["satisfaction_wanted"])
			with self.assertRaisesRegex(frappe.ValidationError, "does not take this answer"):
				status.rate_satisfaction(satisfaction="Satisfied", token=token)

		complaint = move(respond(complaint), Status.CLOSED, QM_USER)
		with as_user("Guest"):
			self.assertTrue(status.lookup(token=token)["satisfaction_wanted"])
			for bad in (None, "", "Delighted", "satisfied"):
				with self.subTest(bad=bad), self.assertRaises(frappe.ValidationError):
					status.rate_satisfaction(satisfaction=bad, token=token)
			with self.assertRaises(frappe.CharacterLengthExceededError):
				status.rate_satisfaction(satisfaction="Satisfied", comment="x" * 2001, token=token)
			view = status.rate_satisfaction(
				satisfaction="Satisfied", comment="Quick <b>and</b> fair.", token=token
			)
		self.assertFalse(view["satisfaction_wanted"])
		doc = reload(complaint)
		self.assertEqual((doc.status, doc.satisfaction), (Status.CLOSED, "Satisfied"))
		self.assertEqual(doc.satisfaction_comment, "Quick <b>and</b> fair.")  # text, never shown as markup
		self.assertTrue(doc.satisfaction_recorded_on)
		self.assertTrue(
			frappe.db.exists(
				"Communication",
				{"reference_name": complaint.name, "subject": ("like", "Satisfaction with the handling%")},
			)
		)
		# once: a second answer is refused, the first stays
		with as_user("Guest"), self.assertRaises(frappe.ValidationError):
			status.rate_satisfaction(satisfaction="Not Satisfied", token=token)
		self.assertEqual(reload(complaint).satisfaction, "Satisfied")
		# a wrong token is the status page's one 404
		with as_user("Guest"), self.assertRaises(frappe.DoesNotExistError):
			status.rate_satisfaction(satisfaction="Satisfied", token="A" * 43)


class TestSatisfactionSummary(ComplaintTestCase):
	def test_figures_equal_the_counts_of_the_stored_answers(self):
		company = default_company()
		start, end = add_days(today(), -1), today()
		before = satisfaction_summary(company, start, end)

		closure = ["Satisfied", "Satisfied", "Not Satisfied", "Partly Satisfied"]
		for answer in closure:
			doc = reload(respond(make_complaint()))
			doc.satisfaction = answer
			doc.save()
		# an answer recorded outside the period does not count
		old = reload(respond(make_complaint()))
		old.satisfaction = "Not Satisfied"
		old.save()
		frappe.db.set_value(
			"Complaint",
			old.name,
			"satisfaction_recorded_on",
			add_days(now_datetime(), -30),
			update_modified=False,
		)

		run = frappe.get_doc(
			{"doctype": survey.SURVEY, "company": company, "from_date": start, "to_date": end}
		).insert()
		answers = ["Satisfied", "Not Satisfied", "Not Satisfied"]
		for i, answer in enumerate([*answers, None]):
			frappe.get_doc(
				{
					"doctype": survey.RESPONSE,
					"survey": run.name,
					"company": company,
					"status": survey.ANSWERED if answer else survey.AWAITING,
					"satisfaction": answer,
					"answered_on": now_datetime() if answer else None,
					"token_hash": None if answer else f"{i:064d}",
				}
			).insert(ignore_permissions=True)

		after = satisfaction_summary(company, start, end)
		for answer in ANSWERS:
			self.assertEqual(
				after["closure"]["counts"][answer] - before["closure"]["counts"][answer],
				closure.count(answer),
			)
			self.assertEqual(
				after["survey"]["counts"][answer] - before["survey"]["counts"][answer], answers.count(answer)
			)
		# recount independently from the raw rows
		raw_closure = frappe.get_all(
			"Complaint",
			filters={
				"company": company,
				"satisfaction": ("in", ANSWERS),
				"satisfaction_recorded_on": ("between", [start, end]),
			},
			pluck="satisfaction",
		)
		raw_survey = frappe.get_all(
			survey.RESPONSE,
			filters={"company": company, "status": survey.ANSWERED, "answered_on": ("between", [start, end])},
			pluck="satisfaction",
		)
		total = raw_closure + raw_survey
		self.assertEqual(after["total"]["answered"], len(total))
		self.assertEqual(after["total"]["counts"], {a: total.count(a) for a in ANSWERS})
		self.assertEqual(
			after["total"]["satisfied_share"], round(100 * total.count("Satisfied") / len(total), 1)
		)
		self.assertEqual(after["closure"]["answered"], len(raw_closure))
		self.assertEqual(satisfaction_summary("No Such Company", start, end)["total"]["answered"], 0)
		self.assertIsNone(satisfaction_summary("No Such Company", start, end)["total"]["satisfied_share"])
