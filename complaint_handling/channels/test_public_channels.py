"""The public complaint form and the status page on a real site, called as Guest
(``channels.web_intake``, ``channels.status``). Over HTTP: ``tests/http/test_http_public.py``."""

import frappe
from frappe.utils import add_to_date, now_datetime

from complaint_handling.channels import status, tokens, web_intake
from complaint_handling.rules.complaint import Status
from complaint_handling.tests.utils import ComplaintTestCase, as_user, respond

EMAIL = "web-complainant@example.org"


def form(**values):
	return {
		"email": EMAIL,
		"complainant_name": "Wang Fang",
		"organisation": "Fang Labs",
		"phone": "+86 21 5555 0101",
		"description": "The seal of vial 3 was broken on arrival.\n<script>alert('x')</script>",
		"occurred_on": frappe.utils.add_days(frappe.utils.today(), -2),
		"location": "Shanghai <b>warehouse</b>",
		"product": "Vial 10 ml",
		"batch_no": "B-2026-77",
		"document_no": "SINV-0001",
		"remedy_sought": "Replace the batch.",
		"consent": "1",
		**values,
	}


def submit_as_guest(**values):
	with as_user("Guest"):
		return web_intake.submit(**form(**values))


def token_of(answer) -> str:
	return answer["tracking_link"].split("#t=", 1)[1]


class TestWebIntake(ComplaintTestCase):
	def tearDown(self):
		frappe.cache.delete_keys("complaint_web_intake:")
		super().tearDown()

	def test_a_guest_files_a_draft_web_form_complaint_whose_contacts_live_in_the_complainant(self):
		answer = submit_as_guest()
		doc = frappe.get_doc("Complaint", answer["reference"])
		self.assertEqual((doc.status, doc.channel, doc.owner), (Status.DRAFT, "Web Form", "Guest"))
		stored = frappe.db.get_value(
			"Complaint",
			doc.name,
			["complainant_name", "complainant_email", "complainant_phone", "complainant_organisation"],
		)
		self.assertEqual(stored, (None, None, None, None))
		party = frappe.db.get_value(
			"Complainant", doc.complainant, ["party_name", "email", "phone", "organisation"]
		)
		self.assertEqual(party, ("Wang Fang", EMAIL, "+86 21 5555 0101", "Fang Labs"))
		self.assertEqual((doc.batch_no, doc.location), ("B-2026-77", "Shanghai warehouse"))
		self.assertEqual(doc.remedy_sought, "Replace the batch.")
		self.assertIn("Vial 10 ml", doc.subject)
		self.assertIn("SINV-0001", doc.description)

	def test_markup_is_stored_as_text_never_as_markup(self):
		doc = frappe.get_doc("Complaint", submit_as_guest()["reference"])
		self.assertNotIn("<script", doc.description)
		self.assertIn("&lt;script&gt;", doc.description)

	def test_the_tracking_link_opens_the_complaint_and_only_its_hash_is_stored(self):
		answer = submit_as_guest()
		token = token_of(answer)
		stored = frappe.db.get_value("Complaint", answer["reference"], "tracking_token_hash")
		self.assertEqual(len(stored), 64)
		self.assertNotEqual(stored, token)
		self.assertEqual(tokens.complaint_of(token), answer["reference"])
		self.assertIsNone(tokens.complaint_of(token[:-1] + ("A" if token[-1] != "A" else "B")))

	def test_a_repeated_submission_is_merged_not_doubled(self):
		first = submit_as_guest()
		again = submit_as_guest(
			description="the seal of vial 3 was  broken on arrival.\n<script>alert('x')</script>"
		)
		self.assertEqual(again, {"reference": first["reference"], "tracking_link": None, "duplicate": True})
		# the cache forgotten, the database still knows
		frappe.cache.delete_keys("complaint_web_intake:")
		self.assertEqual(submit_as_guest()["reference"], first["reference"])
		self.assertNotEqual(submit_as_guest(description="Another problem")["reference"], first["reference"])

	def test_an_old_identical_complaint_is_not_a_duplicate(self):
		first = submit_as_guest()
		frappe.db.set_value(
			"Complaint", first["reference"], "creation", add_to_date(now_datetime(), minutes=-30)
		)
		frappe.cache.delete_keys("complaint_web_intake:")
		self.assertNotEqual(submit_as_guest()["reference"], first["reference"])

	def test_the_honeypot_stores_nothing(self):
		before = frappe.db.count("Complaint")
		self.assertEqual(submit_as_guest(website="http://spam.example"), {"received": True})
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_refusals_name_the_field(self):
		cases = {
			"complainant_name": ("x" * 141, frappe.CharacterLengthExceededError),
			"description": ("", frappe.MandatoryError),
			"consent": ("", frappe.MandatoryError),
			"phone": ("'; drop table tabComplaint; --", frappe.ValidationError),
			"occurred_on": ("2999-01-01", frappe.ValidationError),
		}
		for field, (value, error) in cases.items():
			with self.subTest(field=field), self.assertRaises(error):
				submit_as_guest(**{field: value})
		with self.assertRaises(frappe.InvalidEmailAddressError):
			submit_as_guest(email="not-an-address")

	def test_guest_has_no_permission_on_complaint(self):
		self.assertFalse(frappe.has_permission("Complaint", "create", user="Guest"))
		self.assertFalse(frappe.has_permission("Complaint", "read", user="Guest"))


