"""Who complained or appealed, kept where only the roles that may know it can reach it.

A Complaint links its *Complainant*, a Complaint Appeal its *Appellant*: two DocTypes, so that who
may read them is decided by their own DocType permissions (see README's matrix), which Frappe
checks on every path, joins and filters on linked tables included. The case keeps its familiar
contact fields (``complainant_email``…) only as a way in: what is written there moves into the
party on save, the case's own columns stay empty, and a reader who may see the party gets them
filled when the form loads. So no list, report, filter, count, search or export over the case
can reveal a contact: there is nothing stored there to reveal (ISO 10002 confidentiality,
ISO/IEC 17065 §4.6, domain.md "Independence and confidentiality").

Everything that shows a party to a person (forms, print formats, letters, the timeline) asks this
module.
"""

from dataclasses import dataclass

import frappe
from frappe import _


@dataclass(frozen=True)
class PartyLink:
	"""How a case DocType names its party: the Link field, the party DocType, and the contact
	fields that map onto the party's fields."""

	link_field: str
	doctype: str
	fields: dict  # case field -> party field


CASES = {
	"Complaint": PartyLink(
		"complainant",
		"Complainant",
		{
			"complainant_name": "party_name",
			"complainant_organisation": "organisation",
			"complainant_email": "email",
			"complainant_phone": "phone",
		},
	),
	"Complaint Appeal": PartyLink(
		"appellant",
		"Appellant",
		{
			"appellant_name": "party_name",
			"on_behalf_of": "organisation",
			"appellant_email": "email",
			"appellant_phone": "phone",
		},
	),
}
PARTY_DOCTYPES = frozenset(link.doctype for link in CASES.values())
CONTACT_FIELDS = ["party_name", "organisation", "email", "phone"]


def may_read(doctype: str, user: str | None = None) -> bool:
	"""Whether ``user`` (default: the session user) may read the party of a case of ``doctype``
	(Complaint, Complaint Appeal), or parties of ``doctype`` itself (Complainant, Appellant)."""
	party_doctype = CASES[doctype].doctype if doctype in CASES else doctype
	return party_doctype in PARTY_DOCTYPES and bool(frappe.has_permission(party_doctype, "read", user=user))


# ------------------------------------------------------------------ the case's contact fields


def store(doc) -> None:
	"""Case validate: move what was written in the contact fields into the linked party (created
	on first use), then empty the case's columns. A blank field means "unchanged", because an API
	client that updates one field sends the others blank: clear a value on the party itself.

	Frappe has already reset these fields (permission level 1) for users who may not write them."""
	link = CASES[doc.doctype]
	values = {party_field: doc.get(field) for field, party_field in link.fields.items() if doc.get(field)}
	for field in link.fields:
		doc.set(field, None)
	if not values:
		return
	name = doc.get(link.link_field)
	party = frappe.get_doc(link.doctype, name) if name else frappe.new_doc(link.doctype)
	changed = {field: value for field, value in values.items() if party.get(field) != value}
	if party.is_new() or changed:
		party.update(changed)
		# the case's level-1 write permission, checked by Frappe, is what authorises this
		party.save(ignore_permissions=True)
	doc.set(link.link_field, party.name)


def fill(doc) -> None:
	"""Show the party in the case's contact fields, for a reader who may see it (form onload, and
	after a save so the form keeps showing what was typed)."""
	link = CASES[doc.doctype]
	if not doc.get(link.link_field) or not may_read(doc.doctype):
		return
	party = frappe.db.get_value(
		link.doctype, doc.get(link.link_field), list(link.fields.values()), as_dict=True
	)
	for field, party_field in link.fields.items():
		doc.set(field, (party or {}).get(party_field))


def require_party(doc) -> None:
	"""A case needs its party's name before it goes anywhere (the complaint's or appeal's author)."""
	link = CASES[doc.doctype]
	if not doc.get(link.link_field) and not doc.flags.ignore_mandatory:
		frappe.throw(
			_("Enter the {0}'s name.").format(_(link.doctype).lower()),
			frappe.MandatoryError,
			title=_("Missing Value"),
		)


def contact(doc) -> frappe._dict:
	"""The party of a case, for mail the app sends to that party itself (acknowledgement, feedback
	reminder, appeal letters). Not for showing to a user: use :func:`complaint_party`."""
	link = CASES[doc.doctype]
	name = doc.get(link.link_field)
	party = name and frappe.db.get_value(link.doctype, name, CONTACT_FIELDS, as_dict=True)
	return party or frappe._dict()


def letter_context(doc) -> dict:
	"""What an Email Template to the party sees: the case, with its contact fields filled in."""
	context = doc.as_dict()
	party = contact(doc)
	for field, party_field in CASES[doc.doctype].fields.items():
		context[field] = party.get(party_field)
	return context


def complaint_party(doc) -> frappe._dict:
	"""Jinja (print formats): the party of ``doc`` if the session user may read it, else nothing.
	The email queue renders attachments as Administrator, so letters sent to the party carry it."""
	if not doc or doc.get("doctype") not in CASES or not may_read(doc.get("doctype")):
		return frappe._dict()
	return contact(doc)


def validate_party(party) -> None:
	"""Complainant / Appellant validate: a party is named."""
	if not (party.party_name or "").strip():
		frappe.throw(_("Enter the party's name."), frappe.MandatoryError, title=_("Missing Value"))


# ------------------------------------------------------------------ a case's emails


def communication_query(user: str | None = None) -> str:
	"""permission_query_conditions for Communication: no emails of a case whose party the user may
	not read (the emails carry the party's address and words)."""
	hidden = hidden_doctypes(user or frappe.session.user)
	if not hidden:
		return ""
	return "ifnull(`tabCommunication`.`reference_doctype`, '') not in ({})".format(
		", ".join(frappe.db.escape(dt) for dt in hidden)
	)


def communication_has_permission(doc, ptype=None, user=None) -> bool | None:
	return False if doc.reference_doctype in hidden_doctypes(user) else None


def hidden_doctypes(user: str | None = None) -> list[str]:
	"""The case and party DocTypes whose emails ``user`` may not see."""
	return sorted(dt for dt in (*CASES, *PARTY_DOCTYPES) if not may_read(dt, user))
