"""Loss amount (issue 14, part 4) on a real site: read from submitted ERPNext documents."""

import frappe
from frappe.utils import flt

from complaint_handling.rules.complaint import Status
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	GM_USER,
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

# bench run-tests builds test records for linked DocTypes; Stock Entry's links reach Payment
# Gateway, which only the payments app defines. These tests make their own documents.
test_ignore = ["Stock Entry", "Sales Invoice", "Journal Entry", "Payment Entry"]

ITEM = "_Test Complaint Loss Item"
CUSTOMER = "_Test Complaint Loss Customer"
OTHER_COMPANY = "_Test Complaint Other Company"


def ensure_masters() -> None:
	"""An item, a customer and a second company, made once and committed."""
	if not frappe.db.exists("Item", ITEM):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": ITEM,
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 1,
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Customer", CUSTOMER):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": CUSTOMER,
				"customer_group": "All Customer Groups",
				"territory": "All Territories",
			}
		).insert(ignore_permissions=True)
	if not frappe.db.exists("Company", OTHER_COMPANY):
		currency = frappe.get_cached_value("Company", default_company(), "default_currency")
		country = frappe.get_cached_value("Company", default_company(), "country")
		frappe.get_doc(
			{
				"doctype": "Company",
				"company_name": OTHER_COMPANY,
				"abbr": "TCLOC",
				"default_currency": currency,
				"country": country,
				"create_chart_of_accounts_based_on": "Standard Template",
				"chart_of_accounts": "Standard",
			}
		).insert(ignore_permissions=True)
	frappe.db.commit()


def stores(company: str) -> str:
	return frappe.db.get_value("Warehouse", {"company": company, "is_group": 0, "warehouse_name": "Stores"})


def stock_entry(purpose: str, company: str, qty: float, rate: float, submit: bool = True):
	row = {"item_code": ITEM, "qty": qty, "basic_rate": rate}
	row["t_warehouse" if purpose == "Material Receipt" else "s_warehouse"] = stores(company)
	entry = frappe.get_doc(
		{"doctype": "Stock Entry", "stock_entry_type": purpose, "company": company, "items": [row]}
	).insert()
	if submit:
		entry.submit()
	return entry


def credit_note(amount: float, submit: bool = True):
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"customer": CUSTOMER,
			"company": default_company(),
			"is_return": 1,
			"items": [{"item_code": ITEM, "qty": -1, "rate": amount}],
		}
	)
	invoice.set_missing_values()
	invoice.insert()
	if submit:
		invoice.submit()
	return invoice


def loss_row(doc) -> dict:
	return {"document_type": doc.doctype, "document_name": doc.name}


