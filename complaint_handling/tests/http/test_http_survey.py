"""The satisfaction survey over HTTP (issue 14, part 7): its DocTypes carry no contact of the
complainant, so roles that may not read complainants (investigators, auditors…) learn nothing
about who answered; roles without a survey permission get 403; the one-time link answers once and
then as any wrong token, the status page's 404."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import now_datetime, today

from complaint_handling.channels import survey
from complaint_handling.tests.http import harness as h

READERS = ("qm", "auditor", "gm")  # read the survey and its answers (no contact in them)
NON_READERS = ("intake", "handler", "investigator", "panel", "sales", "website", "guest")
state: dict = {}


def setUpModule():
	state.update(send_survey("survey", h.fixtures().complainant))


def tearDownModule():
	remove_survey(state)
	h.release()


def send_survey(label: str, party: dict | None = None) -> dict:
	"""A survey of today sent (committed) for, among others, a new closed complaint labelled ``label``
	of ``party`` (the fixtures' ``new_complaint`` party; a new person of their own by default):
	``complaint``, ``survey``, ``response``, its ``token_hash`` and the emailed link's ``token``."""
	fx = h.fixtures()
	frappe.set_user("Administrator")
	complaint = fx.new_complaint(label, party=party, status="Closed")
	frappe.db.set_value("Complaint", complaint, "closed_on", now_datetime(), update_modified=False)
	run = frappe.get_doc(
		{"doctype": survey.SURVEY, "company": fx.company, "from_date": today(), "to_date": today()}
	).insert(ignore_permissions=True)
	survey.send_survey(run.name)
	response = frappe.get_all(survey.RESPONSE, filters={"complaint": complaint}, pluck="name")[0]
	message = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": survey.RESPONSE, "reference_name": response},
		pluck="message",
	)[0]
	text = message.replace("=\r\n", "").replace("=\n", "").replace("=3D", "=")
	frappe.db.commit()
	return {
		"complaint": complaint,
		"survey": run.name,
		"response": response,
		"token_hash": frappe.db.get_value(survey.RESPONSE, response, "token_hash"),
		"token": re.search(r"/complaint-survey#t=([A-Za-z0-9_-]{32,64})", text).group(1),
	}


def remove_survey(sent: dict) -> None:
	"""Delete what :func:`send_survey` made but the complaint (the fixtures remove theirs)."""
	frappe.db.rollback()
	if not sent.get("survey"):
		return
	responses = frappe.get_all(survey.RESPONSE, filters={"survey": sent["survey"]}, pluck="name")
	queued = frappe.get_all(
		"Email Queue", filters={"reference_name": ("in", responses or [""])}, pluck="name"
	)
	h.delete_rows(
		"Email Queue Recipient",
		frappe.get_all("Email Queue Recipient", {"parent": ("in", queued or [""])}, pluck="name"),
	)
	h.delete_rows("Email Queue", queued)
	h.delete_rows(
		"Version",
		frappe.get_all("Version", {"docname": ("in", [*responses, sent["survey"]])}, pluck="name"),
	)
	h.delete_rows(survey.RESPONSE, responses)
	h.delete_rows(survey.SURVEY, [sent["survey"]])
	frappe.db.commit()


class TestSurveyOverHttp(FrappeTestCase):
	def contacts(self) -> list[str]:
		fx = h.fixtures()
		party = fx.complainant
		return [party["token"], party["digits"], party["email"], party["name"], party["organisation"]]

	def test_readers_get_the_answers_and_no_contact_others_get_nothing(self):
		for persona in READERS + NON_READERS:
			c = h.client(persona)
			for doctype, name in ((survey.RESPONSE, state["response"]), (survey.SURVEY, state["survey"])):
				single = c.resource(doctype, name)
				listed = c.resource_list(doctype, fields=["*"], limit_page_length=500)
				with self.subTest(persona=persona, doctype=doctype):
					body = h.body(single) + h.body(listed)
					for canary in self.contacts():
						self.assertNotIn(canary, body)
					self.assertNotIn(state["token_hash"], body)  # permission level 2: no role reads it
					if persona in READERS:
						self.assertEqual(single.status_code, 200, h.body(single)[:200])
						self.assertEqual(listed.status_code, 200, h.body(listed)[:200])
					else:
						self.assertIn(single.status_code, (403, 404), h.body(single)[:200])
						names = [r.get("name") for r in (h.data_of(listed) or []) if isinstance(r, dict)]
						self.assertNotIn(name, names)
		# the answers stay the app's: no reader writes them, and only a quality manager sends
		r = h.client("auditor").put(survey.RESPONSE, state["response"], {"satisfaction": "Satisfied"})
		self.assertIn(r.status_code, (403, 417), h.body(r)[:200])
		r = h.client("auditor").call("complaint_handling.channels.survey.send_survey", survey=state["survey"])
		self.assertEqual(r.status_code, 403, h.body(r)[:200])

	def test_the_link_answers_once_then_as_a_wrong_token(self):
		guest = h.client("guest")
		method = "complaint_handling.channels.survey."
		r = guest.call(method + "survey_view", token=state["token"])
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertEqual(h.data_of(r)["reference"], state["complaint"])
		for canary in self.contacts():
			self.assertNotIn(canary, h.body(r))
		r = guest.call(method + "answer_survey", token=state["token"], satisfaction="Nope")
		self.assertEqual(r.status_code, 417, h.body(r)[:300])
		r = guest.call(
			method + "answer_survey", token=state["token"], satisfaction="Satisfied", comment="Fine."
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		frappe.db.rollback()
		self.assertEqual(h.fresh_value(survey.RESPONSE, state["response"], "satisfaction"), "Satisfied")

		used = guest.call(method + "answer_survey", token=state["token"], satisfaction="Not Satisfied")
		wrong = guest.call(method + "survey_view", token="A" * 43)
		status_page = guest.call("complaint_handling.channels.status.lookup", token="A" * 43)
		self.assertEqual({used.status_code, wrong.status_code, status_page.status_code}, {404})
		self.assertEqual(h.server_messages(used), h.server_messages(status_page))
		self.assertEqual(h.server_messages(wrong), h.server_messages(status_page))
		self.assertEqual(h.fresh_value(survey.RESPONSE, state["response"], "satisfaction"), "Satisfied")

	def test_the_pages_render_in_english_and_chinese(self):
		guest = h.client("guest")
		for lang, heading, question in (
			("en", "How Satisfied Are You?", "How satisfied are you with how we handled your complaint?"),
			("zh", "您满意吗？", "您对我们处理您投诉的方式满意吗？"),
		):
			r = guest.get("/complaint-survey", {"_lang": lang}, headers={"Accept": "text/html"})
			self.assertEqual(r.status_code, 200, h.body(r)[:300])
			self.assertIn(heading, h.body(r))
			self.assertIn(question, h.body(r))
			r = guest.get("/complaint-status", {"_lang": lang}, headers={"Accept": "text/html"})
			self.assertEqual(r.status_code, 200, h.body(r)[:300])
			self.assertIn('id="ch-satisfaction"', h.body(r))
			self.assertIn(question, h.body(r))
