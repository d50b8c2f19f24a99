"""Rows Frappe keeps beside a case, over HTTP as the people who would misuse them: the rows of a
case's child tables (``access.child_query``), its assignments (``recusal.guard_assignment_record``),
files that name a private attachment, follows, timeline lines (``security/side_rows.py``) and the
list sidebar's assignment counts (``access.get_group_by_count``). Each refusal is checked against a
control: the role that may do it does.
"""

import frappe
import requests
from frappe.core.doctype.communication.email import make as make_communication
from frappe.desk.form.assign_to import add as assign
from frappe.tests.utils import FrappeTestCase

from complaint_handling.intake.recusal import handlers
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import SYSTEM_MANAGER_USER


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


class TestChildRows(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx = h.fixtures()
		frappe.set_user("Administrator")
		cls.mine, cls.theirs = f"feedback on mine {fx.run}", f"feedback on theirs {fx.run}"
		for name, feedback in ((fx.docs["Complaint"], cls.mine), (fx.other_complaint, cls.theirs)):
			frappe.get_doc(
				{
					"doctype": "Complaint Reply Round",
					"parent": name,
					"parenttype": "Complaint",
					"parentfield": "reply_rounds",
					"round": 9,
					"customer_feedback": feedback,
				}
			).db_insert()
		frappe.db.commit()

	def feedback(self, persona: str) -> set[str]:
		r = h.client(persona).call(
			"frappe.client.get_list",
			doctype="Complaint Reply Round",
			parent="Complaint",
			fields=["parent", "customer_feedback"],
			limit_page_length=0,
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		return {row["customer_feedback"] for row in h.data_of(r)}

	def test_a_scoped_reader_lists_the_rows_of_the_cases_they_work_on_only(self):
		for persona, sees_theirs in (("investigator", True), ("panel", True), ("investigator-nocase", False)):
			feedback = self.feedback(persona)
			self.assertEqual(self.mine in feedback, sees_theirs, persona)
			self.assertNotIn(self.theirs, feedback, persona)

	def test_a_reader_of_every_case_lists_every_row(self):
		self.assertLessEqual({self.mine, self.theirs}, self.feedback("auditor"))


class TestAssignmentRecord(FrappeTestCase):
	def todos(self, complaint: str, user: str) -> int:
		return frappe.db.count(
			"ToDo", {"reference_type": "Complaint", "reference_name": complaint, "allocated_to": user}
		)

	def test_nobody_who_may_not_edit_a_complaint_records_someone_as_its_handler(self):
		fx = h.fixtures()
		complaint, qm = fx.docs["Complaint"], fx.user("qm")
		before = self.todos(complaint, qm)
		planted = {
			"doctype": "ToDo",
			"allocated_to": qm,
			"assigned_by": fx.user("action-owner"),
			"reference_type": "Complaint",
			"reference_name": complaint,
			"status": "Cancelled",
			"description": "planted",
		}
		r = h.client("action-owner").call("frappe.client.insert", doc=planted)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		r = h.client("auditor").call(
			"frappe.desk.form.assign_to.add", assign_to=[qm], doctype="Complaint", name=complaint
		)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		self.assertIn("Only someone who may edit", " ".join(h.server_messages(r)) + h.body(r))
		frappe.db.rollback()
		self.assertEqual(self.todos(complaint, qm), before)

	def test_an_assignment_is_kept_as_made_but_its_assignee_closes_it(self):
		fx = h.fixtures()
		complaint, approver = fx.new_complaint("assignment record", status="Registered"), fx.user("approver")
		frappe.db.commit()
		r = h.client("handler").call(
			"frappe.desk.form.assign_to.add", assign_to=[approver], doctype="Complaint", name=complaint
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		todo = frappe.db.get_value(
			"ToDo", {"reference_type": "Complaint", "reference_name": complaint, "allocated_to": approver}
		)
		c = h.client("approver")
		for change in (
			{"reference_type": "ToDo", "reference_name": todo},
			{"reference_name": fx.other_complaint},
			{"allocated_to": fx.user("handler")},
		):
			r = c.call("frappe.client.set_value", doctype="ToDo", name=todo, fieldname=change)
			self.assertEqual(r.status_code, 403, f"{change}: {h.body(r)[:300]}")
		frappe.db.rollback()
		self.assertIn(approver, handlers("Complaint", complaint))
		r = c.call("frappe.client.set_value", doctype="ToDo", name=todo, fieldname="status", value="Closed")
		self.assertEqual(r.status_code, 200, h.body(r)[:300])

	def test_an_ended_complaints_assignments_stay_as_they_ended(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		complaint = fx.new_complaint("ended assignment", status="Registered")
		assign(
			{
				"assign_to": [fx.user("handler")],
				"doctype": "Complaint",
				"name": complaint,
				"description": "x",
			},
			ignore_permissions=True,
		)
		todo = frappe.db.get_value("ToDo", {"reference_type": "Complaint", "reference_name": complaint})
		frappe.db.set_value("ToDo", todo, "status", "Closed")
		fx.set_status(complaint, "Closed")
		frappe.db.commit()
		for persona in ("handler", "intake"):
			r = h.client(persona).call(
				"frappe.client.set_value", doctype="ToDo", name=todo, fieldname="status", value="Cancelled"
			)
			self.assertEqual(r.status_code, 403, f"{persona}: {h.body(r)[:300]}")
		# nor does it take a new one, which the register would name as its handler
		r = h.client("handler").call(
			"frappe.desk.form.assign_to.add", assign_to=[fx.user("gm")], doctype="Complaint", name=complaint
		)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("ToDo", todo, "status"), "Closed")


class TestFiles(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx = h.fixtures()
		frappe.set_user("Administrator")
		cls.secret = f"confidential letter {fx.run}"
		cls.url = (
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"letter-{fx.run}.txt",
					"attached_to_doctype": "Complaint",
					"attached_to_name": fx.docs["Complaint"],
					"is_private": 1,
					"content": cls.secret,
				}
			)
			.insert(ignore_permissions=True)
			.file_url
		)
		frappe.db.commit()

	def test_naming_a_private_attachment_does_not_open_it(self):
		for persona in ("action-owner", "investigator-nocase", "sales", "website"):
			c = h.client(persona)
			for r in (
				c.call(
					"frappe.client.insert", doc={"doctype": "File", "file_url": self.url, "is_private": 1}
				),
				c.request("POST", "/api/method/upload_file", data={"file_url": self.url, "is_private": 1}),
			):
				self.assertEqual(r.status_code, 403, f"{persona}: {h.body(r)[:300]}")
			r = c.get(self.url)
			self.assertNotIn(self.secret, r.text, persona)
		# nor does naming it as a public file publish it, even for a reader of the complaint
		for persona in ("auditor", "intake"):
			r = h.client(persona).call(
				"frappe.client.insert", doc={"doctype": "File", "file_url": self.url, "is_private": 0}
			)
			self.assertEqual(r.status_code, 403, f"{persona}: {h.body(r)[:300]}")
		public = self.url.replace("/private/files/", "/files/")
		self.assertNotIn(self.secret, requests.get(f"{h.server().base}{public}", timeout=h.TIMEOUT).text)
		# a reader of the complaint may link it (Frappe's "attach from the library")
		r = h.client("intake").call(
			"frappe.client.insert", doc={"doctype": "File", "file_url": self.url, "is_private": 1}
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])

	def test_an_attachment_of_a_complaint_stays_private(self):
		name = frappe.db.get_value("File", {"file_url": self.url, "attached_to_doctype": "Complaint"})
		r = h.client("handler").call(
			"frappe.client.set_value", doctype="File", name=name, fieldname="is_private", value=0
		)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("File", name, ["is_private", "file_url"]), (1, self.url))

	def test_only_who_may_edit_a_complaint_attaches_to_it(self):
		complaint = h.fixtures().docs["Complaint"]
		before = frappe.db.count("File", {"attached_to_doctype": "Complaint", "attached_to_name": complaint})
		for persona in ("investigator-nocase", "auditor", "action-owner"):
			c = h.client(persona)
			for r in (
				c.call(
					"frappe.client.insert",
					doc={
						"doctype": "File",
						"file_name": "note.txt",
						"content": "planted",
						"attached_to_doctype": "Complaint",
						"attached_to_name": complaint,
					},
				),
				c.request(
					"POST",
					"/api/method/upload_file",
					data={"doctype": "Complaint", "docname": complaint, "is_private": 1},
					files={"file": ("note.txt", b"planted", "text/plain")},
				),
			):
				self.assertEqual(r.status_code, 403, f"{persona}: {h.body(r)[:300]}")
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.count("File", {"attached_to_doctype": "Complaint", "attached_to_name": complaint}),
			before,
		)
		r = h.client("handler").request(
			"POST",
			"/api/method/upload_file",
			data={"doctype": "Complaint", "docname": complaint, "is_private": 1},
			files={"file": ("evidence.txt", b"from the handler", "text/plain")},
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])


