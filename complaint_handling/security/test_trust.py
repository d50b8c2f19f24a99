# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt
"""Trust rules on a real site, as each person: stamped fields, self-granted sight, recusal with
memory, hostile input, and what a case's timeline shows. The same rules over HTTP, as every role,
are in ``complaint_handling/tests/http``."""

import json
import time

import frappe
from frappe.desk.form import assign_to
from frappe.utils import add_days, now_datetime

from complaint_handling.rules.complaint import Status
from complaint_handling.security import parties
from complaint_handling.security.timeline import getdoc
from complaint_handling.tests.utils import (
	AUDITOR_USER,
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
)


def stored(doc, field):
	return frappe.db.get_value(doc.doctype, doc.name, field)


def registered(**values):
	return move(make_complaint(**values), Status.REGISTERED, INTAKE_USER)


def investigation(complaint, investigator=INVESTIGATOR_USER):
	return frappe.get_doc(
		{"doctype": "Complaint Investigation", "complaint": complaint.name, "investigator": investigator}
	).insert()


class TestStampedFields(ComplaintTestCase):
	def assert_refused(self, doc, user, field_label, **values):
		before = {field: stored(doc, field) for field in values}
		with as_user(user), self.assertRaisesRegex(frappe.PermissionError, field_label):
			doc = reload(doc)
			doc.update(values)
			doc.save()
		self.assertEqual({field: stored(doc, field) for field in values}, before)

	def test_complaint_dates_and_approvers_cannot_be_written(self):
		complaint = registered()
		for field, value in (
			("responded_on", now_datetime()),
			("closed_on", now_datetime()),
			("validity_decided_by", QM_USER),
			("response_approved_by", QM_2_USER),
			("resolve_by", add_days(now_datetime(), 30)),
			("resolution_sla_status", "Met"),
			("reopen_count", 5),
		):
			with self.subTest(field=field):
				label = frappe.get_meta("Complaint").get_label(field)
				self.assert_refused(complaint, HANDLER_USER, label, **{field: value})

	def test_status_comes_only_from_the_workflow(self):
		complaint = registered()
		self.assert_refused(complaint, HANDLER_USER, "Status", status=Status.CLOSED)
		# a workflow action writes the status its state implies
		self.assertEqual(move(complaint, Status.ACKNOWLEDGED, HANDLER_USER).status, Status.ACKNOWLEDGED)

	def test_acknowledgement_recorded_by_hand_once(self):
		complaint = registered(complainant_email=None)  # no email: acknowledged by phone
		self.assertFalse(stored(complaint, "acknowledged_on"))
		with as_user(HANDLER_USER):
			doc = reload(complaint)
			doc.acknowledged_on = now_datetime()
			doc.save()
		self.assertTrue(stored(complaint, "acknowledged_on"))
		self.assert_refused(
			complaint, HANDLER_USER, "Acknowledged On", acknowledged_on=add_days(now_datetime(), -3)
		)

	def test_sla_pauses_belong_to_the_app(self):
		complaint = registered()
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.PermissionError, "SLA Pauses|Pauses"):
			doc = reload(complaint)
			doc.append(
				"sla_pauses", {"paused_on": add_days(now_datetime(), -2), "resumed_on": now_datetime()}
			)
			doc.save()
		self.assertEqual(frappe.db.count("Complaint SLA Pause", {"parent": complaint.name}), 0)

	def test_extension_cannot_arrive_approved(self):
		complaint = registered()
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.PermissionError, "Decided By|Status"):
			doc = reload(complaint)
			doc.append(
				"deadline_extensions",
				{
					"clock": "Resolution",
					"extend_to": add_days(now_datetime(), 40),
					"reason": "Lab backlog",
					"status": "Approved",
					"decided_by": QM_USER,
				},
			)
			doc.save()
		self.assertEqual(frappe.db.count("Complaint Deadline Extension", {"parent": complaint.name}), 0)

	def test_investigation_approval_comes_from_the_session(self):
		inv = investigation(registered())
		with as_user(INVESTIGATOR_USER), self.assertRaisesRegex(frappe.PermissionError, "Approved By"):
			doc = reload(inv)
			doc.approved_by = QM_USER
			doc.save()
		self.assertFalse(stored(inv, "approved_by"))

	def test_capa_check_records_its_verifier_from_the_session(self):
		capa = frappe.get_doc(
			{
				"doctype": "CAPA",
				"title": "Glaze lead re-test",
				"capa_type": "Corrective",
				"responsible": QM_USER,
				"problem_statement": "Lead results drift after the ICP-MS service",
				"actions": [
					{
						"action": "Recalibrate ICP-MS",
						"action_owner": HANDLER_USER,
						"due_date": add_days(now_datetime(), 10),
					}
				],
			}
		).insert()
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.PermissionError, "Verified By"):
			doc = reload(capa)
			doc.append("effectiveness_checks", {"result": "Effective", "verified_by": QM_2_USER})
			doc.save()
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.PermissionError, "Completed On"):
			doc = reload(capa)
			doc.actions[0].status = "Done"
			doc.actions[0].evidence = "Calibration certificate"
			doc.actions[0].completed_on = add_days(now_datetime(), -30)
			doc.save()


