import unittest
from datetime import date

from complaint_handling.rules.complaint import (
	Status,
	Validity,
	approval_conflict,
	is_active_involvement,
	is_major,
	missing_for_status,
	restatement_missing,
)

CLASSIFIED = {"complaint_category": "Product Quality", "severity": "I"}


class TestMissingForStatus(unittest.TestCase):
	def test_draft_needs_nothing(self):
		self.assertEqual(missing_for_status(Status.DRAFT, {}), [])

	def test_registered_needs_category_and_severity(self):
		self.assertEqual(missing_for_status(Status.REGISTERED, {}), ["complaint_category", "severity"])
		self.assertEqual(missing_for_status(Status.REGISTERED, CLASSIFIED), [])

	def test_closed_needs_decision_and_resolution(self):
		self.assertEqual(missing_for_status(Status.CLOSED, CLASSIFIED), ["validity", "resolution"])
		decided = {**CLASSIFIED, "validity": Validity.ACCEPTED, "resolution": "Replaced the batch"}
		self.assertEqual(missing_for_status(Status.CLOSED, decided), [])
		self.assertEqual(missing_for_status(Status.CLOSED, {**decided, "resolution": "  "}), ["resolution"])

	def test_rejected_needs_negative_validity_with_reason(self):
		self.assertEqual(
			missing_for_status(Status.REJECTED, {**CLASSIFIED, "validity": Validity.ACCEPTED}),
			["validity", "validity_reason"],
		)
		rejected = {**CLASSIFIED, "validity": Validity.OUT_OF_SCOPE, "validity_reason": "Not our product"}
		self.assertEqual(missing_for_status(Status.REJECTED, rejected), [])

	def test_negative_validity_always_needs_a_reason(self):
		values = {**CLASSIFIED, "validity": Validity.NOT_SUBSTANTIATED}
		self.assertEqual(missing_for_status(Status.UNDER_INVESTIGATION, values), ["validity_reason"])


class TestIndependence(unittest.TestCase):
	def test_involvement_ends_after_its_date(self):
		today = date(2026, 3, 10)
		self.assertTrue(is_active_involvement(None, today))
		self.assertTrue(is_active_involvement(date(2026, 3, 10), today))
		self.assertFalse(is_active_involvement(date(2026, 3, 9), today))

	def test_approval_conflicts(self):
		self.assertEqual(approval_conflict("qm@x", ["h@x"], ["qm@x"]), "involved")
		self.assertEqual(approval_conflict("h@x", ["h@x"], []), "handler")
		self.assertIsNone(approval_conflict("qm@x", ["h@x"], ["s@x"]))


class TestMajor(unittest.TestCase):
	def test_any_criterion_is_major(self):
		none = dict(
			involves_safety=False, compensation_claimed=False, external_party_involved=False, other=False
		)
		self.assertFalse(is_major(**none))
		for criterion in none:
			with self.subTest(criterion=criterion):
				self.assertTrue(is_major(**{**none, criterion: True}))


class TestRestatement(unittest.TestCase):
	def test_only_oral_complaints_are_read_back(self):
		for channel in ("Phone", "Walk-in"):
			with self.subTest(channel=channel):
				self.assertTrue(restatement_missing(channel, None))
				self.assertTrue(restatement_missing(channel, "  \n "))
				self.assertFalse(restatement_missing(channel, "You said the seal was broken."))
		for channel in ("Email", "Web Form", "Portal", "Letter", None):
			with self.subTest(channel=channel):
				self.assertFalse(restatement_missing(channel, None))
