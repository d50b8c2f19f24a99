import unittest
from datetime import date, datetime, time

from complaint_handling.rules.service_levels import (
	CLOCKS,
	ClockRule,
	EventKind,
	SlaStatus,
	clock_events,
	deadline,
	due_events,
	feedback_events,
	next_check,
	overall_status,
	status,
)
from complaint_handling.rules.working_time import HOURS, WORKING_DAYS, WORKING_HOURS, WorkingCalendar

OFFICE = WorkingCalendar({d: [(time(9), time(17))] for d in range(5)})
RESOLUTION = CLOCKS[2]


def at(text):
	return datetime.fromisoformat(text)


class TestDeadline(unittest.TestCase):
	def test_received_out_of_hours_starts_next_working_moment(self):
		# Saturday evening: 24 elapsed hours from Monday 09:00
		self.assertEqual(
			deadline(OFFICE, at("2026-11-21 20:00"), ClockRule(24, HOURS)), at("2026-11-24 09:00")
		)

	def test_pause_adds_the_paused_working_time(self):
		rule = ClockRule(16, WORKING_HOURS)  # Mon 09:00 -> Tue 17:00
		start = at("2026-11-23 09:00")
		self.assertEqual(deadline(OFFICE, start, rule), at("2026-11-24 17:00"))
		pause = (at("2026-11-23 15:00"), at("2026-11-24 11:00"))  # 4 working hours
		self.assertEqual(deadline(OFFICE, start, rule, [pause]), at("2026-11-25 13:00"))

	def test_open_pause_counts_until_now(self):
		rule = ClockRule(16, WORKING_HOURS)
		pause = (at("2026-11-23 15:00"), None)
		self.assertEqual(
			deadline(OFFICE, at("2026-11-23 09:00"), rule, [pause], now=at("2026-11-23 16:00")),
			at("2026-11-25 10:00"),
		)

	def test_pause_after_the_deadline_does_not_rescue_it(self):
		rule = ClockRule(1, WORKING_DAYS)
		pause = (at("2026-11-25 10:00"), at("2026-11-26 10:00"))
		self.assertEqual(deadline(OFFICE, at("2026-11-23 09:00"), rule, [pause]), at("2026-11-24 09:00"))

	def test_extension_replaces_the_computed_deadline(self):
		rule = ClockRule(5, WORKING_DAYS)
		self.assertEqual(
			deadline(OFFICE, at("2026-11-23 09:00"), rule, extended_to=at("2026-12-04 17:00")),
			at("2026-12-04 17:00"),
		)


class TestStatus(unittest.TestCase):
	due, reminder = at("2026-11-24 17:00"), at("2026-11-24 09:00")

	def test_statuses(self):
		self.assertEqual(status(self.due, self.reminder, None, at("2026-11-23 10:00")), SlaStatus.ON_TRACK)
		self.assertEqual(status(self.due, self.reminder, None, at("2026-11-24 09:00")), SlaStatus.DUE_SOON)
		self.assertEqual(status(self.due, self.reminder, None, at("2026-11-24 17:00")), SlaStatus.BREACHED)
		self.assertEqual(
			status(self.due, self.reminder, at("2026-11-24 16:59"), at("2026-11-30")), SlaStatus.MET
		)
		self.assertEqual(
			status(self.due, self.reminder, at("2026-11-24 17:01"), at("2026-11-30")), SlaStatus.BREACHED
		)
		self.assertEqual(status(self.due, None, None, at("2026-11-24 16:00")), SlaStatus.ON_TRACK)


class TestEvents(unittest.TestCase):
	def test_reminder_breach_and_escalations(self):
		events = clock_events(
			OFFICE,
			"TS-I-26-001",
			RESOLUTION,
			at("2026-11-24 17:00"),
			ClockRule(5, WORKING_DAYS, 1),
			[0, 4, 8],
		)
		self.assertEqual(
			[(e.kind, e.level, e.at) for e in sorted(events)],
			[
				(EventKind.REMINDER, 0, at("2026-11-23 17:00")),
				(EventKind.BREACH, 0, at("2026-11-24 17:00")),
				(EventKind.ESCALATION, 1, at("2026-11-24 17:00")),
				(EventKind.ESCALATION, 2, at("2026-11-25 13:00")),
				(EventKind.ESCALATION, 3, at("2026-11-25 17:00")),
			],
		)
		self.assertEqual(len({e.key for e in events}), 5)
		self.assertTrue(all(e.key.startswith("TS-I-26-001:resolution:20261124170000:") for e in events))

	def test_a_new_deadline_arms_new_events(self):
		rule = ClockRule(5, WORKING_DAYS, 1)
		first = {e.key for e in clock_events(OFFICE, "C", RESOLUTION, at("2026-11-24 17:00"), rule, [])}
		extended = {e.key for e in clock_events(OFFICE, "C", RESOLUTION, at("2026-11-27 17:00"), rule, [])}
		self.assertFalse(first & extended)

	def test_due_and_next(self):
		events = clock_events(
			OFFICE, "C", RESOLUTION, at("2026-11-24 17:00"), ClockRule(5, WORKING_DAYS, 1), [0]
		)
		now = at("2026-11-24 10:00")
		due = due_events(events, set(), now)
		self.assertEqual([e.kind for e in due], [EventKind.REMINDER])
		self.assertEqual(next_check(events, {due[0].key}), at("2026-11-24 17:00"))
		self.assertEqual(due_events(events, {due[0].key}, now), [])
		self.assertIsNone(next_check(events, {e.key for e in events}))

	def test_feedback_reminder_then_close(self):
		events = feedback_events(OFFICE, "C", at("2026-11-02 10:00"), 25, 10)
		self.assertEqual(
			[(e.kind, e.at) for e in events],
			[
				(EventKind.FEEDBACK_REMINDER, at("2026-12-07 10:00")),
				(EventKind.AUTO_CLOSE, at("2026-12-21 10:00")),
			],
		)


