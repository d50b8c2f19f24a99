"""The complainant's private tracking link: an unguessable token, of which the complaint keeps
only a hash (``tracking_token_hash``: hidden, permission level 2, which no role reads, no copy).

The token is 256 random bits from ``secrets``; the link carries it after ``#`` so that it never
reaches a server log, a proxy or a Referer header. Whoever holds the link sees the complaint's
public status (``channels.status``); nobody can rebuild the link from the database.
"""

import secrets

import frappe
from frappe.utils import get_url

from complaint_handling.rules.public_channel import token_hash, well_formed_token

STATUS_ROUTE = "complaint-status"


def issue(doc) -> str:
	"""Give the complaint ``doc`` (not yet saved) a new tracking token; returns the token, which is
	shown once and never stored. Call inside ``security.stamped.app_stamping``: the field is the
	app's."""
	token = secrets.token_urlsafe(32)
	doc.tracking_token_hash = token_hash(token)
	return token


def link(token: str) -> str:
	"""The private tracking link for ``token``, on this site's address."""
	return get_url(f"/{STATUS_ROUTE}#t={token}")


def letter_link(doc) -> str | None:
	"""The tracking link to put in a letter written while ``doc`` is being validated (the
	acknowledgement, the restatement of an oral complaint): a complaint that came by email, phone
	or in person has no token yet and gets one here, once per save; None when the complainant
	already holds a link (the web form showed it), which cannot be rebuilt from its hash. Call from
	``validate``, after the stamped-field check: the hash is saved with the complaint."""
	if not doc.flags.tracking_link and not doc.tracking_token_hash:
		doc.flags.tracking_link = link(issue(doc))
	return doc.flags.tracking_link


def complaint_of(token: str) -> str | None:
	"""The complaint whose tracking token ``token`` is, or None (also for anything that is not a
	token at all: it is never looked up)."""
	if not well_formed_token(token):
		return None
	return frappe.db.get_value("Complaint", {"tracking_token_hash": token_hash(token)}, "name")
