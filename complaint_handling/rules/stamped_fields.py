"""Which fields people may not write: the one declaration, per DocType (child tables included).

21 CFR 11 record integrity, ISO/IEC 17025 §7.9.6: who decided, approved or verified, and when,
comes from the session of the person who acted, never from what a client sends; deadlines and
statuses come from the app's rules. ``security.stamped`` enforces this on every write path (form,
``set_value``, REST, Data Import, child rows, workflow actions); the forms show these read-only.
"""

from collections.abc import Mapping

from complaint_handling.rules import investigation
from complaint_handling.rules.appeals import AppealStatus
from complaint_handling.rules.capa import ActionStatus
from complaint_handling.rules.complaint import APPROVAL_STATUSES, Status

APP = "app"  # set only by the app, or by a named approver through the app's permission-checked method
ONCE = "once"  # a person may record it while it is empty (a phone call, a letter); then it is kept
GRANT = "grant"  # set when the record is created; changed later only by a quality manager
DERIVED = "derived"  # written from the workflow state: a client may send only what the state implies
APPEND = "append"  # a table whose rows are only ever added: none is removed (its rows' fields say the rest)

_COMPLAINT_CLOCKS = (
	"acknowledge_by",
	"acknowledgement_sla_status",
	"respond_by",
	"response_sla_status",
	"resolve_by",
	"resolution_sla_status",
	"sla_status",
)

POLICY: dict[str, dict[str, str]] = {
	"Complaint": {
		"status": DERIVED,
		"is_major": APP,
		"validity_decided_by": APP,
		"validity_decided_on": APP,
		"response_approved_by": APP,
		"closure_approved_by": APP,
		"responded_on": APP,
		"closed_on": APP,
		"closed_for_lack_of_feedback": APP,
		"reopen_count": APP,
		"sla_policy": APP,
		"next_sla_check": APP,
		"calendar_warning": APP,
		**dict.fromkeys(_COMPLAINT_CLOCKS, APP),
		"acknowledged_on": ONCE,
		"first_responded_on": ONCE,
		"sla_pauses": APP,  # a table: rows are added and ended by the app only
		"reply_rounds": APP,  # a table: one row per round of handling, written as the workflow moves
		"tracking_token_hash": APP,  # the public channel issues the complainant's tracking link
		# the complainant's answer to the restatement of an oral complaint (intake/restatement.py)
		"restatement_status": APP,
		"restatement_sent_on": APP,
		"restatement_confirm_by": APP,
		"restatement_confirmed_on": APP,
		"restatement_correction": APP,
		# counted from Received On when each step is recorded (service_levels/working_hours.py)
		"working_hours_to_acknowledge": APP,
		"working_hours_to_respond": APP,
		"working_hours_to_close": APP,
		"satisfaction_recorded_on": APP,  # when the complainant's satisfaction was recorded (intake/satisfaction.py)
	},
	# read from the linked ERPNext document on every save (intake/loss.py)
	"Complaint Loss Document": {"amount": APP, "posting_date": APP},
	# written when a quality manager sends the survey and as complainants answer (channels/survey.py)
	"Complaint Satisfaction Survey": dict.fromkeys(
		(
			"status",
			"sent_on",
			"sent_by",
			"complaints_count",
			"invitations_count",
			"responses_count",
			"satisfied_count",
			"partly_satisfied_count",
			"not_satisfied_count",
			"no_address_count",
		),
		APP,
	),
	"Complaint Deadline Extension": {
		"status": APP,
		"requested_by": APP,
		"decided_by": APP,
		"decided_on": APP,
	},
	"Complaint SLA Pause": {"paused_on": APP, "resumed_on": APP, "paused_by": APP},
	# counted by intake/letters.py when a progress report goes out (the table itself is APP too)
	"Complaint Reply Round": {"progress_reports": APP, "reply_letter": APP},
	"Complaint Investigation": {
		"status": DERIVED,
		"approved_by": APP,
		"approved_on": APP,
		"complaint": GRANT,
		"investigator": GRANT,
	},
	"Complaint Affected Batch": {"quarantine_entry": APP},
	"CAPA": {
		"status": DERIVED,
		"next_sla_check": APP,
		"proposal_reason": APP,
		"effectiveness_checks": APPEND,
	},
	"CAPA Action": {"completed_on": APP, "completed_by": APP, "added_on": APP},
	# a check, once recorded, is the verifier's finding: a later check is a new row
	"CAPA Effectiveness Check": {
		"verified_by": APP,
		"recorded_on": APP,
		"checked_on": ONCE,
		"result": ONCE,
		"notes": ONCE,
	},
	"Complaint Appeal": {
		"status": DERIVED,
		"complaint": GRANT,
		"panel": GRANT,  # a table: who sits on the panel decides who sees the case
		"window_closes_on": APP,
		"filed_late": APP,
		"late_consent_by": APP,
		"acceptance_due": APP,
		"acceptance_decided_on": APP,
		"acceptance_decided_by": APP,
		"decision_due": APP,
		"decided_on": APP,
		"decided_by": APP,
		"implementation_due": APP,
		"next_sla_check": APP,
	},
	"Complaint Appeal Panel Member": {"user": GRANT},
}