class TestFollow(FrappeTestCase):
	def test_only_a_reader_follows_a_complaint(self):
		fx = h.fixtures()
		complaint = fx.docs["Complaint"]
		for persona, allowed in (("action-owner", False), ("investigator-nocase", False), ("handler", True)):
			user = fx.user(persona)
			frappe.db.set_value("User", user, "document_follow_notify", 1)
			frappe.db.commit()
			try:
				r = h.client(persona).call(
					"frappe.desk.form.document_follow.follow_document",
					doctype="Complaint",
					doc_name=complaint,
					user=user,
				)
			finally:
				frappe.db.set_value("User", user, "document_follow_notify", 0)
				frappe.db.commit()
			self.assertEqual(r.status_code, 200 if allowed else 403, f"{persona}: {h.body(r)[:300]}")
			frappe.db.rollback()
			followed = frappe.db.exists(
				"Document Follow", {"ref_doctype": "Complaint", "ref_docname": complaint, "user": user}
			)
			self.assertEqual(bool(followed), allowed, persona)


class TestAssignedToCounts(FrappeTestCase):
	"""The list sidebar's "Assigned To" counts (``access.get_group_by_count``) count only the
	records the reader may read: Frappe 15 selects them without a permission check, so a filter on
	any field was an oracle on it."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		fx = h.fixtures()
		frappe.set_user("Administrator")
		cls.complaint = fx.new_complaint("assigned counts", status="Registered")
		cls.assignee = fx.user("approver")
		assign(
			{"assign_to": [cls.assignee], "doctype": "Complaint", "name": cls.complaint, "description": "x"},
			ignore_permissions=True,
		)
		cls.complainant = frappe.db.get_value("Complaint", cls.complaint, "complainant")
		frappe.db.commit()

	def counts(self, persona: str, doctype: str, filters: list) -> requests.Response:
		return h.client(persona).call(
			"frappe.desk.listview.get_group_by_count",
			doctype=doctype,
			current_filters=filters,
			field="assigned_to",
		)

	def test_a_reader_of_other_cases_counts_nothing_of_them(self):
		# the complainant's record id, matched by its first letters: what the oracle began with
		filters = [
			["Complaint", "name", "=", self.complaint],
			["Complaint", "complainant", "like", f"{self.complainant[:3]}%"],
		]
		for persona in ("investigator", "panel"):
			r = self.counts(persona, "Complaint", filters)
			self.assertEqual(r.status_code, 200, h.body(r)[:300])
			self.assertEqual(h.payload(r)["message"], [], persona)
		for persona in ("investigator", "website", "action-owner"):
			r = self.counts(persona, "Complainant", [["Complainant", "name", "=", self.complainant]])
			self.assertEqual(r.status_code, 403, f"{persona}: {h.body(r)[:300]}")

	def test_control_a_reader_of_the_case_sees_who_is_assigned(self):
		r = self.counts("handler", "Complaint", [["Complaint", "name", "=", self.complaint]])
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertEqual(h.payload(r)["message"], [{"name": self.assignee, "count": 1}])


class TestTimelineLines(FrappeTestCase):
	"""The lines Frappe and the app write in a case's timeline are its trail
	(``side_rows.keep_recorded_comments``): their owner does not rewrite them, nobody deletes them;
	a person's own remark stays theirs to edit."""

	def line(self, comment_type: str, content: str) -> str:
		fx = h.fixtures()
		frappe.set_user(fx.user("handler"))
		try:
			return (
				frappe.get_doc(
					{
						"doctype": "Comment",
						"comment_type": comment_type,
						"reference_doctype": "Complaint",
						"reference_name": fx.docs["Complaint"],
						"content": content,
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		finally:
			frappe.set_user("Administrator")
			frappe.db.commit()

	def test_the_owner_rewrites_no_workflow_line_and_nobody_deletes_one(self):
		name = self.line("Workflow", "Acknowledged")
		r = h.client("handler").call(
			"frappe.desk.form.utils.update_comment", name=name, content="Acknowledged on 16 Nov"
		)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		admin = h.Client("system manager", SYSTEM_MANAGER_USER)
		r = admin.call("frappe.client.delete", doctype="Comment", name=name)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		self.assertEqual(frappe.db.get_value("Comment", name, "content"), "Acknowledged")

	def test_control_the_owner_edits_their_remark(self):
		name = self.line("Comment", "Called the customer.")
		r = h.client("handler").call(
			"frappe.desk.form.utils.update_comment", name=name, content="Called the customer twice."
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		self.assertEqual(frappe.db.get_value("Comment", name, "content"), "Called the customer twice.")

	def test_a_system_manager_neither_turns_a_line_into_a_remark_nor_forges_one(self):
		name = self.line("Workflow", "Under Investigation")
		admin = h.Client("system manager", SYSTEM_MANAGER_USER)
		r = admin.put("Comment", name, {"comment_type": "Comment", "content": "Under Investigation (edited)"})
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		self.assertEqual(frappe.db.get_value("Comment", name, "comment_type"), "Workflow")
		forged = {
			"comment_type": "Workflow",
			"reference_doctype": "Complaint",
			"reference_name": h.fixtures().docs["Complaint"],
			"content": "Approved",
			"comment_email": h.fixtures().user("qm"),
		}
		r = admin.post("Comment", forged)
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		r = h.client("handler").call(
			"frappe.desk.form.utils.add_comment",
			reference_doctype="Complaint",
			reference_name=h.fixtures().docs["Complaint"],
			content="Called the customer back.",
			comment_email=h.fixtures().user("handler"),
			comment_by="HTTP handler",
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])


class TestRowsThroughTheirRecord(FrappeTestCase):
	"""A row of the app's child tables changes only through its record
	(``side_rows.rows_through_their_record``): saved or deleted on its own through the REST API or
	frappe.client, it would pass none of the record's checks."""

	def test_rows_are_not_saved_or_deleted_on_their_own(self):
		fx = h.fixtures()
		frappe.set_user("Administrator")
		name = fx.new_complaint("rows on their own", status="Acknowledged")
		frappe.db.commit()
		row = frappe.db.get_value(
			"Complaint Reply Round", {"parent": name}, ["name", "approved_by"], as_dict=True
		)
		c = h.client("qm")
		for label, send in (
			("PUT", lambda: c.put("Complaint Reply Round", row.name, {"approved_by": fx.user("handler")})),
			(
				"frappe.client.save",
				lambda: c.call(
					"frappe.client.save",
					doc={
						**frappe.get_doc("Complaint Reply Round", row.name).as_dict(
							convert_dates_to_str=True
						),
						"approved_by": fx.user("handler"),
					},
				),
			),
			("DELETE", lambda: c.request("DELETE", f"/api/resource/Complaint Reply Round/{row.name}")),
			(
				"frappe.client.delete",
				lambda: c.call("frappe.client.delete", doctype="Complaint Reply Round", name=row.name),
			),
		):
			r = send()
			self.assertEqual(r.status_code, 403, f"{label}: {h.body(r)[:300]}")
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Complaint Reply Round", row.name, "approved_by"), row.approved_by
		)

	def test_control_a_row_changes_through_its_record(self):
		fx = h.fixtures()
		name = fx.new_complaint("row through record", status="Acknowledged")
		frappe.db.commit()
		r = h.client("qm").put(
			"Complaint",
			name,
			{"involved_persons": [{"user": fx.user("gm"), "relation": "Conflict of Interest"}]},
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])


class TestOverriddenMethodsByTheirOwnPath(FrappeTestCase):
	"""Frappe whitelists a function, not its path: a module that imports an overridden method
	reaches the original under its own name (``access.refuse_aliases``)."""

	def test_an_import_of_an_overridden_method_is_refused(self):
		fx = h.fixtures()
		c = h.client("investigator")
		for alias, args in (
			(
				"frappe.tests.test_assign.get_group_by_count",
				{"doctype": "Complaint", "field": "assigned_to", "current_filters": []},
			),
			("frappe.tests.test_form_load.getdoc", {"doctype": "Complaint", "name": fx.docs["Complaint"]}),
		):
			for path in (alias, f"{alias}/x"):  # Frappe drops what follows the method's segment
				r = c.get(f"/api/method/{path}", args)
				self.assertEqual(r.status_code, 403, f"{path}: {h.body(r)[:300]}")
		r = c.get(
			"/api/method/frappe.desk.form.load.getdoc", {"doctype": "Complaint", "name": fx.docs["Complaint"]}
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])


