# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt
"""The permission matrix of README.md, enforced on the site."""

import frappe
from frappe.client import get as client_get

from complaint_handling.tests.utils import (
	AUDITOR_USER,
	GM_USER,
	HANDLER_USER,
	INTAKE_USER,
	INVESTIGATOR_USER,
	PANEL_USER,
	QM_USER,
	SALES_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
)

PTYPES = ("read", "write", "create", "delete")
MASTER = {
	QM_USER: "read write create delete",
	INTAKE_USER: "read",
	HANDLER_USER: "read",
	INVESTIGATOR_USER: "read",
	PANEL_USER: "read",
	AUDITOR_USER: "read",
	GM_USER: "read",
	SALES_USER: "",
}
# Keep in step with the table in README.md.
MATRIX = {
	"Complaint": {
		QM_USER: "read write create delete",
		INTAKE_USER: "read write create",
		HANDLER_USER: "read write",
		INVESTIGATOR_USER: "read",
		PANEL_USER: "read",
		AUDITOR_USER: "read",
		GM_USER: "read",
		SALES_USER: "",
	},
	"Complaint Category": MASTER,
	"Complaint Severity": MASTER,
	"Complaint SLA Policy": {
		QM_USER: "read write create delete",
		INTAKE_USER: "read",
		HANDLER_USER: "read",
		INVESTIGATOR_USER: "",
		PANEL_USER: "",
		AUDITOR_USER: "read",
		GM_USER: "",
		SALES_USER: "",
	},
	# the record of reminders and escalations: written only by the scheduler
	"Complaint SLA Event": {
		QM_USER: "read",
		INTAKE_USER: "",
		HANDLER_USER: "",
		INVESTIGATOR_USER: "",
		PANEL_USER: "",
		AUDITOR_USER: "read",
		GM_USER: "",
		SALES_USER: "",
	},
	# investigators: only their own investigations (row rule, tested in test_complaint_investigation)
	"Complaint Investigation": {
		QM_USER: "read write create delete",
		INTAKE_USER: "",
		HANDLER_USER: "read write create",  # drafts the investigation they open
		INVESTIGATOR_USER: "read write",  # never creates: that would grant sight of any complaint
		PANEL_USER: "",
		AUDITOR_USER: "read",
		GM_USER: "read",
		SALES_USER: "",
	},
	"CAPA": {
		QM_USER: "read write create delete",
		INTAKE_USER: "",
		HANDLER_USER: "read write create",
		INVESTIGATOR_USER: "read create",
		PANEL_USER: "",
		AUDITOR_USER: "read",
		GM_USER: "read",
		SALES_USER: "",
	},
	# panel members: only the appeals they sit on (row rule, tested in test_complaint_appeal)
	"Complaint Appeal": {
		QM_USER: "read write create delete",
		INTAKE_USER: "read write create",
		HANDLER_USER: "read",
		INVESTIGATOR_USER: "",
		PANEL_USER: "read write",
		AUDITOR_USER: "read",
		GM_USER: "read",
		SALES_USER: "",
	},
	"Complaint Settings": {
		QM_USER: "read write",
		INTAKE_USER: "",
		HANDLER_USER: "",
		INVESTIGATOR_USER: "",
		PANEL_USER: "",
		AUDITOR_USER: "",
		GM_USER: "",
		SALES_USER: "",
	},
}


def form_of(name: str) -> dict:
	"""The complaint as the desk form receives it (Frappe's getdoc, through the app's override)."""
	from complaint_handling.security.timeline import getdoc

	frappe.response.docs = []
	getdoc("Complaint", name)
	return frappe.response.docs[0].as_dict()


CONFIDENTIAL = ("complainant_name", "complainant_organisation", "complainant_email", "complainant_phone")
SEES_CONTACTS = (QM_USER, INTAKE_USER, HANDLER_USER, GM_USER)
# panel members read only the complaints of appeals they sit on: see test_complaint_appeal.py
NO_CONTACTS = (INVESTIGATOR_USER, AUDITOR_USER)


class TestPermissionMatrix(ComplaintTestCase):
	def test_matrix(self):
		for doctype, rows in MATRIX.items():
			for user, allowed in rows.items():
				for ptype in PTYPES:
					if ptype in ("create", "delete") and frappe.get_meta(doctype).issingle:
						continue
					with self.subTest(doctype=doctype, user=user, ptype=ptype):
						self.assertEqual(
							bool(frappe.has_permission(doctype, ptype, user=user)), ptype in allowed.split()
						)

	def test_complainant_contacts_are_confidential(self):
		complaint = make_complaint(complainant_phone="+86-21-5555-0101", complainant_organisation="Acme Labs")
		# the contacts live in the party; the complaint's own columns stay empty
		self.assertEqual(
			frappe.db.get_value("Complainant", complaint.complainant, "phone"), "+86-21-5555-0101"
		)
		self.assertEqual(
			frappe.db.get_value("Complaint", complaint.name, list(CONFIDENTIAL)), (None, None, None, None)
		)
		# investigators read only what they investigate
		frappe.get_doc(
			{
				"doctype": "Complaint Investigation",
				"complaint": complaint.name,
				"investigator": INVESTIGATOR_USER,
			}
		).insert()
		for user in SEES_CONTACTS:
			with self.subTest(user=user), as_user(user):
				self.assertEqual(
					client_get("Complainant", complaint.complainant)["phone"], "+86-21-5555-0101"
				)
				self.assertEqual(form_of(complaint.name)["complainant_phone"], "+86-21-5555-0101")
		for user in NO_CONTACTS:
			with self.subTest(user=user), as_user(user):
				self.assertEqual(form_of(complaint.name)["subject"], complaint.subject)
				self.assertFalse(any(form_of(complaint.name).get(field) for field in CONFIDENTIAL))
				with self.assertRaises(frappe.PermissionError):
					client_get("Complainant", complaint.complainant)
				rows = frappe.get_list(
					"Complaint", filters={"name": complaint.name}, fields=["name", *CONFIDENTIAL]
				)
				self.assertEqual(
					[{k: v for k, v in row.items() if v} for row in rows], [{"name": complaint.name}]
				)

	def test_row_scoped_roles_cannot_read_other_complaints(self):
		complaint = make_complaint()
		for user in (INVESTIGATOR_USER, PANEL_USER):
			with self.subTest(user=user), as_user(user), self.assertRaises(frappe.PermissionError):
				client_get("Complaint", complaint.name)

	def test_customer_readers_cannot_read_complaints(self):
		self.assertTrue(frappe.has_permission("Customer", "read", user=SALES_USER))
		complaint = make_complaint()
		with as_user(SALES_USER), self.assertRaises(frappe.PermissionError):
			client_get("Complaint", complaint.name)

	def test_only_workflow_roles_move_complaints(self):
		from complaint_handling.engine.workflow import transition_to

		complaint = make_complaint()
		with as_user(HANDLER_USER), self.assertRaises(frappe.ValidationError):
			transition_to(frappe.get_doc("Complaint", complaint.name), "Registered")
