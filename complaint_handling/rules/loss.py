"""What a complaint cost (issue 14, part 4; domain.md "Records and analysis": the monthly summary
gives loss amounts), with no database.

A complaint's *Loss Amount* is the cost of its remedy in company currency. Where ERPNext documents
carried it (a Credit Note, a Stock Entry, a Journal Entry, a Payment Entry), the amount is read
from them, never retyped: :func:`document_amount` says which figure of each document counts, and
:func:`loss_amount` sums the documents when any are linked, else keeps what was typed by hand.
``intake.loss`` reads the documents from the site and calls these.
"""

from collections.abc import Iterable, Mapping

LOSS_TYPES = ("Refund", "Replacement", "Compensation", "Rework", "Other")

SALES_INVOICE = "Sales Invoice"
STOCK_ENTRY = "Stock Entry"
JOURNAL_ENTRY = "Journal Entry"
PAYMENT_ENTRY = "Payment Entry"

# the DocTypes that may carry a loss, and the fields read from each (all in company currency)
DOCUMENT_FIELDS: dict[str, tuple[str, ...]] = {
	SALES_INVOICE: ("is_return", "base_grand_total"),
	STOCK_ENTRY: ("purpose", "total_outgoing_value", "total_incoming_value", "value_difference"),
	JOURNAL_ENTRY: ("total_debit",),
	PAYMENT_ENTRY: ("base_paid_amount",),
}
COMMON_FIELDS = ("company", "docstatus", "posting_date")
LOSS_DOCTYPES = tuple(DOCUMENT_FIELDS)

SUBMITTED = 1


def document_amount(doctype: str, values: Mapping) -> float:
	"""The loss a submitted document of ``doctype`` carried, from its stored ``values``:

	- Sales Invoice (a Credit Note, ``is_return``): the grand total in company currency, as a
	  positive amount (a return's totals are negative);
	- Stock Entry: a *Material Issue* (goods given away or scrapped: a replacement) costs the value
	  of what left stock; any other purpose (a repack or manufacture for rework) costs the value it
	  added, ``value_difference`` (incoming less outgoing: the additional costs), as a positive
	  amount; a plain transfer costs nothing;
	- Journal Entry: its total debit;
	- Payment Entry: the amount paid in company currency.
	"""
	number = lambda field: float(values.get(field) or 0)  # noqa: E731
	if doctype == SALES_INVOICE:
		return abs(number("base_grand_total"))
	if doctype == STOCK_ENTRY:
		if values.get("purpose") == "Material Issue":
			return abs(number("total_outgoing_value"))
		return abs(number("value_difference"))
	if doctype == JOURNAL_ENTRY:
		return abs(number("total_debit"))
	if doctype == PAYMENT_ENTRY:
		return abs(number("base_paid_amount"))
	raise ValueError(f"{doctype} does not carry a loss")


def refusal(doctype: str, values: Mapping | None, company: str | None) -> str | None:
	"""Why a document may not carry the complaint's loss, as a key of ``REFUSALS``, or None when
	it may: it must exist, be submitted, belong to the complaint's company and, for a Sales
	Invoice, be a Credit Note (a return)."""
	if doctype not in DOCUMENT_FIELDS:
		return "doctype"
	if values is None:
		return "missing"
	if int(values.get("docstatus") or 0) != SUBMITTED:
		return "cancelled" if int(values.get("docstatus") or 0) == 2 else "draft"
	if (values.get("company") or "") != (company or ""):
		return "company"
	if doctype == SALES_INVOICE and not int(values.get("is_return") or 0):
		return "not_return"
	return None


def loss_amount(typed: float | None, document_amounts: Iterable[float]) -> float:
	"""The complaint's loss: the sum of its documents when any are linked, else what was typed."""
	amounts = list(document_amounts)
	if amounts:
		return round(sum(float(a or 0) for a in amounts), 9)
	return float(typed or 0)
