"""The working calendar of a company: working hours per weekday from Complaint Settings and
holidays from the company's ERPNext Holiday List (Company → Default Holiday List)."""

from collections import defaultdict
from datetime import datetime, time, timedelta

import frappe
from frappe import _
from frappe.utils import get_system_timezone, getdate

from complaint_handling.engine.messaging import warn
from complaint_handling.rules.working_time import CalendarError, WorkingCalendar

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FALLBACK_HOURS = {day: [(time(9), time(17))] for day in range(5)}

_calendars: dict[tuple, WorkingCalendar] = {}


def get_calendar(company: str | None) -> WorkingCalendar:
	"""Working hours from Complaint Settings, holidays from the company's Holiday List, and the
	system time zone.

	Both are read from the document cache and each distinct calendar is built once, so computing a
	deadline costs no query. The calendar knows the period the Holiday List covers; a deadline
	outside it is flagged on the complaint (see ``clocks.flag_calendar_gap``). Without a list the
	deadlines count weekdays only.
	"""
	settings = frappe.get_cached_doc("Complaint Settings")
	holiday_list = company and frappe.get_cached_value("Company", company, "default_holiday_list")
	holiday_doc = frappe.get_cached_doc("Holiday List", holiday_list) if holiday_list else None

	# the same cached documents give the same calendar: skip rebuilding the key for them
	seen = getattr(frappe.local, "complaint_calendars", None)
	if seen is None:
		seen = frappe.local.complaint_calendars = {}
	time_zone = get_system_timezone()
	if (
		(hit := seen.get((id(settings), id(holiday_doc), time_zone)))
		and hit[0] is settings
		and hit[1] is holiday_doc
	):
		return hit[2]
	# keyed by content, not by modified stamps: two versions saved in the same instant (frozen
	# time in tests, fast scripts) must not share a calendar
	hours = working_hours(settings) or FALLBACK_HOURS
	holidays = (
		frozenset(getdate(row.holiday_date) for row in holiday_doc.holidays) if holiday_doc else frozenset()
	)
	covered = (getdate(holiday_doc.from_date), getdate(holiday_doc.to_date)) if holiday_doc else None
	key = (tuple((day, tuple(spans)) for day, spans in sorted(hours.items())), holidays, time_zone, covered)
	if key not in _calendars:
		try:
			_calendars[key] = WorkingCalendar(hours, holidays, time_zone, covered)
		except CalendarError as e:
			warn(
				_(
					"Working hours in Complaint Settings are not usable ({0}); using Monday to Friday, 09:00 to 17:00."
				).format(e)
			)
			_calendars[key] = WorkingCalendar(FALLBACK_HOURS, holidays, time_zone, covered)
	seen[(id(settings), id(holiday_doc), time_zone)] = (settings, holiday_doc, _calendars[key])
	return _calendars[key]


def working_hours(settings) -> dict[int, list[tuple[time, time]]]:
	hours = defaultdict(list)
	for row in settings.working_hours:
		hours[WEEKDAYS.index(row.weekday)].append((_as_time(row.start_time), _as_time(row.end_time)))
	return dict(hours)


def _as_time(value) -> time:
	if isinstance(value, timedelta):
		return (datetime.min + value).time()
	if isinstance(value, str):
		return time.fromisoformat(value)
	return value
