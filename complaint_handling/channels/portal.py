"""The customer portal (issue 13 part 3): website users of an ERPNext Customer follow their
organisation's complaints at ``/my-complaints``, file a new one and appeal a decision.

Who belongs to which customer is decided as ERPNext's portal decides it, plus the Contact:

- the *Portal Users* table of the Customer (ERPNext v15's own rule,
  ``erpnext.controllers.website_list_for_contact.get_customers_suppliers``), and
- a Contact of the user (``Contact.user``, or ``Contact.email_id`` = their address) with a Dynamic
  Link to the Customer, **if a desk user made that Contact**. Frappe lets every user (role *All*)
  create Contacts of their own, links included, so a Contact a website user made themselves (or
  another website user made for them) would let anyone claim any customer by its name.

Only users holding the *Customer* role (ERPNext's portal role) get a portal at all.

Portal users get no permission on Complaint: ``/api/resource``, ``frappe.client``, counts, files
and emails of complaints stay closed to them as to any website user. The portal pages read the
complaints of the user's customers themselves (as ERPNext's portal lists a customer's orders) and
show only the public view (``channels.status.public_view``): public status, dates, the letters.
Anything not of their customers answers exactly as a reference that does not exist.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import add_to_date, cint, format_datetime, get_datetime, now_datetime

from complaint_handling.appeals import deadlines
from complaint_handling.channels import status, web_intake
from complaint_handling.channels.issue_escalation import default_company
from complaint_handling.complaint_handling.doctype.complaint_appeal.complaint_appeal import (
	DECIDED_COMPLAINT,
)
from complaint_handling.rules import public_channel as rules
from complaint_handling.rules.appeals import OPEN_STATUSES, AppealStatus, filed_late
from complaint_handling.rules.complaint import Validity
from complaint_handling.rules.mail_text import as_html

DOCTYPE = "Complaint"
APPEAL = "Complaint Appeal"
CHANNEL = "Portal"
PORTAL_ROLE = "Customer"  # ERPNext's role for website users of a customer
ROUTE = "my-complaints"
HOUR = 60 * 60
LIST_LIMIT = 200
DUPLICATE_WINDOW = web_intake.DUPLICATE_WINDOW
APPEAL_LIMITS = {"grounds": 10_000, "remedy_sought": 2_000}
# what the appellant is told of their appeal's status: a draft is simply received
PUBLIC_APPEAL_STATUS = {AppealStatus.DRAFT: AppealStatus.RECEIVED}


def filing_limit() -> int:
	"""Complaints and appeals filed per IP address and hour (site config ``complaint_portal_limit``)."""
	return cint(frappe.conf.get("complaint_portal_limit")) or 20


# ------------------------------------------------------------------ who sees what


def portal_customers() -> list[str]:
	"""The enabled Customers whose complaints the session user follows in the portal (see the
	module docstring), sorted; empty for Guest and for users without the *Customer* role."""
	user = frappe.session.user
	if user == "Guest" or PORTAL_ROLE not in frappe.get_roles(user):
		return []
	from erpnext.controllers.website_list_for_contact import get_customers_suppliers

	# with the Customer role ERPNext reads the Customers' Portal Users table for the session user
	customers = set(get_customers_suppliers(DOCTYPE, user)[0] or [])
	customers |= contact_customers(user)
	if not customers:
		return []
	return sorted(
		frappe.get_all("Customer", filters={"name": ("in", list(customers)), "disabled": 0}, pluck="name")
	)


def contact_customers(user: str) -> set[str]:
	"""Customers linked to a Contact of ``user`` that a desk user made (see the module docstring)."""
	email = frappe.db.get_value("User", user, "email") or user
	contact = frappe.qb.DocType("Contact")
	link = frappe.qb.DocType("Dynamic Link")
	maker = frappe.qb.DocType("User")
	return set(
		frappe.qb.from_(contact)
		.join(link)
		.on((link.parent == contact.name) & (link.parenttype == "Contact"))
		.join(maker)
		.on(maker.name == contact.owner)
		.select(link.link_name)
		.where(link.link_doctype == "Customer")
		.where((contact.user == user) | (contact.email_id == email))
		.where(maker.user_type == "System User")
		.run(pluck=True)
	)


def not_found():
	"""The one answer for a complaint that does not exist or is not of the user's customers."""
	frappe.throw(
		_("None of your organisation's complaints has this reference."),
		frappe.DoesNotExistError,
		title=_("Not Found"),
	)