class TestLossAmount(ComplaintTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_masters()

	def test_the_loss_is_the_sum_of_the_documents_read_not_retyped(self):
		stock_entry("Material Receipt", default_company(), 10, 5)
		issue = stock_entry("Material Issue", default_company(), 4, 5)  # a replacement: 4 x 5
		note = credit_note(118.5)  # the refund
		complaint = make_complaint(loss_type="Refund", loss_amount=1)
		self.assertEqual(complaint.loss_amount, 1)  # typed by hand: no document yet
		self.assertEqual(
			complaint.currency, frappe.get_cached_value("Company", complaint.company, "default_currency")
		)

		complaint = reload(complaint)
		complaint.append("loss_documents", loss_row(note))
		complaint.append("loss_documents", loss_row(issue))
		complaint.loss_amount = 99999  # a typed figure gives way to the documents
		complaint.save()
		complaint = reload(complaint)
		expected_note = abs(flt(frappe.db.get_value("Sales Invoice", note.name, "base_grand_total")))
		expected_issue = flt(frappe.db.get_value("Stock Entry", issue.name, "total_outgoing_value"))
		self.assertEqual(expected_issue, 20)
		self.assertEqual([row.amount for row in complaint.loss_documents], [expected_note, expected_issue])
		self.assertEqual(complaint.loss_amount, expected_note + expected_issue)
		self.assertEqual(str(complaint.loss_documents[0].posting_date), str(note.posting_date))

		# a client cannot type a row's amount: it is read from the document
		complaint.loss_documents[0].amount = 1
		with self.assertRaises(frappe.PermissionError):
			complaint.save()

	def test_a_document_cancelled_after_linking_no_longer_counts(self):
		stock_entry("Material Receipt", default_company(), 10, 5)
		issue = stock_entry("Material Issue", default_company(), 2, 5)
		complaint = make_complaint(loss_documents=[loss_row(issue)])
		self.assertEqual(complaint.loss_amount, 10)
		issue.reload()
		issue.cancel()
		complaint = reload(complaint)
		complaint.save()  # the app's own saves never fail on it
		self.assertEqual(reload(complaint).loss_amount, 0)

	def test_refusals_name_the_row_and_save_nothing(self):
		stock_entry("Material Receipt", default_company(), 10, 5)
		draft = stock_entry("Material Issue", default_company(), 1, 5, submit=False)
		cancelled = stock_entry("Material Issue", default_company(), 1, 5)
		cancelled.cancel()
		stock_entry("Material Receipt", OTHER_COMPANY, 3, 7)
		foreign = stock_entry("Material Issue", OTHER_COMPANY, 1, 7)
		invoice = credit_note(10)
		invoice_not_return = frappe.get_doc(
			{
				"doctype": "Sales Invoice",
				"customer": CUSTOMER,
				"company": default_company(),
				"items": [{"item_code": ITEM, "qty": 1, "rate": 10}],
			}
		)
		invoice_not_return.set_missing_values()
		invoice_not_return.insert()
		invoice_not_return.submit()
		complaint = make_complaint()

		cases = [
			(loss_row(draft), "is not submitted"),
			(loss_row(cancelled), "is cancelled"),
			(loss_row(foreign), "belongs to another company"),
			(loss_row(invoice_not_return), "is not a Credit Note"),
			({"document_type": "Company", "document_name": default_company()}, "can carry a loss"),
		]
		for row, words in cases:
			with self.subTest(words):
				doc = reload(complaint)
				doc.append("loss_documents", loss_row(invoice))
				doc.append("loss_documents", row)
				with self.assertRaises(frappe.ValidationError) as caught:
					doc.save()
				self.assertNotIsInstance(caught.exception, frappe.PermissionError)
				self.assertIn("row 2", str(caught.exception))
				self.assertIn(words, str(caught.exception))
				self.assertEqual(reload(complaint).loss_documents, [])

		doc = reload(complaint)
		doc.append("loss_documents", loss_row(invoice))
		doc.append("loss_documents", loss_row(invoice))
		with self.assertRaisesRegex(frappe.ValidationError, "linked twice"):
			doc.save()
		doc = reload(complaint)
		doc.loss_amount = -5
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be negative"):
			doc.save()

	def test_who_writes_follows_the_edit_rights_and_linking_needs_read_on_the_document(self):
		note = credit_note(40)
		complaint = respond(make_complaint())
		# a handler without an accounts role may not link a credit note they cannot open
		with as_user(HANDLER_USER):
			doc = reload(complaint)
			doc.append("loss_documents", loss_row(note))
			with self.assertRaisesRegex(frappe.PermissionError, "you may not read"):
				doc.save()
			doc = reload(complaint)
			doc.loss_type, doc.loss_amount = "Compensation", 250
			doc.save()
		self.assertEqual(reload(complaint).loss_amount, 250)

		complaint = move(complaint, Status.CLOSED, QM_USER)
		# a closed complaint still takes its loss, from whoever may edit it there (the quality manager)
		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			doc = reload(complaint)
			doc.loss_amount = 300
			doc.save()
		with as_user(QM_USER):
			doc = reload(complaint)
			doc.loss_amount = 300
			doc.save()
			doc = reload(complaint)
			doc.resolution = "Changed after closure"  # anything else stays closed
			with self.assertRaisesRegex(frappe.ValidationError, "reopen it"):
				doc.save()
		self.assertEqual(reload(complaint).loss_amount, 300)

		for user in (AUDITOR_USER, GM_USER):  # they read it
			with as_user(user):
				self.assertEqual(frappe.get_doc("Complaint", complaint.name).loss_amount, 300)
				with self.assertRaises(frappe.PermissionError):
					doc = frappe.get_doc("Complaint", complaint.name)
					doc.loss_amount = 1
					doc.save()
