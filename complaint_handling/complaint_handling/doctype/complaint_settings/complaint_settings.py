# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from complaint_handling.naming import InvalidPattern, NamingPattern


class ComplaintSettings(Document):
	def validate(self):
		try:
			NamingPattern(self.naming_pattern)
		except InvalidPattern as e:
			frappe.throw(
				_("Numbering pattern {0} is not valid: {1}. Example: TS-{{severity}}-{{YY}}-{{###}}").format(
					frappe.bold(self.naming_pattern), _(e.message).format(*e.values)
				),
				title=_("Invalid Numbering Pattern"),
			)