def require_portal_user() -> list[str]:
	"""The session user's customers; raises ``frappe.PermissionError`` (403) if they have none."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your complaints."), frappe.PermissionError, title=_("Not Logged In"))
	customers = portal_customers()
	if not customers:
		frappe.throw(
			_(
				"Your account is not linked to a customer of ours yet: ask your contact person to link it, then your organisation's complaints appear here."
			),
			frappe.PermissionError,
			title=_("No Customer Linked"),
		)
	return customers


def require_login(path: str) -> None:
	"""A portal page opened by Guest goes to the login page, and back to ``path`` after it."""
	if frappe.session.user == "Guest":
		from urllib.parse import urlencode

		frappe.local.flags.redirect_location = "/login?" + urlencode({"redirect-to": path})
		raise frappe.Redirect(302)


def find_complaint(name) -> frappe._dict | None:
	"""The complaint ``name`` (name, customer, status, validity) if it is of one of the session
	user's customers, else None, the same for a name that does not exist."""
	customers = portal_customers()
	if not customers or not isinstance(name, str) or not name.strip() or len(name) > 140:
		return None
	return frappe.db.get_value(
		DOCTYPE,
		{"name": name.strip(), "customer": ("in", customers)},
		["name", "customer", "status", "validity"],
		as_dict=True,
	)


def portal_complaint(name) -> frappe._dict:
	""":func:`find_complaint`, or :func:`not_found` (404)."""
	return find_complaint(name) or not_found()


def complaints(customers: list[str]) -> list[dict]:
	"""The complaints of ``customers``, newest first, as the list shows them: reference, subject,
	customer, public status and received date. Nothing internal."""
	if not customers:
		return []
	rows = frappe.get_all(
		DOCTYPE,
		filters={"customer": ("in", customers)},
		fields=["name", "subject", "customer", "status", "received_on"],
		order_by="received_on desc, creation desc",
		limit_page_length=LIST_LIMIT,
	)
	appealed = set(
		frappe.get_all(
			APPEAL,
			filters={
				"complaint": ("in", [row.name for row in rows] or [""]),
				"status": ("in", status.OPEN_APPEAL),
			},
			pluck="complaint",
		)
	)
	out = []
	for row in rows:
		public = rules.public_status(row.status, row.name in appealed)
		out.append(
			{
				"reference": row.name,
				"subject": row.subject,
				"customer": row.customer,
				"status": public,
				"status_label": _(public),
				"received_on": format_datetime(row.received_on),
				"route": f"/{ROUTE}/{row.name}",
			}
		)
	return out


def complaint_view(row) -> dict:
	"""The page of one complaint (``row`` from :func:`find_complaint`): the public view
	(``channels.status.public_view``), its customer, the appeals filed against it, and whether
	(or why not) an appeal can be filed now."""
	view = status.public_view(row.name)
	view["customer"] = customer_name(row.customer)
	view["appeals"] = [
		{
			"name": appeal.name,
			"status": _(PUBLIC_APPEAL_STATUS.get(appeal.status, appeal.status)),
			"filed_on": format_datetime(appeal.filed_on),
		}
		for appeal in frappe.get_all(
			APPEAL,
			filters={"complaint": row.name},
			fields=["name", "status", "filed_on"],
			order_by="filed_on asc",
		)
	]
	view["appeal"] = appeal_window(row)
	return view


# ------------------------------------------------------------------ appeals


