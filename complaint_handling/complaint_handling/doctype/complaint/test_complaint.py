# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import json

import frappe
from frappe.utils import add_days, add_to_date, now_datetime

from complaint_handling.engine.workflow import transition_to
from complaint_handling.rules.complaint import Status, Validity
from complaint_handling.setup import defaults
from complaint_handling.tests.utils import (
	COMPLAINANT_EMAIL,
	GM_USER,
	HANDLER_USER,
	INTAKE_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
	reload,
	set_category_handlers,
	versions_recorded,
)


def move(doc, status, user):
	with as_user(user):
		return transition_to(reload(doc), status)


def decide(doc, user, validity=Validity.ACCEPTED, resolution="Batch replaced and the customer credited."):
	with as_user(user):
		doc = reload(doc)
		doc.validity = validity
		doc.resolution = resolution
		doc.save()
		return doc


# an oral complaint is registered with what was read back to the complainant
RESTATEMENT = "The assay in report 2026-0417 differs from your own result on the retained sample."


class TestComplaintLifecycle(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		set_category_handlers("Product Quality", [HANDLER_USER])

	def run_lifecycle(self):
		with as_user(INTAKE_USER):
			complaint = make_complaint()
		self.assertEqual(complaint.status, Status.DRAFT)

		complaint = move(complaint, Status.REGISTERED, INTAKE_USER)
		self.assertEqual(complaint.status, Status.REGISTERED)
		self.assertTrue(complaint.acknowledged_on)
		self.assertEqual(frappe.parse_json(reload(complaint)._assign), [HANDLER_USER])

		complaint = move(complaint, Status.ACKNOWLEDGED, HANDLER_USER)
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
		complaint = decide(complaint, HANDLER_USER)
		self.assertEqual(complaint.validity_decided_by, HANDLER_USER)
		complaint = move(complaint, Status.PENDING_APPROVAL, HANDLER_USER)
		complaint = move(complaint, Status.RESPONDED, QM_USER)
		self.assertTrue(complaint.responded_on)
		complaint = move(complaint, Status.CLOSED, QM_USER)
		self.assertEqual(complaint.status, Status.CLOSED)
		self.assertEqual(complaint.closure_approved_by, QM_USER)
		self.assertTrue(complaint.closed_on)
		# the close rule of the category's Assignment Rule completes the handler's ToDo
		self.assertEqual(
			frappe.get_all("ToDo", {"reference_name": complaint.name}, pluck="status"), ["Closed"]
		)
		return complaint

	def test_whole_lifecycle_through_the_seeded_workflow(self):
		complaint = self.run_lifecycle()

		# a closed complaint is read-only except through Reopen
		with as_user(QM_USER), self.assertRaisesRegex(frappe.ValidationError, "reopen it"):
			doc = reload(complaint)
			doc.resolution = "Changed afterwards"
			doc.save()

		with versions_recorded():
			complaint = move(complaint, Status.REOPENED, QM_USER)
		self.assertFalse(complaint.closed_on)
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)

		# every change is in the version history
		changes = [
			json.loads(v)["changed"]
			for v in frappe.get_all(
				"Version", {"ref_doctype": "Complaint", "docname": complaint.name}, pluck="data"
			)
		]
		status_changes = [change for changed in changes for change in changed if change[0] == "status"]
		self.assertIn(["status", Status.CLOSED, Status.REOPENED], status_changes)

	def test_lifecycle_after_an_admin_edits_the_workflow(self):
		"""A state renamed and a state added in the UI: rules key on status, so all still works."""
		workflow = frappe.get_doc("Workflow", defaults.WORKFLOW_NAME)
		for name in ("Investigating", "Awaiting Customer"):
			if not frappe.db.exists("Workflow State", name):
				frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": name}).insert()
		if not frappe.db.exists("Workflow Action Master", "Wait for Customer"):
			frappe.get_doc(
				{"doctype": "Workflow Action Master", "workflow_action_name": "Wait for Customer"}
			).insert()

		for row in workflow.states:
			if row.state == "Under Investigation":
				row.state = "Investigating"
		for row in workflow.transitions:
			row.state = "Investigating" if row.state == "Under Investigation" else row.state
			row.next_state = "Investigating" if row.next_state == "Under Investigation" else row.next_state
		# an extra state that writes an existing status, with its way in and out
		workflow.append(
			"states",
			{
				"state": "Awaiting Customer",
				"doc_status": "0",
				"update_field": "status",
				"update_value": Status.UNDER_INVESTIGATION,
				"allow_edit": defaults.HANDLER,
			},
		)
		workflow.append(
			"transitions",
			{
				"state": "Acknowledged",
				"action": "Wait for Customer",
				"next_state": "Awaiting Customer",
				"allowed": defaults.HANDLER,
			},
		)
		workflow.append(
			"transitions",
			{
				"state": "Awaiting Customer",
				"action": "Start Investigation",
				"next_state": "Investigating",
				"allowed": defaults.HANDLER,
			},
		)
		workflow.save()

		complaint = self.run_lifecycle()
		self.assertEqual(complaint.workflow_state, "Closed")
		history = frappe.get_all(
			"Comment", {"reference_name": complaint.name, "comment_type": "Workflow"}, pluck="content"
		)
		self.assertIn("Investigating", history)

		# the added state writes an existing status, so the rules treat it as investigation
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		complaint = move(complaint, Status.ACKNOWLEDGED, HANDLER_USER)
		with as_user(HANDLER_USER):
			complaint = frappe.model.workflow.apply_workflow(reload(complaint), "Wait for Customer")
		self.assertEqual(
			(complaint.workflow_state, complaint.status), ("Awaiting Customer", Status.UNDER_INVESTIGATION)
		)
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
		self.assertEqual(complaint.workflow_state, "Investigating")

	def test_rejection_needs_a_negative_validity_with_reason(self):
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		with self.assertRaisesRegex(frappe.MandatoryError, "Not Substantiated or Out of Scope"):
			move(complaint, Status.REJECTED, QM_USER)

		complaint = reload(complaint)
		complaint.validity = Validity.OUT_OF_SCOPE
		with self.assertRaises(frappe.MandatoryError):
			complaint.save()  # a negative validity always needs its reason
		complaint = reload(complaint)
		complaint.validity = Validity.OUT_OF_SCOPE
		complaint.validity_reason = "The product was bought from another supplier."
		complaint.save()
		complaint = move(complaint, Status.REJECTED, QM_USER)
		self.assertEqual(complaint.closure_approved_by, QM_USER)

	def test_no_registration_without_category_and_severity(self):
		frappe.db.set_single_value("Complaint Settings", "default_severity", "III")
		complaint = make_complaint(complaint_category=None)
		with self.assertRaisesRegex(frappe.MandatoryError, "Category"):
			move(complaint, Status.REGISTERED, INTAKE_USER)

	def test_no_closure_without_decision_and_resolution(self):
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		complaint = move(complaint, Status.ACKNOWLEDGED, HANDLER_USER)
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER)
		with self.assertRaisesRegex(frappe.MandatoryError, "Resolution"):
			move(complaint, Status.PENDING_APPROVAL, HANDLER_USER)

	def test_registered_complaint_cannot_be_deleted(self):
		draft = make_complaint()
		frappe.delete_doc("Complaint", draft.name)
		self.assertFalse(frappe.db.exists("Complaint", draft.name))

		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Complaint", complaint.name)

	def test_major_complaint(self):
		with self.assertRaisesRegex(frappe.MandatoryError, "major"):
			make_complaint(compensation_claimed=1)
		complaint = make_complaint(external_party_involved=1, major_reason="Consumer association wrote to us")
		self.assertTrue(complaint.is_major)

	def test_the_general_managers_are_told_of_a_major_complaint(self):
		def notices(name):
			return frappe.get_all(
				"Notification Log",
				filters={"document_type": "Complaint", "document_name": name, "for_user": GM_USER},
				pluck="subject",
			)

		major = make_complaint(external_party_involved=1, major_reason="Consumer association wrote to us")
		self.assertEqual(notices(major.name), [], "a draft is nobody's yet")
		move(major, Status.REGISTERED, INTAKE_USER)
		self.assertEqual(len(notices(major.name)), 1)
		self.assertIn(major.name, notices(major.name)[0])

		later = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		self.assertEqual(notices(later.name), [])
		with as_user(QM_USER):
			later = reload(later)
			later.update({"involves_safety": 1, "major_reason": "Glass splinter in a jar"})
			later.save()
		self.assertEqual(len(notices(later.name)), 1)


