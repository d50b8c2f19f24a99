# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

from frappe.model.document import Document

from complaint_handling.channels import survey
from complaint_handling.security import boundary


class ComplaintSatisfactionSurvey(Document):
	"""A periodic satisfaction survey of the complainants whose complaints closed in a period;
	*Send Survey* emails them (``channels.survey``)."""

	def before_validate(self):
		boundary.guard(self)

	def validate(self):
		survey.validate(self)

	def on_trash(self):
		survey.refuse_deleting_sent(self)