def appeal_window(row) -> dict:
	"""Whether the complaint ``row`` (name, status, validity) can be appealed now:
	``{"allowed", "reason", "closes_on"}``. The window and the decision date are the Complaint
	Appeal's own (``appeals.deadlines``, the appeal controller's ``set_from_decision``)."""
	if row.status not in DECIDED_COMPLAINT or row.validity == Validity.PENDING:
		return {"allowed": False, "reason": _("There is no decision to appeal yet."), "closes_on": None}
	if open_appeal := frappe.db.get_value(
		APPEAL, {"complaint": row.name, "status": ("in", list(OPEN_STATUSES))}, "name"
	):
		return {
			"allowed": False,
			"reason": _("An appeal against this decision ({0}) is being handled.").format(open_appeal),
			"closes_on": None,
		}
	appeal = frappe.new_doc(APPEAL)
	appeal.complaint = row.name
	appeal.set_from_decision()
	if not (appeal.decision_date and appeal.company):
		return {"allowed": False, "reason": _("There is no decision to appeal yet."), "closes_on": None}
	closes = deadlines.period_from(appeal.company, appeal.decision_date, "window")
	if filed_late(now_datetime(), get_datetime(closes)):
		return {
			"allowed": False,
			"reason": _(
				"The appeal window ({0} from the decision on {1}) closed on {2}: an appeal can no longer be filed here. If you have reasons for a late appeal, write to us."
			).format(
				deadlines.describe_period("window"),
				format_datetime(appeal.decision_date),
				format_datetime(closes),
			),
			"closes_on": format_datetime(closes),
		}
	return {"allowed": True, "reason": None, "closes_on": format_datetime(closes)}


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=filing_limit, seconds=HOUR)
def file_appeal(complaint: str, grounds: str | None = None, remedy_sought: str | None = None) -> dict:
	"""Portal user: appeal the decision on ``complaint`` (of one of their customers) with
	``grounds`` and the ``remedy_sought``. Creates a Complaint Appeal in the workflow's first state
	(Draft: the intake officer registers it, as the web form's complaints), filed now, with the
	user's contact as appellant on behalf of the customer. Returns ``{"appeal", "route"}``.

	Raises ``frappe.DoesNotExistError`` (404) for a complaint that is not found or not theirs,
	``frappe.ValidationError`` (417) saying why when it cannot be appealed (no decision yet, an
	appeal already open, the window closed) or the text is missing or too long."""
	require_portal_user()
	row = portal_complaint(complaint)
	values = {
		"grounds": rules.multi_line(grounds),
		"remedy_sought": rules.multi_line(remedy_sought),
	}
	names = {"grounds": _("Grounds of the Appeal"), "remedy_sought": _("What would you like us to do?")}
	if not values["grounds"]:
		frappe.throw(
			_("Enter {0}.").format(names["grounds"]), frappe.MandatoryError, title=_("Missing Value")
		)
	for field, limit in APPEAL_LIMITS.items():
		if len(values[field]) > limit:
			frappe.throw(
				_("{0} is too long: at most {1} characters.").format(names[field], limit),
				frappe.CharacterLengthExceededError,
				title=_("Value Too Long"),
			)
	# one filing at a time per complaint: the open-appeal check below sees a concurrent one
	frappe.db.get_value(DOCTYPE, row.name, "name", for_update=True)
	window = appeal_window(row)
	if not window["allowed"]:
		frappe.throw(window["reason"], title=_("Appeal Not Possible"))
	person = contact_of_user()
	doc = frappe.new_doc(APPEAL)
	doc.update(
		{
			"complaint": row.name,
			"filed_on": now_datetime(),
			"grounds": as_html(values["grounds"]),
			"remedy_sought": values["remedy_sought"] or None,
			# the contact fields are the way in: parties.store moves them into an Appellant
			"appellant_name": person.name,
			"on_behalf_of": customer_name(row.customer),
			"appellant_email": person.email,
			"appellant_phone": person.phone or None,
		}
	)
	frappe.db.savepoint("complaint_portal_appeal")
	try:
		doc.insert(ignore_permissions=True)  # a website user has no permission on appeals
	except Exception:
		frappe.db.rollback(save_point="complaint_portal_appeal")
		raise
	return {"appeal": doc.name, "route": f"/{ROUTE}/{row.name}?filed=appeal"}


# ------------------------------------------------------------------ a new complaint


def contact_of_user() -> frappe._dict:
	"""The session user as the party of what they file: name, email and phone from their Contact
	(the one named by ``Contact.user``, else by their address), else from the User."""
	user = frappe.session.user
	fields = ["full_name", "email_id", "mobile_no", "phone"]
	found = frappe.get_all("Contact", filters={"user": user}, fields=fields, limit=1) or frappe.get_all(
		"Contact",
		filters={"email_id": frappe.db.get_value("User", user, "email") or user},
		fields=fields,
		limit=1,
	)
	contact = found[0] if found else frappe._dict()
	account = frappe.db.get_value("User", user, ["full_name", "email", "mobile_no", "phone"], as_dict=True)
	return frappe._dict(
		name=(contact.full_name or account.full_name or user).strip(),
		email=(account.email or contact.email_id or "").strip().lower(),
		phone=contact.mobile_no or contact.phone or account.mobile_no or account.phone or "",
	)