class TestAcknowledgement(ComplaintTestCase):
	def test_acknowledgement_is_queued_with_the_print_attached(self):
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)

		queue = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": "Complaint", "reference_name": complaint.name},
			fields=["name", "status", "attachments", "message"],
		)
		self.assertEqual(len(queue), 1)
		self.assertEqual(queue[0].status, "Not Sent")
		recipients = frappe.get_all("Email Queue Recipient", {"parent": queue[0].name}, pluck="recipient")
		self.assertEqual(recipients, [COMPLAINANT_EMAIL])
		attachment = json.loads(queue[0].attachments)[0]
		self.assertEqual(attachment["print_format"], defaults.ACKNOWLEDGEMENT)
		self.assertEqual(attachment["name"], complaint.name)
		self.assertIn(complaint.name, queue[0].message)
		# the first response is promised by the deadline the SLA policy set, not a fixed 48 hours
		self.assertIn(frappe.utils.format_datetime(complaint.respond_by), queue[0].message)

		# the attachment renders: what the complainant will receive
		html = frappe.get_print("Complaint", complaint.name, print_format=defaults.ACKNOWLEDGEMENT)
		self.assertIn(complaint.name, html)
		self.assertIn("Li Wei", html)

		# and it is in the complaint's timeline as a sent communication
		self.assertTrue(
			frappe.db.exists("Communication", {"reference_name": complaint.name, "sent_or_received": "Sent"})
		)

	def test_template_edited_by_the_admin_is_used(self):
		template = frappe.get_doc("Email Template", defaults.ACKNOWLEDGEMENT)
		template.subject = "Ref {{ name }} received"
		template.save()
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		subject = frappe.db.get_value("Communication", {"reference_name": complaint.name}, "subject")
		self.assertEqual(subject, f"Ref {complaint.name} received")

	def test_no_email_address_means_no_acknowledgement_date(self):
		complaint = move(
			make_complaint(complainant_email=None, channel="Phone", restatement=RESTATEMENT),
			Status.REGISTERED,
			INTAKE_USER,
		)
		self.assertFalse(complaint.acknowledged_on)
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": complaint.name}))
		# acknowledged by phone: the Acknowledge action records when
		self.assertTrue(move(complaint, Status.ACKNOWLEDGED, HANDLER_USER).acknowledged_on)

	def test_acknowledgement_can_be_switched_off(self):
		frappe.db.set_single_value("Complaint Settings", "send_acknowledgement", 0)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		complaint = move(make_complaint(), Status.REGISTERED, INTAKE_USER)
		self.assertFalse(frappe.db.exists("Email Queue", {"reference_name": complaint.name}))


