"""Working hours from receipt to each step of a complaint, stored on it when the step is recorded.

The register (台账) and the trends of the management review (domain.md "Records and analysis",
issue 14) report them for every complaint of a year; stored, they are read and aggregated in SQL
instead of walking the calendar for each complaint at every run. They are counted as the deadlines
are: on the company calendar (Complaint Settings' working hours, the company's Holiday List, the
system time zone) from Received On, and kept as counted when the step was recorded, so a later
change to the Holiday List does not rewrite what the register said.

A step not reached has no stamp: the stamp, not the hours (0 for a complaint acknowledged before
the working day began), says whether it was reached.
"""

from frappe.utils import flt, get_datetime

from complaint_handling.rules.working_time import WorkingCalendar, WorkingClock
from complaint_handling.service_levels.calendar import get_calendar

# (stored hours, the stamp they run to from Received On)
STEPS = (
	("working_hours_to_acknowledge", "acknowledged_on"),
	("working_hours_to_respond", "responded_on"),
	("working_hours_to_close", "closed_on"),
)
# a change to any of these counts the hours again
COUNTED_FROM = ("received_on", "company")


def record(doc) -> None:
	"""Complaint.validate, after the stamps are set: count the working hours to each step whose
	stamp, Received On or company changed (0 while the step has no stamp)."""
	recount = doc.is_new() or any(doc.has_value_changed(f) for f in COUNTED_FROM)
	for field, stamp in STEPS:
		if not doc.get(stamp) or not doc.received_on:
			doc.set(field, 0)
		elif recount or doc.has_value_changed(stamp):
			doc.set(field, hours_between(get_calendar(doc.company), doc.received_on, doc.get(stamp)))


def hours_between(calendar: WorkingCalendar | WorkingClock, start, end) -> float:
	"""Working hours (one decimal) from ``start`` to ``end`` (datetimes or their strings, system time
	zone, naive) on ``calendar`` (a ``WorkingClock`` for many complaints at once gives the same
	answer): 0 if ``end`` is not later."""
	return flt(calendar.between(get_datetime(start), get_datetime(end)).total_seconds() / 3600, 1)