def customer_name(customer: str) -> str:
	return frappe.db.get_value("Customer", customer, "customer_name") or customer


def prefill(customers: list[str]) -> dict:
	"""What the new-complaint form starts with: the user's contact and their customers."""
	person = contact_of_user()
	return {
		"complainant_name": person.name,
		"email": person.email,
		"phone": person.phone if rules.valid_phone(person.phone) else "",
		"customers": [{"name": c, "label": customer_name(c)} for c in customers],
	}


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=filing_limit, seconds=HOUR)
def file_complaint(
	description: str | None = None,
	customer: str | None = None,
	complainant_name: str | None = None,
	email: str | None = None,
	phone: str | None = None,
	occurred_on: str | None = None,
	location: str | None = None,
	product: str | None = None,
	batch_no: str | None = None,
	document_no: str | None = None,
	remedy_sought: str | None = None,
	consent: str | None = None,
) -> dict:
	"""Portal user: file a complaint for one of their customers (``customer``; may be left out
	when they have one), files in the multipart body as ``files``. The same checks as the public
	form (``channels.web_intake``): fields cleaned to text and held to their length, at most three
	files of known kinds, consent. Creates a Draft complaint with channel *Portal* and the customer,
	the contact details in its Complainant. The same text filed again by the same user within
	``DUPLICATE_WINDOW`` minutes answers the first complaint. Returns ``{"reference", "route",
	"duplicate"}``; raises ``frappe.ValidationError`` (417) naming what to fix, 403 without a
	linked customer."""
	customers = require_portal_user()
	if customer in (None, "") and len(customers) == 1:
		customer = customers[0]
	if not isinstance(customer, str) or customer not in customers:
		frappe.throw(
			_("Choose which of your organisations the complaint is for."),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)
	person = contact_of_user()
	values = rules.clean(
		{
			"complainant_name": complainant_name or person.name,
			"organisation": customer_name(customer),
			"email": email or person.email,
			"phone": phone,
			"occurred_on": occurred_on,
			"location": location,
			"product": product,
			"batch_no": batch_no,
			"document_no": document_no,
			"description": description,
			"remedy_sought": remedy_sought,
		}
	)
	web_intake.validate(values, consent)
	files = web_intake.uploaded_files()
	values["email"] = values["email"].lower()
	frappe.db.get_value("Customer", customer, "name", for_update=True)  # one filing at a time per customer
	if existing := duplicate_of(customer, values):
		web_intake.attach(existing, files)
		return {"reference": existing, "route": f"/{ROUTE}/{existing}?filed=complaint", "duplicate": True}
	frappe.db.savepoint("complaint_portal_filing")
	try:
		doc = create(customer, values)
		web_intake.attach(doc.name, files)
	except Exception:
		frappe.db.rollback(save_point="complaint_portal_filing")
		raise
	return {"reference": doc.name, "route": f"/{ROUTE}/{doc.name}?filed=complaint", "duplicate": False}


def duplicate_of(customer: str, values: dict) -> str | None:
	"""A Portal complaint this user filed for ``customer`` in the last minutes with the same text
	(a double click, a reload that posts again)."""
	return frappe.db.get_value(
		DOCTYPE,
		{
			"channel": CHANNEL,
			"customer": customer,
			"owner": frappe.session.user,
			"creation": (">=", add_to_date(now_datetime(), minutes=-DUPLICATE_WINDOW)),
			"description": ("like", web_intake.like_prefix(as_html(values["description"]))),
		},
		"name",
		order_by="creation asc",
	)


def create(customer: str, values: dict):
	"""Insert the Draft complaint for ``customer`` as the app (a website user has no permission on
	Complaint); the contact fields go into its Complainant on save (``security.parties.store``)."""
	doc = web_intake.new_complaint(values, CHANNEL, _("given in the customer portal, {0}"))
	doc.update({"customer": customer, "company": default_company()})
	doc.insert(ignore_permissions=True)
	return doc