# every status a complaint has once registered
_REGISTERED = frozenset(v for k, v in vars(Status).items() if not k.startswith("_")) - {Status.DRAFT}

# What was recorded, decided or approved: kept while the record stands in one of the statuses, so
# changed again only by the workflow move that leaves them (a quality manager reopening a
# complaint). People may write these fields before then; ended records are kept whole besides
# (engine.workflow.guard_ended_record).
KEPT: dict[str, dict[str, frozenset[str]]] = {
	"Complaint": {
		# the deadlines and the working hours of every step count from it
		"received_on": _REGISTERED,
		# the reply as approved: what the complainant was told
		**dict.fromkeys(("validity", "validity_reason", "resolution"), APPROVAL_STATUSES),
	},
	# the approved findings, whose they are and of which complaint (its validity is taken from them)
	"Complaint Investigation": dict.fromkeys(
		(
			"complaint",
			"investigator",
			"facts",
			"root_cause_method",
			"cause_category",
			"root_cause",
			"responsibility",
			"impact_assessment",
			"conclusion",
			"conclusion_summary",
		),
		frozenset({investigation.APPROVED}),
	),
	# the panel's decision
	"Complaint Appeal": dict.fromkeys(
		("outcome", "decision_reasons"), frozenset({AppealStatus.DECIDED, AppealStatus.CLOSED})
	),
	# a done action: what was done, by whose hand, and its evidence (a row of a CAPA)
	"CAPA Action": dict.fromkeys(
		("action", "action_owner", "evidence", "evidence_attachment"), frozenset({ActionStatus.DONE})
	),
}

# whose kept fields change again once the record is reopened (the refusal says so)
REOPENABLE = frozenset({"Complaint"})


def unkept_fields(doctype: str, before: Mapping, after: Mapping) -> list[str]:
	"""The :data:`KEPT` fields of ``doctype`` that changed from ``before`` (what is stored) to
	``after`` (what is saved), both with their ``status``, while the record stood in a status that
	keeps the field and stays in one."""
	return [
		field
		for field, statuses in KEPT.get(doctype, {}).items()
		if before.get("status") in statuses
		and after.get("status") in statuses
		and not same(before.get(field), after.get(field))
	]


def is_unset(value, default=None) -> bool:
	"""Empty, or what the field holds by default (a new row's Select default, a 0 check)."""
	if value in (None, "", 0, 0.0):
		return True
	return default is not None and str(value) == str(default)


def forged_fields(
	doctype: str,
	before: Mapping | None,
	after: Mapping,
	field_defaults: Mapping[str, object] | None = None,
) -> list[tuple[str, str]]:
	"""The scalar fields of ``doctype`` that a client changed but may not, as (field, kind).

	``before`` is what is stored (None for a new record or row: then anything but the default is a
	change); ``after`` what the client sends. DERIVED fields are left out (the caller derives them);
	GRANT fields count only on a record that already exists; ONCE fields may be filled while empty.
	Table fields are the caller's: it compares their rows with :func:`forged_fields` too.
	"""
	field_defaults = field_defaults or {}
	found = []
	for field, kind in POLICY.get(doctype, {}).items():
		if kind == DERIVED or (field not in after and before is None):
			continue
		old = before.get(field) if before is not None else None
		new = after.get(field)
		if before is None:
			if kind != GRANT and kind != ONCE and not is_unset(new, field_defaults.get(field)):
				found.append((field, kind))
			continue
		if same(old, new):
			continue
		if kind == ONCE and is_unset(old):
			continue
		found.append((field, kind))
	return found


def same(old, new) -> bool:
	"""Equal as stored: None and "" alike, datetimes and dates compared as their text."""
	if is_unset(old) and is_unset(new):
		return True
	return str(old) == str(new)