class TestPolicyMatch(unittest.TestCase):
	def test_most_specific_policy_wins(self):
		from complaint_handling.rules.service_levels import match_policy

		policies = [
			{"name": "all", "complaint_category": None, "severity": None},
			{"name": "class I", "complaint_category": None, "severity": "I"},
			{"name": "billing", "complaint_category": "Billing", "severity": None},
			{"name": "billing I", "complaint_category": "Billing", "severity": "I"},
		]
		pick = lambda category, severity: match_policy(policies, category, severity)["name"]  # noqa: E731
		self.assertEqual(pick("Billing", "I"), "billing I")
		self.assertEqual(pick("Billing", "II"), "billing")
		self.assertEqual(pick("Product Quality", "I"), "class I")
		self.assertEqual(pick("Product Quality", "III"), "all")
		self.assertIsNone(match_policy(policies[1:2], "Billing", "II"))


POLICY = {
	"acknowledge_within": 24,
	"acknowledge_unit": HOURS,
	"acknowledge_remind_before": 0,
	"respond_within": 48,
	"respond_unit": HOURS,
	"respond_remind_before": 0,
	"resolve_within": 5,
	"resolve_unit": WORKING_DAYS,
	"resolve_remind_before": 0,
}


class TestBeyondTheCalendar(unittest.TestCase):
	"""Issue 10 §3: a deadline that runs past the end of the Holiday List is flagged."""

	def schedule_at(self, received, covered, met=None):
		from complaint_handling.rules.service_levels import ComplaintClocks, schedule

		calendar = WorkingCalendar({d: [(time(9), time(17))] for d in range(5)}, covered=covered)
		complaint = ComplaintClocks("TS-1", "Registered", received, met=met or {})
		return schedule(calendar, complaint, POLICY, [], {}, None, set(), received)

	def test_deadline_past_the_end_of_the_list(self):
		result = self.schedule_at(datetime(2026, 12, 30, 10), (date(2026, 1, 1), date(2026, 12, 31)))
		# 1 January 2027 is not known to be a holiday: counted as a working day, and flagged
		self.assertEqual(result.deadlines["resolution"], datetime(2027, 1, 6, 10))
		self.assertTrue(result.beyond_calendar)

	def test_inside_the_list_before_its_start_and_without_one(self):
		covered = (date(2026, 1, 1), date(2026, 12, 31))
		self.assertFalse(self.schedule_at(datetime(2026, 12, 1, 10), covered).beyond_calendar)
		self.assertTrue(self.schedule_at(datetime(2025, 12, 30, 10), covered).beyond_calendar)
		self.assertTrue(self.schedule_at(datetime(2026, 12, 1, 10), None).beyond_calendar)

	def test_met_clocks_do_not_count(self):
		covered = (date(2026, 1, 1), date(2026, 12, 31))
		received = datetime(2026, 12, 30, 10)
		met = {"acknowledgement": received, "response": received, "resolution": received}
		self.assertFalse(self.schedule_at(received, covered, met).beyond_calendar)


def test_overall_status_is_the_worst_running_clock():
	assert overall_status([SlaStatus.MET, SlaStatus.DUE_SOON, SlaStatus.ON_TRACK]) == SlaStatus.DUE_SOON
	assert overall_status([SlaStatus.MET, SlaStatus.BREACHED, SlaStatus.DUE_SOON]) == SlaStatus.BREACHED
	assert overall_status([SlaStatus.MET, None, SlaStatus.MET]) == SlaStatus.MET
	assert overall_status([None, None, None]) is None
