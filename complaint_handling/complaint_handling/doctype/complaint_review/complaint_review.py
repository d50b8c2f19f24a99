# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""A management review of complaints (ISO 9001 §9.3): one company, one period, and the PDF pack the
quality manager generates for it (``review/pack.py``)."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.naming import append_number_if_name_exists
from frappe.utils import getdate

from complaint_handling.review import period
from complaint_handling.rules.stamped_fields import same
from complaint_handling.security import boundary

# written only by the pack job (review/pack.py), shown read-only on the form
STAMPED = (
	"status",
	"pack",
	"generated_on",
	"generated_by",
	"error",
	"complaints_received",
	"major_complaints",
	"substantiated_complaints",
	"open_capas",
	"effective_checks",
	"ineffective_checks",
	"appeals",
	"appeals_overturned",
	"satisfied_share",
)


class ComplaintReview(Document):
	def before_insert(self):
		boundary.guard(self)  # the name is made from the dates: check their shape before that

	def autoname(self):
		self.set_period()
		abbr = frappe.db.get_value("Company", self.company, "abbr") or self.company
		base = f"CR-{abbr}-{period.key(self.period_type, getdate(self.from_date), getdate(self.to_date))}"
		self.name = append_number_if_name_exists(self.doctype, base)

	def before_validate(self):
		boundary.guard(self)
		refuse_stamped(self)

	def validate(self):
		self.set_period()
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("To Date cannot be before From Date."), title=_("Invalid Period"))

	def set_period(self):
		if not self.from_date:
			return
		self.from_date, self.to_date = period.bounds(
			self.period_type, getdate(self.from_date), getdate(self.to_date) if self.to_date else None
		)

	def before_print(self, settings=None):
		# the pack's sections, read as whoever prints (the job keeps what it collected)
		if getattr(self, "pack_data", None) is None:
			from complaint_handling.review.sections import collect

			self.pack_data = collect(self)


def refuse_stamped(doc) -> None:
	"""What the pack job stamps cannot come from a client: a form, REST or set_value."""
	if doc.flags.pack_job:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	for field in STAMPED:
		old = before.get(field) if before else doc.meta.get_field(field).default
		if not same(old, doc.get(field)):
			frappe.throw(
				_("{0} is set by the app when the pack is generated; it cannot be written directly.").format(
					frappe.bold(_(doc.meta.get_label(field)))
				),
				frappe.PermissionError,
				title=_("Not Permitted"),
			)
