import json
import unittest
from datetime import datetime
from pathlib import Path

from complaint_handling.rules.stamped_fields import (
	APP,
	GRANT,
	KEPT,
	ONCE,
	POLICY,
	forged_fields,
	unkept_fields,
)

DOCTYPES = Path(__file__).resolve().parent.parent / "complaint_handling" / "complaint_handling" / "doctype"


def meta(doctype: str) -> dict:
	folder = doctype.lower().replace(" ", "_")
	return json.loads((DOCTYPES / folder / f"{folder}.json").read_text())


class TestPolicy(unittest.TestCase):
	def test_every_declared_field_exists_and_app_fields_are_read_only(self):
		for doctype, fields in POLICY.items():
			by_name = {f["fieldname"]: f for f in meta(doctype)["fields"]}
			for field, kind in fields.items():
				with self.subTest(doctype=doctype, field=field):
					self.assertIn(field, by_name)
					if kind == APP:
						self.assertTrue(by_name[field].get("read_only"), "the form must show it read-only")


STORED = {"responded_on": None, "acknowledged_on": None, "investigator": "a@x", "status": "Registered"}


class TestForgedFields(unittest.TestCase):
	stored = STORED

	def test_app_field_written_by_a_client(self):
		after = {**self.stored, "responded_on": "2026-11-02 10:00:00"}
		self.assertEqual(forged_fields("Complaint", self.stored, after), [("responded_on", APP)])

	def test_unchanged_values_in_another_form_are_not_changes(self):
		stored = {**self.stored, "responded_on": "2026-11-02 10:00:00", "reopen_count": 0}
		after = {**stored, "reopen_count": None}
		self.assertEqual(forged_fields("Complaint", stored, after), [])

	def test_once_fields_fill_while_empty_then_stay(self):
		after = {**self.stored, "acknowledged_on": "2026-11-02 10:00:00"}
		self.assertEqual(forged_fields("Complaint", self.stored, after), [])
		later = {**after, "acknowledged_on": "2026-10-01 10:00:00"}
		self.assertEqual(forged_fields("Complaint", after, later), [("acknowledged_on", ONCE)])

	def test_derived_status_is_left_to_the_workflow(self):
		self.assertEqual(forged_fields("Complaint", self.stored, {**self.stored, "status": "Closed"}), [])

	def test_new_records_may_carry_only_defaults(self):
		new = {"status": "Requested", "decided_by": None}
		self.assertEqual(
			forged_fields("Complaint Deadline Extension", None, new, {"status": "Requested"}), []
		)
		forged = {"status": "Approved", "decided_by": "qm@x"}
		self.assertEqual(
			forged_fields("Complaint Deadline Extension", None, forged, {"status": "Requested"}),
			[("status", APP), ("decided_by", APP)],
		)

	def test_grant_fields_are_set_at_creation_then_guarded(self):
		self.assertEqual(forged_fields("Complaint Investigation", None, {"investigator": "me@x"}), [])
		stored = {"investigator": "a@x", "complaint": "TS-1", "approved_by": None, "approved_on": None}
		moved = {**stored, "complaint": "TS-2"}
		self.assertEqual(forged_fields("Complaint Investigation", stored, moved), [("complaint", GRANT)])

	def test_datetimes_compare_by_value(self):
		stored = {"responded_on": datetime(2026, 11, 2, 10, 0)}
		self.assertEqual(forged_fields("Complaint", stored, {"responded_on": "2026-11-02 10:00:00"}), [])


class TestKeptFields(unittest.TestCase):
	def test_every_kept_field_exists(self):
		for doctype, fields in KEPT.items():
			names = {f["fieldname"] for f in meta(doctype)["fields"]}
			for field in fields:
				with self.subTest(doctype=doctype, field=field):
					self.assertIn(field, names)

	def test_received_on_is_kept_from_registration(self):
		draft = {"status": "Draft", "received_on": "2026-11-02 09:00:00"}
		moved = {**draft, "received_on": "2026-11-30 14:20:00"}
		self.assertEqual(unkept_fields("Complaint", draft, moved), [])
		registered = {**draft, "status": "Registered"}
		self.assertEqual(
			unkept_fields("Complaint", registered, {**moved, "status": "Acknowledged"}), ["received_on"]
		)

	def test_the_approved_reply_is_kept_until_the_complaint_is_reopened(self):
		responded = {"status": "Responded", "resolution": "Refund.", "validity": "Accepted"}
		rewritten = {**responded, "resolution": "Nothing owed.", "validity": "Not Substantiated"}
		self.assertEqual(unkept_fields("Complaint", responded, rewritten), ["validity", "resolution"])
		self.assertEqual(
			unkept_fields("Complaint", responded, {**rewritten, "status": "Closed"}),
			["validity", "resolution"],
		)
		self.assertEqual(unkept_fields("Complaint", responded, {**rewritten, "status": "Reopened"}), [])
		pending = {**responded, "status": "Pending Approval"}
		self.assertEqual(unkept_fields("Complaint", pending, {**rewritten, "status": "Pending Approval"}), [])

	def test_decisions_of_investigations_and_appeals_are_kept(self):
		approved = {"status": "Approved", "conclusion": "Substantiated", "root_cause": "Seal"}
		self.assertEqual(
			unkept_fields(
				"Complaint Investigation", approved, {**approved, "conclusion": "Not Substantiated"}
			),
			["conclusion"],
		)
		decided = {"status": "Decided", "outcome": "Upheld"}
		self.assertEqual(
			unkept_fields("Complaint Appeal", decided, {**decided, "outcome": "Overturned"}), ["outcome"]
		)
		self.assertEqual(unkept_fields("Complaint Appeal", {**decided, "status": "Accepted"}, decided), [])
