# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe.client import get as client_get

from complaint_handling.investigation.quarantine import quarantine_batch
from complaint_handling.investigation.similar_cases import similar_complaints
from complaint_handling.rules.complaint import Validity
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	HANDLER_USER,
	INVESTIGATOR_2_USER,
	INVESTIGATOR_USER,
	QM_2_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	move,
	reload,
)

# bench run-tests builds test records for linked DocTypes; Stock Entry's links reach Payment
# Gateway, which only the payments app defines. The quarantine test makes its own stock.
test_ignore = ["Stock Entry"]


def make_investigation(complaint, investigator=INVESTIGATOR_USER, user=HANDLER_USER, **values):
	with as_user(user):
		return frappe.get_doc(
			{
				"doctype": "Complaint Investigation",
				"complaint": complaint.name,
				"investigator": investigator,
				**values,
			}
		).insert()


def conclude(investigation, user=INVESTIGATOR_USER, conclusion="Substantiated"):
	investigation = move(investigation, "In Progress", user)
	with as_user(user):
		investigation = reload(investigation)
		investigation.update(
			{
				"facts": "Retained sample re-tested: 0.61 mg/L, the reported value stands.",
				"root_cause_method": "5-Why",
				"root_cause": "Digestion step shortened on the night shift.",
				"responsibility": "Product Defect",
				"conclusion": conclusion,
				"conclusion_summary": "The glaze exceeds the lead limit; the report was right.",
			}
		)
		investigation.save()
	return move(investigation, "Pending Approval", user)


def todos(investigation):
	return dict(
		frappe.get_all(
			"ToDo",
			{"reference_type": "Complaint Investigation", "reference_name": investigation.name},
			["allocated_to", "status"],
			as_list=True,
		)
	)


