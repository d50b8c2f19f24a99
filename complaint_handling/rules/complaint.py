"""The complaint process rules that need no database.

Statuses are owned by code: every state of the (admin-editable) workflow writes one of them into
``Complaint.status`` through its ``update_field``. Rules below key on these values, never on
workflow state names, so renaming or adding a state in the UI keeps them working.
"""

from collections.abc import Iterable, Mapping
from datetime import date


class Status:
	DRAFT = "Draft"
	REGISTERED = "Registered"
	ACKNOWLEDGED = "Acknowledged"
	UNDER_INVESTIGATION = "Under Investigation"
	PENDING_APPROVAL = "Pending Approval"
	RESPONDED = "Responded"
	CLOSED = "Closed"
	REJECTED = "Rejected"
	REOPENED = "Reopened"


class Validity:
	PENDING = "Pending"
	ACCEPTED = "Accepted"
	NOT_SUBSTANTIATED = "Not Substantiated"
	OUT_OF_SCOPE = "Out of Scope"


NEGATIVE_VALIDITY = frozenset({Validity.NOT_SUBSTANTIATED, Validity.OUT_OF_SCOPE})

# A decision (validity and resolution) must exist before the case goes for approval.
DECIDED_STATUSES = frozenset({Status.PENDING_APPROVAL, Status.RESPONDED, Status.CLOSED})

# Moving into these statuses is an approval: ISO/IEC 17025 7.9.6 wants it made by someone not
# involved in the case and not its handler.
APPROVAL_STATUSES = frozenset({Status.RESPONDED, Status.CLOSED, Status.REJECTED})

# Ended cases: their record is frozen until reopened.
FINAL_STATUSES = frozenset({Status.CLOSED, Status.REJECTED})


# Complaints taken by word of mouth: the officer restates them to the complainant, who confirms,
# in writing where possible (domain.md "Intake", seeds 001 and 003).
ORAL_CHANNELS = frozenset({"Phone", "Walk-in"})


class Restatement:
	"""Where the confirmation of an oral complaint's restatement stands (``restatement_status``)."""

	CONFIRMED_ORALLY = "Confirmed Orally"  # the complainant agreed when it was read back
	AWAITING = "Awaiting Confirmation"  # the written restatement went out; no answer yet
	NOT_SENT = "Not Sent"  # no email address or outgoing account: confirm by phone or post
	CONFIRMED_IN_WRITING = "Confirmed in Writing"
	CORRECTED = "Corrected"  # the complainant answered with a correction
	NO_ANSWER = "No Answer"  # nothing came back within the configured working days


# the complainant may still confirm or correct it on the status page
RESTATEMENT_OPEN = frozenset({Restatement.AWAITING, Restatement.NOT_SENT, Restatement.NO_ANSWER})


def restatement_missing(channel: str | None, restatement: str | None) -> bool:
	"""Whether a complaint taken through ``channel`` still needs the restatement read back to
	the complainant before it is registered (only oral channels do)."""
	return channel in ORAL_CHANNELS and not (restatement or "").strip()


def missing_for_status(status: str, values: Mapping) -> list[str]:
	"""Fieldnames that must be filled before a complaint may stand in ``status``."""
	missing = []
	if status != Status.DRAFT:
		missing += [f for f in ("complaint_category", "severity") if not values.get(f)]
	validity = values.get("validity") or Validity.PENDING
	if status in DECIDED_STATUSES:
		if validity == Validity.PENDING:
			missing.append("validity")
		if not (values.get("resolution") or "").strip():
			missing.append("resolution")
	if status == Status.REJECTED:
		if validity not in NEGATIVE_VALIDITY:
			missing.append("validity")
		if not (values.get("validity_reason") or "").strip():
			missing.append("validity_reason")
	elif validity in NEGATIVE_VALIDITY and not (values.get("validity_reason") or "").strip():
		missing.append("validity_reason")
	return missing


def is_active_involvement(involved_until: date | None, today: date) -> bool:
	"""An involvement counts until its end date; with no end date it counts for good."""
	return involved_until is None or involved_until >= today


def approval_conflict(approver: str, handlers: Iterable[str], involved: Iterable[str]) -> str | None:
	"""Why ``approver`` may not approve this case, or None if they may."""
	if approver in set(involved):
		return "involved"
	if approver in set(handlers):
		return "handler"
	return None


def is_major(
	*, involves_safety: bool, compensation_claimed: bool, external_party_involved: bool, other: bool
) -> bool:
	"""domain.md "Major complaint": any single criterion makes the complaint major."""
	return bool(involves_safety or compensation_claimed or external_party_involved or other)