class TestNoSelfGrantedSight(ComplaintTestCase):
	def test_investigator_cannot_open_an_investigation(self):
		complaint = registered()
		with as_user(INVESTIGATOR_USER), self.assertRaises(frappe.PermissionError):
			investigation(complaint)
		self.assertFalse(frappe.db.exists("Complaint Investigation", {"complaint": complaint.name}))

	def test_investigator_cannot_repoint_their_investigation(self):
		mine, other = registered(), registered()
		inv = investigation(mine)
		with as_user(INVESTIGATOR_USER), self.assertRaisesRegex(frappe.PermissionError, "quality manager"):
			doc = reload(inv)
			doc.complaint = other.name
			doc.save()
		with as_user(INVESTIGATOR_USER):
			self.assertFalse(frappe.has_permission("Complaint", "read", other.name))
		# the quality manager reassigns the work, and the change is in the version history
		with as_user(QM_USER):
			doc = reload(inv)
			doc.investigator = HANDLER_2_USER
			doc.save()
		self.assertEqual(stored(inv, "investigator"), HANDLER_2_USER)


class TestRecusalWithMemory(ComplaintTestCase):
	def test_involved_person_cannot_remove_themselves(self):
		# registered: a state the handler may edit, so the refusal is about the involvement
		complaint = registered(involved_persons=[{"user": HANDLER_USER, "relation": "Subject of Complaint"}])
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.PermissionError, "Only a quality manager"):
			doc = reload(complaint)
			doc.involved_persons = []
			doc.save()
		self.assertEqual(frappe.db.count("Complaint Involved Person", {"parent": complaint.name}), 1)

	def test_quality_manager_removes_with_a_reason(self):
		complaint = make_complaint(
			involved_persons=[{"user": HANDLER_USER, "relation": "Conflict of Interest"}]
		)
		with as_user(QM_USER):
			doc = reload(complaint)
			doc.involved_persons = []
			with self.assertRaises(frappe.MandatoryError):
				doc.save()
			doc = reload(complaint)
			doc.involved_persons = []
			doc.involvement_change_reason = "Recorded against the wrong complaint"
			doc.save()
		self.assertEqual(frappe.db.count("Complaint Involved Person", {"parent": complaint.name}), 0)
		self.assertTrue(
			frappe.db.exists(
				"Comment", {"reference_name": complaint.name, "content": ("like", "%wrong complaint%")}
			)
		)

	def test_unassigning_oneself_does_not_clear_having_handled(self):
		complaint = registered()
		assign_to.add({"assign_to": [QM_USER], "doctype": "Complaint", "name": complaint.name})
		with as_user(QM_USER):
			assign_to.remove("Complaint", complaint.name, QM_USER)
		self.assertEqual(
			frappe.db.get_value(
				"ToDo", {"reference_name": complaint.name, "allocated_to": QM_USER}, "status"
			),
			"Cancelled",
		)
		complaint = move(complaint, Status.ACKNOWLEDGED, HANDLER_2_USER)
		complaint = move(complaint, Status.UNDER_INVESTIGATION, HANDLER_2_USER)
		with as_user(HANDLER_2_USER):
			doc = reload(complaint)
			doc.validity, doc.resolution = "Accepted", "Credited"
			doc.save()
		complaint = move(complaint, Status.PENDING_APPROVAL, HANDLER_2_USER)
		with self.assertRaisesRegex(frappe.PermissionError, "someone else must approve"):
			move(complaint, Status.RESPONDED, QM_USER)

	def test_assignments_are_not_deleted(self):
		complaint = registered()
		assign_to.add({"assign_to": [HANDLER_USER], "doctype": "Complaint", "name": complaint.name})
		todo = frappe.get_doc("ToDo", {"reference_name": complaint.name, "allocated_to": HANDLER_USER})
		todo.db_set("owner", HANDLER_USER)  # as if they had assigned themselves
		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("ToDo", todo.name)
		self.assertTrue(frappe.db.exists("ToDo", todo.name))


