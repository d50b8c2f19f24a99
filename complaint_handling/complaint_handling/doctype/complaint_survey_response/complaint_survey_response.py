# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintSurveyResponse(Document):
	"""One complainant's answer to a satisfaction survey, written by the app only
	(``channels.survey``): no role creates or edits it, and it holds no contact."""
