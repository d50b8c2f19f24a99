# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe.utils import add_days, get_datetime, today

from complaint_handling.engine import reminders
from complaint_handling.rules.complaint import Status, Validity
from complaint_handling.tests.utils import (
	HANDLER_2_USER,
	HANDLER_USER,
	INTAKE_USER,
	QM_2_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	move,
	reload,
	respond,
)


def make_capa(actions=None, **values):
	with as_user(QM_USER):
		return frappe.get_doc(
			{
				"doctype": "CAPA",
				"title": "Lead results drift on the night shift",
				"capa_type": "Corrective",
				"company": default_company(),
				"responsible": QM_USER,
				"raised_on": today(),
				"problem_statement": "Three reports in a month gave lead results above the retained samples.",
				"actions": actions
				if actions is not None
				else [
					{
						"action": "Retrain the night shift on digestion",
						"action_owner": HANDLER_USER,
						"due_date": add_days(today(), 10),
					}
				],
				**values,
			}
		).insert()


def finish_actions(capa, user=HANDLER_USER):
	with as_user(user):
		capa = reload(capa)
		for row in capa.actions:
			if row.status == "Open":
				row.status, row.evidence = "Done", "Training record TR-17 signed by all six analysts"
		capa.save()
	return capa


def plan_verification(capa):
	with as_user(QM_USER):
		capa = reload(capa)
		capa.effectiveness_criterion = "No lead result outside ±5 % of the retained sample for three months"
		capa.effectiveness_check_date = add_days(today(), 90)
		capa.verifier = QM_2_USER
		capa.save()
	return capa


def check(capa, result, user=QM_2_USER, on=None):
	with as_user(user):
		capa = reload(capa)
		capa.append(
			"effectiveness_checks",
			{"checked_on": on or today(), "result": result, "notes": "Reviewed 40 results"},
		)
		capa.save()
	return capa


class TestCAPA(ComplaintTestCase):
	def test_closed_only_after_actions_and_an_effective_check(self):
		capa = move(make_capa(), "Open", QM_USER)
		with self.assertRaisesRegex(frappe.ValidationError, "every action must be done"):
			move(plan_verification(capa), "Pending Verification", HANDLER_USER)

		capa = move(finish_actions(capa), "Pending Verification", HANDLER_USER)
		with self.assertRaisesRegex(frappe.ValidationError, "record an effectiveness check"):
			move(capa, "Closed", QM_USER)
		capa = move(check(capa, "Effective"), "Closed", QM_USER)
		self.assertEqual(capa.status, "Closed")
		self.assertEqual(capa.effectiveness_checks[0].verified_by, QM_2_USER)
		with as_user(QM_USER), self.assertRaisesRegex(frappe.ValidationError, "can no longer change"):
			capa = reload(capa)
			capa.root_cause = "Rewritten afterwards"
			capa.save()

	def test_ineffective_reopens_with_new_actions(self):
		capa = move(
			finish_actions(plan_verification(move(make_capa(), "Open", QM_USER))),
			"Pending Verification",
			HANDLER_USER,
		)
		capa = check(capa, "Ineffective")
		with self.assertRaisesRegex(frappe.ValidationError, "must find the actions effective"):
			move(capa, "Closed", QM_USER)

		capa = move(capa, "Open", QM_USER)
		with self.assertRaisesRegex(frappe.ValidationError, "add new actions"):
			move(capa, "Pending Verification", HANDLER_USER)
		with as_user(QM_USER):
			capa = reload(capa)
			capa.append(
				"actions",
				{
					"action": "Add a second-person check of digestion times",
					"action_owner": HANDLER_2_USER,
					"due_date": add_days(today(), 20),
				},
			)
			capa.save()
		capa = move(finish_actions(capa, HANDLER_2_USER), "Pending Verification", HANDLER_USER)
		capa = move(check(capa, "Effective"), "Closed", QM_USER)
		self.assertEqual([c.result for c in capa.effectiveness_checks], ["Ineffective", "Effective"])

	def test_a_later_effective_check_does_not_skip_the_new_actions(self):
		capa = move(
			finish_actions(plan_verification(move(make_capa(), "Open", QM_USER))),
			"Pending Verification",
			HANDLER_USER,
		)
		capa = check(check(capa, "Ineffective"), "Effective")
		with self.assertRaisesRegex(frappe.ValidationError, "add new actions"):
			move(capa, "Closed", QM_USER)

	def test_raised_from_a_complaint_it_links_the_complaint(self):
		complaint = make_complaint()
		capa = make_capa(source_doctype="Complaint", source_name=complaint.name)
		self.assertEqual([row.complaint for row in capa.complaints], [complaint.name])

	def test_bad_input(self):
		with self.assertRaisesRegex(frappe.ValidationError, "before the CAPA was raised"):
			make_capa(
				actions=[
					{"action": "Backdated", "action_owner": HANDLER_USER, "due_date": add_days(today(), -3)}
				]
			)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot verify"):
			make_capa(verifier=HANDLER_USER)
		capa = make_capa()
		with as_user(HANDLER_USER), self.assertRaisesRegex(frappe.MandatoryError, "evidence"):
			capa = reload(capa)
			capa.actions[0].status = "Done"
			capa.save()
		with self.assertRaisesRegex(frappe.ValidationError, "cannot verify it"):
			check(move(make_capa(), "Open", QM_USER), "Effective", user=HANDLER_USER)
		with self.assertRaises(frappe.MandatoryError):
			move(make_capa(actions=[]), "Open", QM_USER)