class TestHostileInput(ComplaintTestCase):
	def refused(self, exc, **values):
		marker = frappe.generate_hash(length=10)
		with as_user(INTAKE_USER), self.assertRaises(exc) as caught:
			make_complaint(subject=values.pop("subject", f"Hostile {marker}"), **values)
		self.assertFalse(frappe.db.exists("Complaint", {"subject": ("like", f"%{marker}%")}))
		return str(caught.exception)

	def test_very_long_values_are_refused_before_any_work(self):
		started = time.perf_counter()
		message = self.refused(frappe.CharacterLengthExceededError, subject="x" * 40_000)
		elapsed = time.perf_counter() - started
		print(f"40,000-character subject refused in {elapsed:.3f} s")
		self.assertIn("Subject", message)
		self.assertLess(elapsed, 2)
		self.refused(frappe.CharacterLengthExceededError, complainant_email="a" * 40_000 + "@example.com")

	def test_wrong_shapes_name_the_field(self):
		self.assertIn("Received On", self.refused(frappe.ValidationError, received_on="next tuesday-ish"))
		self.assertIn("Channel", self.refused(frappe.ValidationError, channel={"$gt": ""}))
		self.assertIn("Channel", self.refused(frappe.ValidationError, channel="Carrier Pigeon"))
		self.assertIn("Involves Safety", self.refused(frappe.ValidationError, involves_safety="maybe"))

	def test_bad_extension_row_is_a_validation_error(self):
		complaint = registered()
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.ValidationError, "Doomsday"):
			doc = reload(complaint)
			doc.append(
				"deadline_extensions",
				{"clock": "Doomsday", "extend_to": add_days(now_datetime(), 9), "reason": "x"},
			)
			doc.save()


class TestTimelineAndParties(ComplaintTestCase):
	def email_on(self, complaint):
		return frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Received",
				"sender": "li.wei@example.org",
				"subject": f"Re: {complaint.name}",
				"content": "Li Wei here, call me on +86 21 5555 0101",
				"reference_doctype": "Complaint",
				"reference_name": complaint.name,
			}
		).insert(ignore_permissions=True)

	def docinfo(self, name):
		frappe.response.docs, frappe.response.docinfo = [], None
		getdoc("Complaint", name)
		return frappe.response.docinfo

	def test_restricted_readers_get_the_timeline_without_emails(self):
		complaint = registered()
		investigation(complaint)
		email = self.email_on(complaint)
		with as_user(HANDLER_USER):
			self.assertIn(email.name, [c.name for c in self.docinfo(complaint.name).communications])
		with as_user(INVESTIGATOR_USER):
			self.assertEqual(self.docinfo(complaint.name).communications, [])
			self.assertFalse(frappe.has_permission("Communication", "read", email.name))
			self.assertEqual(frappe.get_list("Communication", filters={"name": email.name}), [])
			self.assertTrue(self.docinfo(complaint.name).versions is not None)

	def test_handler_reads_complainants_not_appellants(self):
		complainant = frappe.get_doc({"doctype": "Complainant", "party_name": "Li Wei"}).insert()
		appellant = frappe.get_doc({"doctype": "Appellant", "party_name": "Zhao Lei"}).insert()
		with as_user(HANDLER_USER):
			self.assertEqual(
				frappe.get_list("Complainant", filters={"name": complainant.name}, pluck="name"),
				[complainant.name],
			)
			self.assertFalse(frappe.has_permission("Appellant", "read", appellant.name))
			self.assertFalse(parties.may_read("Complaint Appeal"))
			self.assertTrue(parties.may_read("Complaint"))
			# a join on the appeal's link cannot reach the appellant either
			with self.assertRaises(frappe.PermissionError):
				frappe.get_list("Complaint Appeal", fields=["appellant.email"])
		with as_user(PANEL_USER):
			self.assertFalse(parties.may_read("Complaint Appeal"))
			self.assertFalse(frappe.has_permission("Appellant", "read"))

	def test_counts_respect_permissions(self):
		from complaint_handling.security.access import get_count

		complaint = registered()
		email = self.email_on(complaint)
		with as_user(AUDITOR_USER), self.assertRaises(frappe.PermissionError):
			get_count("Complainant", [["email", "like", "%"]])
		with as_user(INVESTIGATOR_USER):  # investigates nothing here
			self.assertEqual(get_count("Complaint", [["name", "=", complaint.name]]), 0)
			self.assertEqual(get_count("Communication", [["name", "=", email.name]]), 0)
		with as_user(HANDLER_USER):
			self.assertEqual(get_count("Complaint", [["name", "=", complaint.name]]), 1)

	def test_patch_moves_contacts_and_redacts_history(self):
		from complaint_handling.patches.v0_5.move_parties import MOVED, execute

		complaint = make_complaint()
		frappe.db.set_value(
			"Complaint",
			complaint.name,
			{"complainant": None, "complainant_email": "old@example.org", "complainant_phone": "+86 10 1234"},
		)
		version = frappe.get_doc(
			{
				"doctype": "Version",
				"ref_doctype": "Complaint",
				"docname": complaint.name,
				"data": json.dumps(
					{"changed": [["complainant_email", None, "old@example.org"], ["subject", "a", "b"]]}
				),
			}
		).insert(ignore_permissions=True)
		execute()
		party = frappe.db.get_value("Complaint", complaint.name, "complainant")
		self.assertEqual(
			frappe.db.get_value("Complainant", party, ["email", "phone"]),
			("old@example.org", "+86 10 1234"),
		)
		self.assertFalse(frappe.db.get_value("Complaint", complaint.name, "complainant_email"))
		changed = json.loads(frappe.db.get_value("Version", version.name, "data"))["changed"]
		self.assertEqual(changed, [["complainant_email", None, MOVED], ["subject", "a", "b"]])
