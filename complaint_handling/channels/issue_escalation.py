"""A support ticket becomes a formal complaint (issue 13 part 7): ERPNext's *Issue* and, where the
Helpdesk app is installed, its *HD Ticket*.

The button on the ticket's form (``public/js/issue.js``) calls :func:`escalate`, which opens a
Draft complaint from the ticket's customer, contact, subject and description and links both ways:
the complaint's *Reference* (Dynamic Link) names the ticket, the ticket's read-only ``complaint``
Custom Field names the complaint. :func:`escalation_state` tells the form what to show.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from complaint_handling.setup.defaults import ESCALATION_LINK_FIELD, ESCALATION_SOURCES

COMPLAINT = "Complaint"
SUBJECT_LENGTH = 140  # the Complaint's subject is a Data field


def source_doctypes() -> list[str]:
	"""The ticket DocTypes this site has: Issue with ERPNext, HD Ticket with Helpdesk (optional,
	detected at run time)."""
	installed = frappe.get_installed_apps()
	return [doctype for doctype, (app, _after) in ESCALATION_SOURCES.items() if app in installed]


def require_source(doctype: str) -> None:
	"""Raise ``frappe.ValidationError`` unless ``doctype`` is a ticket DocType of this site that has
	its link field (seeded at install and migrate)."""
	if doctype not in source_doctypes():
		frappe.throw(_("{0} cannot be escalated to a complaint.").format(doctype), title=_("Not Supported"))
	if not frappe.get_meta(doctype).has_field(ESCALATION_LINK_FIELD):
		frappe.throw(
			_("{0} has no Complaint field yet: ask your administrator to run bench migrate.").format(
				_(doctype)
			),
			title=_("Not Set Up"),
		)


@frappe.whitelist()
def escalation_state(doctype: str, name: str) -> dict:
	"""For the ticket's form: ``{"complaint": name or None, "status": the complaint's status if the
	user may read it, "can_escalate": whether the button shows}``. Raises ``frappe.PermissionError``
	if the user may not read the ticket."""
	require_source(doctype)
	ticket = frappe.get_doc(doctype, name)
	ticket.check_permission("read")
	complaint = existing_complaint(doctype, name)
	if not complaint:
		return {"complaint": None, "status": None, "can_escalate": may_escalate()}
	readable = frappe.has_permission(COMPLAINT, "read", doc=complaint)
	status = frappe.db.get_value(COMPLAINT, complaint, "status") if readable else None
	return {"complaint": complaint, "status": status, "can_escalate": False}


def may_escalate() -> bool:
	"""Read on the ticket (checked by the caller) and create on Complaint."""
	return bool(frappe.has_permission(COMPLAINT, "create"))


@frappe.whitelist(methods=["POST"])
def escalate(doctype: str, name: str) -> dict:
	"""Open a Draft complaint from the ticket ``doctype``/``name`` and link the two.

	Returns ``{"complaint": name, "created": bool}``: a ticket already escalated returns its
	complaint with ``created`` false (the ticket row is locked first, so two clicks at once make one
	complaint). Raises ``frappe.PermissionError`` without read on the ticket or create on Complaint,
	and whatever the complaint's validation raises; then nothing is saved, neither the complaint,
	its complainant nor the link."""
	require_source(doctype)
	ticket = frappe.get_doc(doctype, name)
	ticket.check_permission("read")
	if not may_escalate():
		frappe.throw(_("You may not create complaints."), frappe.PermissionError)
	# one escalation at a time per ticket; locking reads see what a concurrent one committed
	if complaint := existing_complaint(doctype, name, lock=True):
		link_ticket(doctype, name, complaint)
		return {"complaint": complaint, "created": False}
	frappe.db.savepoint("complaint_escalation")
	try:
		complaint = frappe.get_doc(complaint_values(ticket)).insert()
		link_ticket(doctype, name, complaint.name)
		note_escalation(ticket, complaint)
	except Exception:
		frappe.db.rollback(save_point="complaint_escalation")
		raise
	return {"complaint": complaint.name, "created": True}


def existing_complaint(doctype: str, name: str, lock: bool = False) -> str | None:
	"""The complaint the ticket was escalated to: its link field, or a complaint whose reference
	names the ticket (a link cleared by hand is found again). ``lock`` locks the ticket's row and
	reads the latest committed rows, not the transaction's snapshot."""
	linked = frappe.db.get_value(doctype, name, ESCALATION_LINK_FIELD, for_update=lock)
	if linked and frappe.db.get_value(COMPLAINT, linked, "name", for_update=lock):
		return linked
	return frappe.db.get_value(
		COMPLAINT,
		{"reference_doctype": doctype, "reference_name": str(name)},
		"name",
		order_by="creation",
		for_update=lock,
	)


