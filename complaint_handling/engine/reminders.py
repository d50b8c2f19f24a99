"""The app's one reminder engine: complaint SLA clocks, CAPA action due dates and appeal
deadlines all run on it, and it knows none of them.

Each DocType that has deadlines contributes an :class:`AlertSource` and names it in the
``complaint_alert_sources`` hook (``hooks.py``, read with ``frappe.get_hooks``, so another app can
add its own). Every ten minutes :func:`sweep` asks each source for the events due on the
documents whose indexed ``next_sla_check`` has come, claims each event once in Complaint SLA
Event, mails one digest per person and leaves a desk notification per document.
"""

from collections import defaultdict
from datetime import datetime

import frappe
from frappe import _
from frappe.utils import format_datetime, get_url_to_form, now_datetime

from complaint_handling.engine.messaging import can_email, render_template
from complaint_handling.rules.service_levels import Event, EventKind, due_events, next_check

EVENT_DOCTYPE = "Complaint SLA Event"


class AlertSource:
	"""What one DocType contributes to the sweep."""

	doctype: str
	fields: tuple[str, ...] = ()
	# events acted on one document at a time, in their own savepoint (closing, writing to customers)
	document_kinds: frozenset[str] = frozenset()

	def prepare(self, rows: list) -> None:
		"""Load, in a few queries, whatever ``events`` needs beyond the selected columns."""

	def events(self, row) -> list[Event]:
		raise NotImplementedError

	def recipients(self, row, event) -> list[str]:
		raise NotImplementedError

	def clock_label(self, event) -> str:
		return _(event.clock)

	def describe(self, row, event) -> str:
		"""The line in digests and desk notifications."""
		if event.kind == EventKind.REMINDER:
			return _("{0}: {1} due {2}").format(
				row.name, self.clock_label(event), format_datetime(event.deadline)
			)
		return _("{0}: {1} overdue since {2} (escalation level {3})").format(
			row.name, self.clock_label(event), format_datetime(event.deadline), event.level
		)

	def on_claimed(self, alerts: list) -> None:
		"""Record on the documents what the claimed events changed (statuses)."""

	def act(self, row, event) -> None:
		"""Handle one of ``document_kinds``."""


def send_due_alerts() -> None:
	"""Scheduled job: reminders before deadlines, breaches, escalations, closure without feedback."""
	sweep(now_datetime())


def sweep(now: datetime, commit: bool = True) -> None:
	"""Act on every event due by ``now`` (system time zone, naive) for every registered source.
	``commit=False`` leaves the transaction to the caller."""
	frappe.local.complaint_role_users = {}  # who holds a role, looked up once per sweep
	try:
		for source in alert_sources():
			sweep_source(source, now, commit)
	finally:
		frappe.local.complaint_role_users = None


def alert_sources() -> list[AlertSource]:
	"""One instance of each class named in the ``complaint_alert_sources`` hook, in hook order."""
	return [frappe.get_attr(path)() for path in frappe.get_hooks("complaint_alert_sources")]


def sweep_source(source: AlertSource, now: datetime, commit: bool = True) -> None:
	"""Selects only documents whose ``next_sla_check`` has come (one indexed query). Each event is
	claimed by inserting its key before anything is sent: a concurrent run waits on the same key
	and then skips it, so every event happens exactly once. A failure on one document is logged
	and the others go on."""
	rows = frappe.get_all(
		source.doctype,
		filters={"next_sla_check": ("<=", now)},
		fields=["name", "next_sla_check", *source.fields],
		order_by="next_sla_check asc",
	)
	if not rows:
		return

	source.prepare(rows)
	done = done_keys([row.name for row in rows])
	alerts, document_events, next_checks = [], [], {}
	for row in rows:
		try:
			events = source.events(row)
			due = due_events(events, done, now)
			row_alerts = [
				(row, event, source.recipients(row, event))
				for event in due
				if event.kind not in source.document_kinds
			]
			next_checks[row.name] = next_check(events, done | {e.key for e in due})
		except Exception:
			frappe.log_error(
				title=_("{0} deadline check failed").format(_(source.doctype)),
				reference_doctype=source.doctype,
				reference_name=row.name,
			)
			next_checks[row.name] = None  # not retried every run: saving the document re-arms it
			continue
		alerts += row_alerts
		document_events += [(row, event) for event in due if event.kind in source.document_kinds]

	claimed = claim(source.doctype, [(row, event) for row, event, _users in alerts], now)
	alerts = [alert for alert in alerts if alert[1].key in claimed]
	notify(source, alerts)
	source.on_claimed(alerts)
	set_next_checks(source.doctype, next_checks)
	if commit:
		frappe.db.commit()

	for row, event in document_events:
		act_on_document(source, row, event, now, commit)


def done_keys(names: list[str]) -> set[str]:
	return set(frappe.get_all(EVENT_DOCTYPE, filters={"reference_name": ("in", names)}, pluck="name"))


