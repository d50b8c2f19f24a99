# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, to_timedelta

from complaint_handling.rules.naming import InvalidPattern, NamingPattern
from complaint_handling.security import boundary


class ComplaintSettings(Document):
	def before_validate(self):
		boundary.guard(self)

	def validate(self):
		self.validate_naming_pattern()
		self.validate_working_hours()
		self.validate_feedback_days()

	def validate_naming_pattern(self):
		if not self.naming_pattern:
			return  # Frappe's mandatory check names the field
		try:
			NamingPattern(self.naming_pattern)
		except InvalidPattern as e:
			frappe.throw(
				_("Numbering pattern {0} is not valid: {1}. Example: TS-{{severity}}-{{YY}}-{{###}}").format(
					frappe.bold(self.naming_pattern), _(e.message).format(*e.values)
				),
				title=_("Invalid Numbering Pattern"),
			)

	def validate_working_hours(self):
		spans = defaultdict(list)
		for row in self.working_hours:
			start, end = to_timedelta(row.start_time), to_timedelta(row.end_time) or timedelta(days=1)
			if start >= end:
				frappe.throw(
					_("Working Hours row {0}: the hours on {1} end before they start.").format(
						row.idx, _(row.weekday)
					),
					title=_("Invalid Working Hours"),
				)
			spans[row.weekday].append((start, end, row.idx))
		for weekday, day_spans in spans.items():
			day_spans.sort()
			for (_start, end, idx), (start, _end, next_idx) in pairwise(day_spans):
				if start < end:
					frappe.throw(
						_("Working Hours rows {0} and {1} overlap on {2}.").format(idx, next_idx, _(weekday)),
						title=_("Invalid Working Hours"),
					)

	def validate_feedback_days(self):
		if self.auto_close and (cint(self.feedback_reminder_days) < 1 or cint(self.auto_close_days) < 1):
			frappe.throw(
				_(
					"Closing without feedback needs at least one working day before the reminder and before the closure."
				),
				title=_("Invalid Days"),
			)
