# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling.security import boundary


class ComplaintSeverity(Document):
	def before_validate(self):
		boundary.guard(self)

	def validate(self):
		# the code becomes part of complaint numbers such as TS-I-26-001
		if not re.fullmatch(r"[A-Za-z0-9]+", self.code or ""):
			frappe.throw(
				_(
					"Code {0} may contain only letters and digits: it becomes part of complaint numbers."
				).format(frappe.bold(self.code)),
				title=_("Invalid Code"),
			)
		if self.rank is not None and self.rank < 0:
			frappe.throw(_("Rank cannot be negative: 1 is the most severe."), title=_("Invalid Rank"))