class TestBadInput(ComplaintTestCase):
	def assert_not_saved(self, exc, **values):
		before = frappe.db.count("Complaint")
		with self.assertRaises(exc):
			make_complaint(**values)
		self.assertEqual(frappe.db.count("Complaint"), before)

	def test_missing_intake_data(self):
		for field in ("subject", "complainant_name", "description"):
			with self.subTest(field=field):
				self.assert_not_saved(frappe.MandatoryError, **{field: None})

	def test_invalid_email(self):
		self.assert_not_saved(frappe.InvalidEmailAddressError, complainant_email="not-an-email")

	def test_reference_to_a_missing_document(self):
		self.assert_not_saved(
			frappe.LinkValidationError,
			reference_doctype="Sales Invoice",
			reference_name="SINV-DOES-NOT-EXIST",
		)
		self.assert_not_saved(frappe.ValidationError, reference_doctype="Sales Invoice")

	def test_received_in_the_future(self):
		self.assert_not_saved(frappe.ValidationError, received_on=add_to_date(now_datetime(), hours=2))

	def test_unknown_severity_or_category(self):
		self.assert_not_saved(frappe.LinkValidationError, severity="IX")
		self.assert_not_saved(frappe.LinkValidationError, complaint_category="No Such Category")

	def test_errors_are_translated(self):
		frappe.local.lang = "zh"
		try:
			with self.assertRaises(frappe.ValidationError) as caught:
				make_complaint(received_on=add_days(now_datetime(), 1))
		finally:
			frappe.local.lang = "en"
		self.assertIn("将来", str(caught.exception))
