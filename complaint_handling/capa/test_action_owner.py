"""The CAPA action owner's door (issue 12), as the owner: an ordinary employee with no complaint
role gets a ToDo, reads that one CAPA and nothing of its complaint, and marks their own action
done with evidence and a file; nobody else's action, and no other field of the CAPA."""

import frappe
from frappe.utils import add_days, getdate, today

from complaint_handling.capa.actions import complete_action
from complaint_handling.complaint_handling.doctype.capa.test_capa import make_capa
from complaint_handling.tests.utils import (
	ACTION_OWNER_USER,
	HANDLER_USER,
	QM_USER,
	SALES_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
	move,
	reload,
)


def todo_status(capa, user):
	return frappe.get_all(
		"ToDo", {"reference_type": "CAPA", "reference_name": capa.name, "allocated_to": user}, pluck="status"
	)


class TestActionOwner(ComplaintTestCase):
	def open_capa(self):
		complaint = make_complaint()
		capa = make_capa(
			actions=[
				{
					"action": "Recalibrate balance B-7",
					"action_owner": ACTION_OWNER_USER,
					"due_date": add_days(today(), 7),
				},
				{"action": "Update SOP-12", "action_owner": HANDLER_USER, "due_date": add_days(today(), 9)},
			],
			complaints=[{"complaint": complaint.name}],
		)
		self.assertEqual(todo_status(capa, ACTION_OWNER_USER), [], "no ToDo while the CAPA is a draft")
		return move(capa, "Open", QM_USER), complaint

	def test_owner_gets_a_todo_reads_the_capa_and_not_its_complaint(self):
		capa, complaint = self.open_capa()
		self.assertEqual(todo_status(capa, ACTION_OWNER_USER), ["Open"])
		# dated when the action is due, and following a later due date
		dated = {"reference_type": "CAPA", "reference_name": capa.name, "allocated_to": ACTION_OWNER_USER}
		self.assertEqual(frappe.db.get_value("ToDo", dated, "date"), getdate(add_days(today(), 7)))
		with as_user(QM_USER):
			capa = reload(capa)
			capa.actions[0].due_date = add_days(today(), 12)
			capa.save()
		self.assertEqual(frappe.db.get_value("ToDo", dated, "date"), getdate(add_days(today(), 12)))
		self.assertEqual(todo_status(capa, HANDLER_USER), ["Open"])
		self.assertTrue(frappe.has_permission("CAPA", "read", doc=capa.name, user=ACTION_OWNER_USER))
		self.assertFalse(frappe.has_permission("CAPA", "write", doc=capa.name, user=ACTION_OWNER_USER))
		self.assertFalse(
			frappe.has_permission("Complaint", "read", doc=complaint.name, user=ACTION_OWNER_USER)
		)
		self.assertFalse(frappe.has_permission("CAPA", "read", doc=capa.name, user=SALES_USER))
		with as_user(ACTION_OWNER_USER):
			self.assertEqual(frappe.get_list("CAPA", pluck="name"), [capa.name])
			shown = frappe.get_doc("CAPA", capa.name)
			shown.apply_fieldlevel_read_permissions()
		self.assertEqual(shown.complaints[0].complaint, complaint.name)
		self.assertFalse(
			shown.complaints[0].get("subject"), "the complaint's subject is not the owner's to read"
		)

	def test_owner_marks_their_action_done_with_evidence_and_a_file(self):
		capa, _complaint = self.open_capa()
		mine, theirs = capa.actions
		with as_user(ACTION_OWNER_USER):
			with self.assertRaisesRegex(frappe.MandatoryError, "completion evidence"):
				complete_action(capa.name, mine.name, "  ")
			with self.assertRaises(frappe.PermissionError):
				complete_action(capa.name, theirs.name, "Done it for them")
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "calibration.txt",
					"content": b"B-7 within 0.1 mg",
					"is_private": 1,
				}
			).insert()
			result = complete_action(capa.name, mine.name, "Calibration certificate CC-2291", file.file_url)
		self.assertEqual(result["status"], "Done")
		capa = reload(capa)
		self.assertEqual(capa.actions[0].status, "Done")
		self.assertEqual(capa.actions[0].evidence, "Calibration certificate CC-2291")
		self.assertEqual(capa.actions[0].evidence_attachment, file.file_url)
		self.assertEqual(frappe.db.get_value("File", file.name, "attached_to_name"), capa.name)
		self.assertEqual(capa.actions[1].status, "Open")
		self.assertEqual(todo_status(capa, ACTION_OWNER_USER), ["Closed"])
		with as_user(ACTION_OWNER_USER), self.assertRaisesRegex(frappe.ValidationError, "already Done"):
			complete_action(capa.name, mine.name, "Again")

	def test_someone_elses_upload_is_not_taken_as_evidence(self):
		capa, _complaint = self.open_capa()
		with as_user(HANDLER_USER):
			file = frappe.get_doc(
				{"doctype": "File", "file_name": "other.txt", "content": b"not yours", "is_private": 1}
			).insert()
		with (
			as_user(ACTION_OWNER_USER),
			self.assertRaisesRegex(frappe.ValidationError, "Upload the evidence"),
		):
			complete_action(capa.name, capa.actions[0].name, "Mine", file.file_url)
		self.assertEqual(reload(capa).actions[0].status, "Open", "nothing half-saved")

	def test_owner_taken_off_loses_the_todo_and_the_share(self):
		capa, _complaint = self.open_capa()
		with as_user(QM_USER):
			capa = reload(capa)
			capa.actions[0].action_owner = HANDLER_USER
			capa.save()
		self.assertEqual(todo_status(capa, ACTION_OWNER_USER), ["Cancelled"])
		self.assertFalse(frappe.has_permission("CAPA", "read", doc=capa.name, user=ACTION_OWNER_USER))

	def test_the_capa_ending_closes_every_todo(self):
		capa, _complaint = self.open_capa()
		move(capa, "Cancelled", QM_USER)
		self.assertEqual(todo_status(capa, ACTION_OWNER_USER), ["Closed"])
		self.assertEqual(todo_status(capa, HANDLER_USER), ["Closed"])