class TestComplaintInvestigation(ComplaintTestCase):
	def test_the_investigator_gets_it_as_a_todo_that_follows_reassignment(self):
		complaint = make_complaint()
		investigation = make_investigation(complaint)
		self.assertEqual(todos(investigation), {INVESTIGATOR_USER: "Open"})
		# dated when the complaint must be resolved
		self.assertEqual(
			frappe.db.get_value(
				"ToDo", {"reference_name": investigation.name, "allocated_to": INVESTIGATOR_USER}, "date"
			),
			frappe.utils.getdate(complaint.resolve_by),
		)
		with as_user(QM_USER):
			investigation = reload(investigation)
			investigation.investigator = INVESTIGATOR_2_USER
			investigation.save()
		self.assertEqual(todos(investigation), {INVESTIGATOR_USER: "Cancelled", INVESTIGATOR_2_USER: "Open"})
		conclude(investigation, user=INVESTIGATOR_2_USER)
		self.assertEqual(todos(investigation)[INVESTIGATOR_2_USER], "Closed")

	def test_a_handler_drafts_the_investigation_they_open(self):
		investigation = make_investigation(make_complaint())
		with as_user(HANDLER_USER):
			investigation = reload(investigation)
			investigation.facts = "Customer sent photos of the broken seal."
			investigation.save()
		self.assertEqual(reload(investigation).facts, "Customer sent photos of the broken seal.")

	def test_only_someone_who_works_investigations_is_named_investigator(self):
		complaint = make_complaint()
		with self.assertRaisesRegex(frappe.ValidationError, "cannot investigate: choose someone"):
			make_investigation(complaint, investigator=AUDITOR_USER)
		self.assertEqual(todos(make_investigation(complaint, investigator=QM_2_USER)), {QM_2_USER: "Open"})

	def test_involved_person_cannot_investigate(self):
		complaint = make_complaint(
			involved_persons=[{"user": INVESTIGATOR_USER, "relation": "Subject of Complaint"}]
		)
		with self.assertRaisesRegex(frappe.PermissionError, "Subject of Complaint"):
			make_investigation(complaint)

	def test_approved_conclusion_becomes_the_complaint_validity(self):
		complaint = make_complaint()
		investigation = conclude(make_investigation(complaint))
		investigation = move(investigation, "Approved", QM_USER)
		self.assertEqual((investigation.status, investigation.approved_by), ("Approved", QM_USER))

		complaint = reload(complaint)
		self.assertEqual(complaint.validity, Validity.ACCEPTED)
		self.assertIn("the report was right", complaint.validity_reason)
		self.assertEqual(complaint.validity_decided_by, QM_USER)

	def test_not_substantiated_flows_back_too(self):
		complaint = make_complaint()
		investigation = conclude(make_investigation(complaint), conclusion="Not Substantiated")
		move(investigation, "Approved", QM_USER)
		self.assertEqual(reload(complaint).validity, Validity.NOT_SUBSTANTIATED)

	def test_nobody_approves_their_own_conclusion(self):
		investigation = conclude(
			make_investigation(make_complaint(), investigator=QM_USER, user=QM_USER), user=QM_USER
		)
		with self.assertRaisesRegex(frappe.PermissionError, "cannot approve"):
			move(investigation, "Approved", QM_USER)
		self.assertEqual(move(investigation, "Approved", QM_2_USER).approved_by, QM_2_USER)

	def test_conclusion_needs_its_content(self):
		investigation = move(make_investigation(make_complaint()), "In Progress", INVESTIGATOR_USER)
		with self.assertRaisesRegex(frappe.MandatoryError, "Conclusion"):
			move(investigation, "Pending Approval", INVESTIGATOR_USER)

	def test_authority_notification_needs_a_date(self):
		with self.assertRaises(frappe.MandatoryError):
			make_investigation(make_complaint(), notify_authority=1, authority="NMPA")

	def test_investigators_see_only_what_they_investigate_and_no_contacts(self):
		mine, other = make_complaint(), make_complaint()
		make_investigation(mine)
		with as_user(INVESTIGATOR_USER):
			visible = frappe.get_list(
				"Complaint", filters={"name": ("in", [mine.name, other.name])}, pluck="name"
			)
			self.assertEqual(visible, [mine.name])
			self.assertFalse(frappe.has_permission("Complaint", "read", other))
			self.assertFalse(client_get("Complaint", mine.name).get("complainant_email"))
			with self.assertRaises(frappe.PermissionError):
				client_get("Complaint", other.name)
		self.assertEqual(
			frappe.db.count("Complaint Investigation", {"complaint": ("in", [mine.name, other.name])}), 1
		)

	def test_similar_cases(self):
		earlier = make_complaint(item_code=self.item(), subject="Earlier tablets complaint")
		unrelated = make_complaint(complaint_category="Billing", subject="Invoice wrong")
		current = make_complaint(item_code=self.item())
		names = [c["name"] for c in similar_complaints(make_investigation(current).name)]
		self.assertIn(earlier.name, names)
		self.assertNotIn(unrelated.name, names)
		self.assertNotIn(current.name, names)

	def test_affected_batch_stock_is_shown_and_quarantined(self):
		item = self.item(batched=True)
		batch = frappe.get_doc({"doctype": "Batch", "batch_id": "CH-B2604-117", "item": item}).insert()
		stores = frappe.db.get_value(
			"Warehouse", {"company": default_company(), "is_group": 0, "warehouse_name": "Stores"}
		)
		receipt = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": default_company(),
				"items": [
					{
						"item_code": item,
						"qty": 12,
						"t_warehouse": stores,
						"basic_rate": 5,
						"batch_no": batch.name,
						"use_serial_batch_fields": 1,
					}
				],
			}
		).insert()
		receipt.submit()
		quarantine = frappe.get_doc(
			{"doctype": "Warehouse", "warehouse_name": "Complaint Quarantine", "company": default_company()}
		).insert()
		frappe.db.set_single_value("Complaint Settings", "quarantine_warehouse", quarantine.name)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")

		investigation = make_investigation(
			make_complaint(item_code=item), user=QM_USER, affected_batches=[{"batch_no": batch.name}]
		)
		self.assertEqual(investigation.affected_batches[0].stock_qty, 12)
		row = investigation.affected_batches[0].name
		with as_user(QM_USER), self.assertRaises(frappe.PermissionError):
			quarantine_batch(investigation.name, row)  # drafting stock entries needs a stock role
		with as_user(QM_2_USER):  # a quality manager who is also a stock user
			entry = frappe.get_doc("Stock Entry", quarantine_batch(investigation.name, row))
		self.assertEqual(entry.docstatus, 0)  # a draft for the storekeeper to check and submit
		self.assertEqual(
			[(item.batch_no, item.qty, item.s_warehouse, item.t_warehouse) for item in entry.items],
			[(batch.name, 12, stores, quarantine.name)],
		)
		self.assertEqual(reload(investigation).affected_batches[0].quarantine_entry, entry.name)

	def item(self, batched=False):
		code = "_Test Complaint Tablet" + (" Batched" if batched else "")
		if not frappe.db.exists("Item", code):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": code,
					"item_group": "All Item Groups",
					"stock_uom": "Nos",
					"is_stock_item": 1,
					"has_batch_no": int(batched),
				}
			).insert()
		return code
