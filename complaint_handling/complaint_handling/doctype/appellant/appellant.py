# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_handling.security import boundary, parties


class Appellant(Document):
	def before_validate(self):
		boundary.guard(self)

	def validate(self):
		parties.validate_party(self)