def link_ticket(doctype: str, name: str, complaint: str) -> None:
	"""The ticket's link field names the complaint. Set by the app (the field is read-only and the
	escalating user need not write the ticket); the ticket's modified date stays as it was."""
	if frappe.db.get_value(doctype, name, ESCALATION_LINK_FIELD) != complaint:
		frappe.db.set_value(doctype, name, ESCALATION_LINK_FIELD, complaint, update_modified=False)


def note_escalation(ticket, complaint) -> None:
	"""A line in both timelines: who escalated, when the ticket was opened."""
	ticket.add_comment(
		"Info",
		_("Escalated to formal complaint {0}").format(
			frappe.utils.get_link_to_form(COMPLAINT, complaint.name)
		),
	)
	complaint.add_comment(
		"Info",
		_("Escalated from {0} {1}, opened on {2}").format(
			_(ticket.doctype),
			frappe.utils.get_link_to_form(ticket.doctype, ticket.name),
			frappe.utils.format_datetime(ticket.creation),
		),
	)


# ------------------------------------------------------------------ what the complaint takes


def complaint_values(ticket) -> dict:
	"""The new complaint's fields from the ticket: subject, description, customer and company, the
	channel it came in by, the reference back, and the complainant's contact in the transit fields
	(the complaint moves them into its Complainant record on save)."""
	values = {
		"doctype": COMPLAINT,
		"subject": (ticket.subject or "").strip()[:SUBJECT_LENGTH],
		"description": ticket.get("description") or ticket.subject,
		"received_on": now_datetime(),  # a formal complaint from now: its clocks start here
		"channel": channel_of(ticket),
		"company": ticket.get("company") or default_company(),
		"reference_doctype": ticket.doctype,
		"reference_name": str(ticket.name),
	}
	customer = erpnext_customer(ticket)
	if customer:
		values["customer"] = customer
	values.update(contact_values(ticket, customer))
	return {key: value for key, value in values.items() if value not in (None, "")}


def channel_of(ticket) -> str:
	"""How the complaint reached us, among the Complaint's channels: the customer portal, an email
	(the ticket has the sender's address), else *Internal* (staff opened the ticket, or it names a
	staff member as its sender)."""
	if ticket.get("raised_by") and not sender_email(ticket):
		return "Internal"
	if ticket.get("via_customer_portal"):
		return "Portal"
	return "Email" if ticket.get("raised_by") else "Internal"


def sender_email(ticket) -> str | None:
	"""The address the ticket came from, unless it is a staff member's (a System User's): Helpdesk
	fills an empty *raised by* with the address of whoever opens the ticket, so a ticket an agent
	opened for a customer names the agent, who is not the complainant."""
	email = (ticket.get("raised_by") or "").strip()
	if not email or frappe.db.exists("User", {"email": email, "user_type": "System User"}):
		return None
	return email


def default_company() -> str | None:
	return frappe.db.get_single_value(
		"Complaint Settings", "default_company"
	) or frappe.defaults.get_global_default("company")


def erpnext_customer(ticket) -> str | None:
	"""The ERPNext Customer of the ticket. An Issue links one; a Helpdesk ticket links an *HD
	Customer*, which counts when an ERPNext Customer has the same name."""
	name = ticket.get("customer")
	return name if name and frappe.db.exists("Customer", name) else None


def contact_values(ticket, customer: str | None) -> dict:
	"""The complainant: the ticket's Contact (or the Contact of its sender's address) for name and
	phone, the sender's address (else the Contact's) for email, the customer's name as the
	organisation. The name falls back to the organisation, then the address; a ticket that names no
	one but staff gives none, and the complaint asks for it."""
	sender = sender_email(ticket)
	contact = ticket.get("contact") or contact_of_email(sender)
	person = (
		frappe.db.get_value("Contact", contact, ["full_name", "email_id", "phone", "mobile_no"], as_dict=True)
		if contact
		else None
	) or frappe._dict()
	organisation = (
		ticket.get("customer_name")
		or (customer and frappe.db.get_value("Customer", customer, "customer_name"))
		or ticket.get("customer")
	)
	email = sender or person.email_id
	return {
		"complainant_name": person.full_name or organisation or email,
		"complainant_organisation": organisation,
		"complainant_email": email,
		"complainant_phone": person.mobile_no or person.phone,
	}


def contact_of_email(email: str | None) -> str | None:
	return frappe.db.get_value("Contact Email", {"email_id": email}, "parent") if email else None


# ------------------------------------------------------------------ the link back


def unlink_source(doc, method=None) -> None:
	"""Complaint ``on_trash`` (doc_events): a deleted draft complaint frees its ticket to be
	escalated again, instead of Frappe refusing the delete because the ticket links it."""
	for doctype in source_doctypes():
		if frappe.get_meta(doctype).has_field(ESCALATION_LINK_FIELD):
			frappe.db.set_value(
				doctype, {ESCALATION_LINK_FIELD: doc.name}, ESCALATION_LINK_FIELD, None, update_modified=False
			)
