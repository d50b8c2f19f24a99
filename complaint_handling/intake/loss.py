"""The complaint's loss amount, read from the ERPNext documents that carried it (issue 14, part 4).

*Loss Amount* (company currency, ``currency`` set from the company on save) is what the remedy cost;
*Loss Type* says what it paid for. Rows of *Documents That Carried the Loss* link submitted
Credit Notes (Sales Invoices with *Is Return*), Stock Entries, Journal Entries and Payment
Entries of the complaint's company; on every save each row's amount is read from its document
(``rules.loss.document_amount``) and the loss amount is their sum. Without rows the amount is
typed by hand. The row amounts are the app's (``rules.stamped_fields``): a client cannot type
them.

Whoever may edit the complaint in its workflow state may change these fields
(``security.edit_rights``); linking a document also needs read permission on it, so nobody learns
the total of a document they may not open. A Closed or Rejected complaint still takes its loss
and satisfaction (a credit note is often issued after the reply), from those who may edit in that
state (seeded: the quality manager); anything else stays closed until it is reopened.
"""

import frappe
from frappe import _
from frappe.utils import flt

from complaint_handling.engine.workflow import changed_labels
from complaint_handling.rules import loss as rules
from complaint_handling.security.stamped import is_app_stamping

# fields a decided complaint still takes (see the module docstring)
OUTCOME_FIELDS = (
	"currency",  # set from the company on the first save after 0.11
	"loss_type",
	"loss_amount",
	"loss_documents",
	"satisfaction",
	"satisfaction_comment",
	"satisfaction_recorded_on",
)


def changes_only_outcome(doc) -> bool:
	"""Whether this save of an existing ``doc`` changes its loss or satisfaction and nothing else."""
	before = doc.get_doc_before_save()
	if before is None or before.status != doc.status:
		return False
	changed = set(changed_labels(doc, before))
	outcome = {_(doc.meta.get_label(field)) for field in OUTCOME_FIELDS}
	return bool(changed) and changed <= outcome


def apply(doc) -> None:
	"""Read each linked document's amount and set the complaint's ``loss_amount``. Raises
	``frappe.ValidationError`` (417) naming the row for a document that may not carry the loss (not
	one of the four DocTypes, a draft or cancelled one, another company's, a Sales Invoice that is
	not a Credit Note, a document linked twice) and ``frappe.PermissionError`` (403) for one the
	user may not read; an amount below zero is refused too."""
	# set here, not fetched by the form: the roles that record complaints may not read Company
	doc.currency = (
		frappe.get_cached_value("Company", doc.company, "default_currency") if doc.company else None
	)
	if flt(doc.loss_amount) < 0:
		frappe.throw(
			_("{0} cannot be negative.").format(frappe.bold(_("Loss Amount"))), title=_("Invalid Value")
		)
	before = doc.get_doc_before_save()
	stored = {row.name: row for row in (before.get("loss_documents") if before else [])}
	seen = set()
	for row in doc.loss_documents:
		key = (row.document_type, row.document_name)
		if key in seen:
			refuse(row, _("{0} {1} is linked twice").format(_(row.document_type), row.document_name))
		seen.add(key)
		old = stored.get(row.name)
		is_new = old is None or (old.document_type, old.document_name) != key
		read_amount(doc, row, checked=is_new)
	doc.loss_amount = rules.loss_amount(doc.loss_amount, [row.amount for row in doc.loss_documents])


def read_amount(doc, row, checked: bool) -> None:
	"""Set ``row.amount`` and ``row.posting_date`` from its document. A row added or changed now
	(``checked``) is refused if the document may not carry the loss; a row kept from before whose
	document was cancelled since counts nothing, so the app's own saves (a workflow move by the
	scheduler) never fail on it."""
	values = document_values(row.document_type, row.document_name)
	reason = rules.refusal(row.document_type, values, doc.company)
	if reason and checked:
		refuse(row, refusal_message(reason, row, doc))
	if checked and values is not None:
		require_read(doc, row)
	row.posting_date = values.get("posting_date") if values else None
	row.amount = 0 if reason else rules.document_amount(row.document_type, values)
	if reason and not checked and not doc.flags.ignore_permissions and not is_app_stamping(doc):
		frappe.msgprint(
			_("Row {0}: {1} {2} no longer counts towards the loss ({3}); remove the row.").format(
				row.idx, _(row.document_type), row.document_name, refusal_message(reason, row, doc)
			),
			indicator="orange",
			alert=True,
		)


def document_values(doctype: str, name: str) -> dict | None:
	if doctype not in rules.DOCUMENT_FIELDS or not isinstance(name, str) or not name:
		return None
	return frappe.db.get_value(
		doctype, name, [*rules.COMMON_FIELDS, *rules.DOCUMENT_FIELDS[doctype]], as_dict=True
	)


def require_read(doc, row) -> None:
	if doc.flags.ignore_permissions or is_app_stamping(doc):
		return
	if not frappe.has_permission(row.document_type, "read", doc=row.document_name):
		frappe.throw(
			_(
				"Documents That Carried the Loss, row {0}: you may not read {1} {2}, so you cannot link it; ask someone who may."
			).format(row.idx, _(row.document_type), row.document_name),
			frappe.PermissionError,
			title=_("Not Permitted"),
		)


def refusal_message(reason: str, row, doc) -> str:
	return {
		"doctype": _("only a Credit Note, Stock Entry, Journal Entry or Payment Entry can carry a loss"),
		"missing": _("{0} {1} does not exist").format(_(row.document_type), row.document_name),
		"draft": _("{0} {1} is not submitted").format(_(row.document_type), row.document_name),
		"cancelled": _("{0} {1} is cancelled").format(_(row.document_type), row.document_name),
		"company": _("{0} {1} belongs to another company than {2}").format(
			_(row.document_type), row.document_name, doc.company
		),
		"not_return": _("Sales Invoice {0} is not a Credit Note (Is Return)").format(row.document_name),
	}[reason]


def refuse(row, why: str) -> None:
	frappe.throw(
		_("Documents That Carried the Loss, row {0}: {1}.").format(row.idx, why),
		title=_("Invalid Loss Document"),
	)