class TestCAPAReminders(ComplaintTestCase):
	def test_action_due_dates_remind_once_then_escalate(self):
		def sweep(moment):
			with self.freeze_time(moment):
				reminders.sweep(get_datetime(moment), commit=False)

		def mails(user):
			queues = frappe.get_all(
				"Email Queue",
				filters={
					"reference_doctype": "CAPA",
					"reference_name": capa.name,
					"message": ("like", "%need your attention%"),
				},
				pluck="name",
			)
			return [
				q
				for q in queues
				if frappe.db.exists("Email Queue Recipient", {"parent": q, "recipient": user})
			]

		with self.freeze_time("2026-11-23 10:00:00"):
			capa = move(
				make_capa(
					raised_on="2026-11-23",
					actions=[{"action": "Retrain", "action_owner": HANDLER_USER, "due_date": "2026-12-04"}],
				),
				"Open",
				QM_USER,
			)
		sweep("2026-12-02 16:55:00")
		self.assertEqual(mails(HANDLER_USER), [])
		sweep("2026-12-02 17:05:00")  # two working days before the due date
		self.assertEqual(len(mails(HANDLER_USER)), 1)
		sweep("2026-12-02 17:15:00")
		self.assertEqual(len(mails(HANDLER_USER)), 1)
		sweep("2026-12-05 00:05:00")  # overdue: the owner and the responsible quality manager
		sweep("2026-12-07 17:05:00")  # 8 working hours later: every quality manager
		kinds = sorted(frappe.get_all("Complaint SLA Event", {"reference_name": capa.name}, pluck="event"))
		self.assertEqual(kinds, ["Breach", "Escalation", "Escalation", "Reminder"])
		self.assertEqual(len(mails(HANDLER_USER)), 2)  # the reminder, then overdue
		self.assertEqual(len(mails(QM_USER)), 2)  # responsible when overdue, then as a quality manager