class TestStatus(ComplaintTestCase):
	def tearDown(self):
		frappe.cache.delete_keys("complaint_web_intake:")
		frappe.cache.delete_keys(status.REFERENCE_FAILURES)
		super().tearDown()

	def filed(self):
		answer = submit_as_guest()
		return answer["reference"], token_of(answer)

	def test_token_and_reference_with_email_give_the_same_public_view(self):
		reference, token = self.filed()
		with as_user("Guest"):
			by_token = status.lookup(token=token)
			by_reference = status.lookup(reference=reference, email=EMAIL.upper())
		self.assertEqual(by_token, by_reference)
		self.assertEqual(by_token["status"], "Received")
		self.assertEqual(
			set(by_token),
			{
				"reference",
				"subject",
				"status",
				"status_label",
				"dates",
				"letters",
				"feedback_wanted",
				"satisfaction_wanted",
				"restatement",
			},
		)
		self.assertIsNone(by_token["restatement"])  # a web form complaint was written by its complainant

	def test_every_miss_is_the_same_answer(self):
		reference, _token = self.filed()
		misses = [
			{"token": "A" * 43},
			{"token": "' or 1=1 --"},
			{"reference": reference, "email": "someone-else@example.org"},
			{"reference": "TS-I-99-999", "email": EMAIL},
			{"reference": reference},
			{},
		]
		messages = set()
		for miss in misses:
			with self.subTest(miss=miss), as_user("Guest"), self.assertRaises(frappe.DoesNotExistError):
				status.lookup(**miss)
			last = frappe.message_log[-1] if frappe.message_log else {}
			messages.add((last.get("title"), last.get("message")))
			frappe.clear_messages()
		self.assertEqual(len(messages), 1)

	def test_guessing_the_address_of_a_known_reference_runs_out(self):
		"""Wrong addresses count per reference, whatever IP they come from: past the limit even the
		right address gets the same not-found answer for the hour; the private link still works and
		other references are untouched."""
		reference, token = self.filed()
		other, _other_token = self.filed_by("second-web-complainant@example.org")
		with as_user("Guest"):
			for attempt in range(status.reference_limit()):
				with self.assertRaises(frappe.DoesNotExistError):
					status.lookup(reference=reference, email=f"guess-{attempt}@example.org")
			with self.assertRaises(frappe.DoesNotExistError):
				status.lookup(reference=reference, email=EMAIL)
			self.assertEqual(status.lookup(token=token)["reference"], reference)
			self.assertEqual(
				status.lookup(reference=other, email="second-web-complainant@example.org")["reference"], other
			)

	def filed_by(self, email: str):
		answer = submit_as_guest(email=email, description="A second, different complaint about vial 9.")
		return answer["reference"], token_of(answer)

	def test_letters_show_what_was_sent_to_them_and_nothing_internal(self):
		reference, token = self.filed()
		doc = frappe.get_doc("Complaint", reference)
		doc.add_comment("Comment", "INTERNAL-NOTE: the operator skipped the check")
		for recipient, subject in ((EMAIL, "Your complaint"), ("colleague@example.com", "INTERNAL-MAIL")):
			frappe.get_doc(
				{
					"doctype": "Communication",
					"communication_type": "Communication",
					"communication_medium": "Email",
					"sent_or_received": "Sent",
					"subject": subject,
					"content": "<p>Dear Wang Fang</p><script>alert(1)</script>",
					"recipients": recipient,
					"reference_doctype": "Complaint",
					"reference_name": reference,
				}
			).insert(ignore_permissions=True)
		with as_user("Guest"):
			view = status.lookup(token=token)
		self.assertEqual([letter["subject"] for letter in view["letters"]], ["Your complaint"])
		self.assertNotIn("<script", view["letters"][0]["content"])
		self.assertNotIn("INTERNAL", frappe.as_json(view))

	def test_adding_information_records_a_received_message_and_files(self):
		reference, token = self.filed()
		with as_user("Guest"):
			view = status.add_information(information="Photos <b>follow</b> by post.", token=token)
		message = frappe.get_all(
			"Communication",
			filters={"reference_name": reference, "sent_or_received": "Received"},
			fields=["sender", "content"],
		)
		self.assertEqual(len(message), 1)
		self.assertEqual(message[0].sender, EMAIL)
		self.assertIn("&lt;b&gt;follow", message[0].content)
		self.assertEqual(view["letters"][-1]["direction"], "From you")
		with as_user("Guest"), self.assertRaises(frappe.MandatoryError):
			status.add_information(information="  ", token=token)

	def test_accepting_the_reply_is_the_customer_feedback_of_a_responded_complaint(self):
		reference, token = self.filed()
		doc = frappe.get_doc("Complaint", reference)
		doc.update({"complaint_category": "Product Quality", "severity": "II"})
		doc.save()
		with as_user("Guest"):
			self.assertFalse(status.lookup(token=token)["feedback_wanted"])
		respond(doc)
		with as_user("Guest"):
			self.assertTrue(status.lookup(token=token)["feedback_wanted"])
			view = status.give_feedback(accepts="1", comment="Thanks.", token=token)
		self.assertEqual(view["status"], "Answered")
		self.assertFalse(view["feedback_wanted"])
		self.assertEqual(
			frappe.db.get_value("Complaint", reference, "customer_feedback"), "I accept the reply. Thanks."
		)
		# a second answer is recorded in the timeline but does not replace the feedback
		with as_user("Guest"):
			status.give_feedback(accepts="0", token=token)
		self.assertEqual(
			frappe.db.get_value("Complaint", reference, "customer_feedback"), "I accept the reply. Thanks."
		)