def claim(doctype: str, due: list, now: datetime) -> set[str]:
	"""Insert the events' keys; return those this run inserted (a concurrent run gets none)."""
	if not due:
		return set()
	run_id = frappe.generate_hash(length=16)
	insert_rows(
		EVENT_DOCTYPE,
		[
			"name",
			"reference_doctype",
			"reference_name",
			"clock",
			"event",
			"level",
			"due_at",
			"processed_on",
			"run_id",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			(
				e.key,
				doctype,
				row.name,
				e.clock,
				e.kind,
				e.level,
				e.at,
				now,
				run_id,
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for row, e in due
		],
		ignore_duplicates=True,
	)
	return set(frappe.get_all(EVENT_DOCTYPE, filters={"run_id": run_id}, pluck="name"))


def insert_rows(doctype: str, fields: list[str], rows: list[tuple], ignore_duplicates: bool = False) -> None:
	"""One multi-row INSERT per 500 rows, with bound values (frappe.db.bulk_insert builds its SQL
	through pypika, which costs more than the sweep itself at a thousand rows)."""
	columns = ", ".join(f"`{field}`" for field in fields)
	row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
	verb = "INSERT IGNORE" if ignore_duplicates else "INSERT"
	for start in range(0, len(rows), 500):
		chunk = rows[start : start + 500]
		frappe.db.sql(
			f"{verb} INTO `tab{doctype}` ({columns}) VALUES {', '.join([row_marks] * len(chunk))}",
			[value for row in chunk for value in row],
		)


def record_event(doctype: str, name: str, key: str, kind: str, due_at, clock=None, recipients=None) -> None:
	"""Claim one event through the document model; raises DuplicateEntryError if it was claimed."""
	frappe.get_doc(
		{
			"doctype": EVENT_DOCTYPE,
			"name": key,
			"reference_doctype": doctype,
			"reference_name": name,
			"clock": clock,
			"event": kind,
			"due_at": due_at,
			"processed_on": now_datetime(),
			"recipients": ", ".join(recipients or []),
		}
	).insert(ignore_permissions=True)


def set_next_checks(doctype: str, next_checks: dict) -> None:
	"""Scheduling state, written directly (as ERPNext's SLA job does): one UPDATE per 500 rows."""
	items = list(next_checks.items())
	table = f"tab{doctype}"
	for start in range(0, len(items), 500):
		chunk = items[start : start + 500]
		cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
		placeholders = ", ".join(["%s"] * len(chunk))
		values = [value for name, moment in chunk for value in (name, moment)] + [name for name, _ in chunk]
		frappe.db.sql(
			f"UPDATE `{table}` SET `next_sla_check` = CASE `name` {cases} END WHERE `name` IN ({placeholders})",
			values,
		)


def act_on_document(source: AlertSource, row, event, now: datetime, commit: bool) -> None:
	"""Claim and handle one document event in its own savepoint; a duplicate means another run did."""
	frappe.db.savepoint("complaint_document_event")
	try:
		record_event(source.doctype, row.name, event.key, event.kind, event.at, clock=event.clock)
		source.act(row, event)
	except frappe.DuplicateEntryError:
		frappe.db.rollback(save_point="complaint_document_event")
		return
	except Exception:
		frappe.db.rollback(save_point="complaint_document_event")
		frappe.log_error(
			title=_("{0} on {1} failed").format(_(event.kind), _(source.doctype)),
			reference_doctype=source.doctype,
			reference_name=row.name,
		)
		return
	if commit:
		frappe.db.commit()


def notify(source: AlertSource, alerts: list) -> None:
	"""One email per person with every document that needs them, and a desk notification each."""
	per_user = defaultdict(list)
	items = {}  # each event described once, however many people hear of it
	for row, event, users in alerts:
		for user in users:
			if event.key not in items:
				items[event.key] = digest_item(source, row, event)
			per_user[user].append(items[event.key])
	if not per_user:
		return

	if can_email(_("a deadline alert"), source.doctype):
		for user, user_items in per_user.items():
			send_digest(source, user, user_items)
	now = now_datetime()
	insert_rows(
		"Notification Log",
		[
			"name",
			"subject",
			"for_user",
			"type",
			"document_type",
			"document_name",
			"from_user",
			"read",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			(
				frappe.generate_hash(length=12),
				item["line"],
				user,
				"Alert",
				source.doctype,
				item["name"],
				"Administrator",
				0,
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for user, user_items in per_user.items()
			for item in user_items
		],
	)


def digest_item(source: AlertSource, row, event) -> dict:
	"""What an Email Template sees of one event (``items`` in its context)."""
	return {
		"doctype": _(source.doctype),
		"name": row.name,
		"subject": row.get("subject") or row.get("title") or "",
		"clock": source.clock_label(event),
		"event": event.kind,
		"level": event.level,
		"deadline": format_datetime(event.deadline) if event.deadline else "",
		"url": get_url_to_form(source.doctype, row.name),
		"line": source.describe(row, event),
	}


def send_digest(source: AlertSource, user: str, items: list[dict]) -> None:
	context = {"recipient": frappe.utils.get_fullname(user), "items": items}
	subject, message = render_template(
		frappe.get_cached_doc("Complaint Settings").sla_alert_template, context
	)
	frappe.sendmail(
		recipients=[frappe.get_cached_value("User", user, "email") or user],
		subject=subject or _("{0} deadline(s) need your attention").format(len(items)),
		message=message or "<br>".join(item["line"] for item in items),
		reference_doctype=source.doctype,
		reference_name=items[0]["name"],
	)