class TestComplaintsAndCAPA(ComplaintTestCase):
	def register(self, **values):
		return move(make_complaint(item_code=self.item(), **values), Status.REGISTERED, INTAKE_USER)

	def item(self):
		if not frappe.db.exists("Item", "_Test Complaint Glaze"):
			frappe.get_doc(
				{
					"doctype": "Item",
					"item_code": "_Test Complaint Glaze",
					"item_group": "All Item Groups",
					"stock_uom": "Nos",
				}
			).insert()
		return "_Test Complaint Glaze"

	def proposals(self):
		return frappe.get_all("CAPA", filters={"proposal_reason": ("is", "set")}, pluck="name")

	def test_recurrence_at_the_threshold_proposes_one_capa(self):
		first = self.register()
		self.assertEqual(self.proposals(), [])
		second = self.register()
		[name] = self.proposals()
		capa = frappe.get_doc("CAPA", name)
		self.assertEqual(capa.status, "Draft")
		self.assertEqual(sorted(row.complaint for row in capa.complaints), sorted([first.name, second.name]))
		self.assertTrue(frappe.db.exists("Notification Log", {"document_name": name, "for_user": QM_USER}))

		third = self.register()  # joins the open proposal instead of starting another
		self.assertEqual(self.proposals(), [name])
		self.assertIn(third.name, [row.complaint for row in frappe.get_doc("CAPA", name).complaints])

	def test_below_the_threshold_nothing(self):
		frappe.db.set_single_value("Complaint Settings", "recurrence_threshold", 3)
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		self.register()
		self.register()
		self.assertEqual(self.proposals(), [])

	def test_reopened_twice_proposes_a_capa(self):
		complaint = respond(make_complaint())
		complaint = move(complaint, Status.CLOSED, QM_USER)
		complaint = move(complaint, Status.REOPENED, QM_USER)
		self.assertEqual(self.proposals(), [])
		with as_user(HANDLER_USER):
			complaint = reload(complaint)
			complaint.validity, complaint.validity_reason = Validity.NOT_SUBSTANTIATED, "Misuse"
			complaint.save()
		complaint = move(move(complaint, Status.UNDER_INVESTIGATION, HANDLER_USER), Status.REJECTED, QM_USER)
		complaint = move(complaint, Status.REOPENED, QM_USER)
		self.assertEqual(complaint.reopen_count, 2)
		self.assertEqual(len(self.proposals()), 1)

	def test_complaint_cannot_close_while_its_capa_is_open(self):
		complaint = respond(make_complaint())
		capa = make_capa(source_doctype="Complaint", source_name=complaint.name)
		with self.assertRaisesRegex(frappe.ValidationError, capa.name):
			move(complaint, Status.CLOSED, QM_USER)

		with as_user(HANDLER_USER), self.assertRaises(frappe.PermissionError):
			doc = reload(complaint)
			doc.open_capa_closure_reason = "Handler thinks it is fine"
			doc.save()
		with as_user(QM_USER):
			doc = reload(complaint)
			doc.open_capa_closure_reason = "Customer satisfied; CAPA tracks the lab-wide fix separately."
			doc.save()
		self.assertEqual(move(complaint, Status.CLOSED, QM_USER).status, Status.CLOSED)

	def test_closed_capa_does_not_block(self):
		complaint = respond(make_complaint())
		capa = move(make_capa(complaints=[{"complaint": complaint.name}]), "Open", QM_USER)
		capa = move(finish_actions(plan_verification(capa)), "Pending Verification", HANDLER_USER)
		move(check(capa, "Effective"), "Closed", QM_USER)
		self.assertEqual(move(complaint, Status.CLOSED, QM_USER).status, Status.CLOSED)


class TestReports(ComplaintTestCase):
	def test_investigation_and_capa_reports_render(self):
		complaint = make_complaint()
		investigation = frappe.get_doc(
			{
				"doctype": "Complaint Investigation",
				"complaint": complaint.name,
				"investigator": HANDLER_2_USER,
				"root_cause": "Digestion step shortened",
				"conclusion": "Substantiated",
				"conclusion_summary": "Lead above the limit",
			}
		).insert()
		html = frappe.get_print(
			"Complaint Investigation", investigation.name, print_format="Complaint Investigation Report"
		)
		self.assertIn("Digestion step shortened", html)
		self.assertIn(complaint.name, html)

		capa = make_capa(complaints=[{"complaint": complaint.name}])
		html = frappe.get_print("CAPA", capa.name, print_format="CAPA Report")
		self.assertIn("Retrain the night shift on digestion", html)
		self.assertIn(complaint.name, html)