class TestCaseEmails(FrappeTestCase):
	"""A case's emails are its record: nobody but who may write both records moves one
	(``timeline.relink``, Frappe 15 asks nobody), and their sender does not delete them
	(``timeline.keep_case_emails``)."""

	def email_of(self, complaint: str, sender: str) -> str:
		frappe.set_user(sender)
		try:
			return make_communication(
				doctype="Complaint",
				name=complaint,
				subject="About your complaint",
				content="We are looking into it.",
				recipients=["case-emails@example.org"],
				send_email=False,
			)["name"]
		finally:
			frappe.set_user("Administrator")
			frappe.db.commit()

	def test_nobody_moves_or_deletes_a_case_email_they_may_not(self):
		fx = h.fixtures()
		complaint, other = fx.new_complaint("emails", status="Registered"), fx.new_complaint("emails 2")
		frappe.db.commit()
		email = self.email_of(complaint, fx.user("intake"))
		for persona in ("panel", "website", "investigator"):
			r = h.client(persona).call(
				"frappe.email.relink", name=email, reference_doctype="Complaint", reference_name=other
			)
			self.assertIn(r.status_code, (403, 404), f"{persona}: {h.body(r)[:300]}")
		r = h.client("intake").request("DELETE", f"/api/resource/Communication/{email}")
		self.assertEqual(r.status_code, 403, h.body(r)[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Communication", email, "reference_name"), complaint)

	def test_control_who_may_write_both_complaints_relinks(self):
		fx = h.fixtures()
		complaint, other = fx.new_complaint("relink", status="Registered"), fx.new_complaint("relink 2")
		frappe.db.commit()
		email = self.email_of(complaint, fx.user("intake"))
		r = h.client("qm").call(
			"frappe.email.relink", name=email, reference_doctype="Complaint", reference_name=other
		)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Communication", email, "reference_name"), other)
