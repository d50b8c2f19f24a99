import unittest
from datetime import date, datetime, time

from complaint_handling.rules.capa import (
	Action,
	Check,
	ComplaintFacts,
	capa_events,
	closure_problems,
	recurring_complaints,
	reopened_too_often,
	verification_problems,
)
from complaint_handling.rules.service_levels import EventKind
from complaint_handling.rules.working_time import WorkingCalendar

OFFICE = WorkingCalendar({d: [(time(9), time(17))] for d in range(5)})


def facts(name, day, category="Product Quality", item="TAB-10", customer="Renmin Pharmacy"):
	return ComplaintFacts(name, datetime(2026, 11, day, 10), category, item, customer)


class TestRecurrence(unittest.TestCase):
	def test_at_the_threshold_a_capa_is_proposed(self):
		new = facts("C3", 20)
		self.assertEqual(
			recurring_complaints(new, [facts("C1", 2)], threshold=2, window_days=90), ["C1", "C3"]
		)

	def test_below_the_threshold_nothing(self):
		new = facts("C3", 20)
		self.assertEqual(recurring_complaints(new, [facts("C1", 2)], threshold=3, window_days=90), [])
		self.assertEqual(recurring_complaints(new, [], threshold=2, window_days=90), [])

	def test_same_category_and_item_or_customer_within_the_window(self):
		new = facts("C9", 20)
		earlier = [
			facts("other-category", 19, category="Billing"),
			facts("too-old", 1, item="TAB-10"),
			facts("same-customer", 18, item="TAB-20"),
		]
		self.assertEqual(
			recurring_complaints(new, earlier, threshold=2, window_days=10), ["C9", "same-customer"]
		)
		self.assertEqual(
			recurring_complaints(new, earlier, threshold=3, window_days=30),
			["C9", "same-customer", "too-old"],
		)

	def test_reopened(self):
		self.assertFalse(reopened_too_often(1, 2))
		self.assertTrue(reopened_too_often(2, 2))
		self.assertFalse(reopened_too_often(5, 0))


def action(name="A1", status="Done", due=date(2026, 12, 4), done=date(2026, 12, 1), owner="owner@x"):
	return Action(name, 1, owner, due, status, done if status == "Done" else None)


class TestClosure(unittest.TestCase):
	def test_closure_needs_done_actions_and_an_effective_check_after_them(self):
		self.assertEqual(
			closure_problems([action(status="Open")], []),
			["no action done", "open actions", "no effectiveness check"],
		)
		self.assertEqual(
			closure_problems([action()], [Check(date(2026, 11, 30), "Effective")]),
			["check before the last action was done"],
		)
		self.assertEqual(
			closure_problems([action()], [Check(date(2026, 12, 2), "Ineffective")]),
			["last check not effective"],
		)
		self.assertEqual(closure_problems([action()], [Check(date(2026, 12, 2), "Effective")]), [])
		self.assertEqual(
			closure_problems([action(), action("A2", "Cancelled")], [Check(date(2026, 12, 2), "Effective")]),
			[],
		)

	def test_after_an_ineffective_check_new_actions_must_be_done(self):
		checks = [Check(date(2026, 12, 2), "Ineffective", recorded=datetime(2026, 12, 2, 10))]
		old = Action("A1", 1, "o", date(2026, 12, 4), "Done", date(2026, 12, 1), added=datetime(2026, 11, 20))
		self.assertEqual(verification_problems([old], checks), ["no action done since the ineffective check"])
		new = Action(
			"A2", 2, "o", date(2026, 12, 9), "Done", date(2026, 12, 2), added=datetime(2026, 12, 2, 11)
		)
		self.assertEqual(verification_problems([old, new], checks), [])
		pending = Action("A2", 2, "o", date(2026, 12, 9), "Open", added=datetime(2026, 12, 2, 11))
		self.assertEqual(
			verification_problems([old, pending], checks),
			["open actions", "no action done since the ineffective check"],
		)

	def test_a_later_effective_check_does_not_close_without_the_new_actions(self):
		old = Action("A1", 1, "o", date(2026, 12, 4), "Done", date(2026, 12, 1), added=datetime(2026, 11, 20))
		checks = [
			Check(date(2026, 12, 2), "Ineffective", recorded=datetime(2026, 12, 2, 10)),
			Check(date(2026, 12, 2), "Effective", recorded=datetime(2026, 12, 2, 12)),
		]
		self.assertEqual(closure_problems([old], checks), ["no action done since the ineffective check"])
		new = Action(
			"A2", 2, "o", date(2026, 12, 9), "Done", date(2026, 12, 2), added=datetime(2026, 12, 2, 11)
		)
		self.assertEqual(closure_problems([old, new], checks), [])


class TestCapaEvents(unittest.TestCase):
	def test_reminder_overdue_and_escalation_for_open_actions(self):
		events = sorted(capa_events(OFFICE, "CAPA-1", "Open", [action(status="Open")], None, 2, 8))
		self.assertEqual(
			[(e.kind, e.level, e.at) for e in events],
			[
				(EventKind.REMINDER, 0, datetime(2026, 12, 2, 17, 0)),
				(EventKind.BREACH, 0, datetime(2026, 12, 4, 23, 59, 59)),
				(EventKind.ESCALATION, 1, datetime(2026, 12, 4, 23, 59, 59)),
				(EventKind.ESCALATION, 2, datetime(2026, 12, 7, 17, 0)),
			],
		)
		self.assertEqual(capa_events(OFFICE, "CAPA-1", "Open", [action()], None, 2, 8), [])
		self.assertEqual(capa_events(OFFICE, "CAPA-1", "Draft", [action(status="Open")], None, 2, 8), [])

	def test_effectiveness_check_reminds_the_verifier(self):
		events = capa_events(OFFICE, "CAPA-1", "Pending Verification", [action()], date(2026, 12, 5), 2, 8)
		self.assertEqual(
			[(e.kind, e.at) for e in events], [(EventKind.REMINDER, datetime(2026, 12, 7, 9, 0))]
		)
