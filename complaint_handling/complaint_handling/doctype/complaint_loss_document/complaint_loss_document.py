# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

from frappe.model.document import Document


class ComplaintLossDocument(Document):
	pass
