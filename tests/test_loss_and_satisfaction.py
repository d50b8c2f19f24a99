"""Loss amounts and satisfaction figures (issue 14, parts 4 and 7): the pure rules, no site."""

import unittest

from complaint_handling.rules import loss, satisfaction


class TestDocumentAmount(unittest.TestCase):
	def test_credit_note_counts_its_grand_total_in_company_currency_as_a_positive_amount(self):
		values = {"is_return": 1, "base_grand_total": -1180.5}
		self.assertEqual(loss.document_amount(loss.SALES_INVOICE, values), 1180.5)

	def test_material_issue_counts_what_left_stock(self):
		values = {
			"purpose": "Material Issue",
			"total_outgoing_value": 250.0,
			"total_incoming_value": 0,
			"value_difference": -250.0,
		}
		self.assertEqual(loss.document_amount(loss.STOCK_ENTRY, values), 250.0)

	def test_other_stock_entries_count_the_value_they_added_and_a_transfer_nothing(self):
		repack = {"purpose": "Repack", "total_outgoing_value": 100, "value_difference": 35.0}
		transfer = {"purpose": "Material Transfer", "total_outgoing_value": 100, "value_difference": 0}
		self.assertEqual(loss.document_amount(loss.STOCK_ENTRY, repack), 35.0)
		self.assertEqual(loss.document_amount(loss.STOCK_ENTRY, transfer), 0.0)

	def test_journal_and_payment_entries(self):
		self.assertEqual(loss.document_amount(loss.JOURNAL_ENTRY, {"total_debit": 500}), 500.0)
		self.assertEqual(loss.document_amount(loss.PAYMENT_ENTRY, {"base_paid_amount": 75.25}), 75.25)

	def test_other_doctypes_carry_no_loss(self):
		with self.assertRaises(ValueError):
			loss.document_amount("Sales Order", {})


class TestRefusal(unittest.TestCase):
	def values(self, **overrides):
		return {"company": "ACME", "docstatus": 1, "is_return": 1, **overrides}

	def test_a_submitted_credit_note_of_the_company_is_accepted(self):
		self.assertIsNone(loss.refusal(loss.SALES_INVOICE, self.values(), "ACME"))

	def test_refusals(self):
		cases = {
			"doctype": ("Sales Order", self.values()),
			"missing": (loss.JOURNAL_ENTRY, None),
			"draft": (loss.JOURNAL_ENTRY, self.values(docstatus=0)),
			"cancelled": (loss.JOURNAL_ENTRY, self.values(docstatus=2)),
			"company": (loss.STOCK_ENTRY, self.values(company="Other")),
			"not_return": (loss.SALES_INVOICE, self.values(is_return=0)),
		}
		for reason, (doctype, values) in cases.items():
			with self.subTest(reason):
				self.assertEqual(loss.refusal(doctype, values, "ACME"), reason)


class TestLossAmount(unittest.TestCase):
	def test_documents_win_over_what_was_typed(self):
		self.assertEqual(loss.loss_amount(999, [100.5, 20.25]), 120.75)

	def test_without_documents_the_typed_amount_stays(self):
		self.assertEqual(loss.loss_amount(999, []), 999.0)
		self.assertEqual(loss.loss_amount(None, []), 0.0)

	def test_loss_types_are_the_issue_s_remedies(self):
		self.assertEqual(loss.LOSS_TYPES, ("Refund", "Replacement", "Compensation", "Rework", "Other"))


class TestSatisfactionSummary(unittest.TestCase):
	def test_counts_shares_and_total(self):
		result = satisfaction.summarise(
			{"Satisfied": 3, "Partly Satisfied": 1, "Not Satisfied": 0},
			{"Satisfied": 1, "Not Satisfied": 3, "Bogus": 7},
		)
		self.assertEqual(result["closure"]["answered"], 4)
		self.assertEqual(result["closure"]["satisfied_share"], 75.0)
		self.assertEqual(result["closure"]["satisfied_or_partly_share"], 100.0)
		self.assertEqual(
			result["survey"]["counts"], {"Satisfied": 1, "Partly Satisfied": 0, "Not Satisfied": 3}
		)
		self.assertEqual(
			result["total"]["counts"], {"Satisfied": 4, "Partly Satisfied": 1, "Not Satisfied": 3}
		)
		self.assertEqual(result["total"]["satisfied_share"], 50.0)
		self.assertEqual(result["total"]["satisfied_or_partly_share"], 62.5)

	def test_no_answers_is_no_share_not_zero_per_cent(self):
		result = satisfaction.summarise({}, {})
		self.assertEqual(result["total"]["answered"], 0)
		self.assertIsNone(result["total"]["satisfied_share"])

	def test_share_rounds_to_one_decimal(self):
		self.assertEqual(satisfaction.share(1, 3), 33.3)
		self.assertEqual(satisfaction.share(2, 3), 66.7)

	def test_is_answer(self):
		self.assertTrue(satisfaction.is_answer("Partly Satisfied"))
		self.assertFalse(satisfaction.is_answer("satisfied"))
		self.assertFalse(satisfaction.is_answer(["Satisfied"]))


class TestQuarters(unittest.TestCase):
	def test_the_quarter_just_ended(self):
		self.assertEqual(satisfaction.previous_quarter(2026, 4), ((2026, 1, 1), (2026, 3, 31)))
		self.assertEqual(satisfaction.previous_quarter(2026, 1), ((2025, 10, 1), (2025, 12, 31)))
		self.assertEqual(satisfaction.previous_quarter(2026, 8), ((2026, 4, 1), (2026, 6, 30)))
		self.assertEqual(satisfaction.quarter_of(2024, 2), ((2024, 1, 1), (2024, 3, 31)))


if __name__ == "__main__":
	unittest.main()
