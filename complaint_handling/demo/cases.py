"""The demo's cases, each taken to its state through the app's workflow by the person whose job
that step is, so the record, its history, deadlines, mail and assignments are real."""

from datetime import datetime

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import add_days, add_to_date, get_fullname, now_datetime, today

from complaint_handling.demo import data, marks
from complaint_handling.demo.people import acting_as
from complaint_handling.demo.report import Report
from complaint_handling.engine.workflow import transition_to
from complaint_handling.rules.complaint import Status, Validity

# the appealed refusal is Administrator's: whoever decided a case may not accept or judge its
# appeal (ISO/IEC 17065 7.13), and the demo has one quality manager, who must be free to do so
ORIGINAL_DECIDER = "Administrator"


# ------------------------------------------------------------------ steps


def reload(doc):
	return frappe.get_doc(doc.doctype, doc.name)


def move(doc, status: str, user: str):
	"""Take, as ``user``, the workflow action of ``doc`` that leads to ``status``."""
	with acting_as(user):
		return transition_to(reload(doc), status)


def edit(doc, user: str, **values):
	"""Change ``values`` on ``doc`` and save, as ``user``."""
	with acting_as(user):
		doc = reload(doc)
		doc.update(values)
		doc.save()
		return doc


def received_on(days_ago: int) -> datetime:
	return add_to_date(now_datetime(), days=-days_ago, hours=-1)


def record(values: dict, company: str, user: str):
	"""A draft complaint from one of the data entries, inserted as ``user`` and tagged."""
	values = dict(values)
	received = received_on(values.pop("days_ago"))
	if expiry_in := values.pop("expiry_date_in_days", None):
		values["expiry_date"] = add_days(received, expiry_in)
	with acting_as(user):
		complaint = frappe.get_doc(
			{"doctype": "Complaint", "company": company, "received_on": received, **values}
		).insert()
	marks.tag("Complaint", complaint.name)
	if complaint.complainant:
		marks.tag("Complainant", complaint.complainant)
	return complaint


def hand_to(complaint, handler: str) -> None:
	"""The demo handler holds the case. The category's rule assigned it on registration; on a
	site whose categories have handlers of their own, the rule may have chosen one of them."""
	assigned = set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": complaint.doctype, "reference_name": complaint.name, "status": "Open"},
			pluck="allocated_to",
		)
	)
	if handler in assigned:
		return
	for other in assigned:
		assign_to.remove(complaint.doctype, complaint.name, other, ignore_permissions=True)
	assign_to.add(
		{"assign_to": [handler], "doctype": complaint.doctype, "name": complaint.name},
		ignore_permissions=True,
	)


# ------------------------------------------------------------------ the cases


def register_only(company: str, report: Report) -> None:
	"""Without demo users: the three classic complaints, registered by Administrator."""
	for values in data.REGISTERED_ONLY:
		complaint = move(record(values, company, "Administrator"), Status.REGISTERED, "Administrator")
		say(report, complaint)


def seed_with_users(company: str, report: Report) -> None:
	"""One case in each state, so that each demo user finds work waiting."""
	DemoCases(company, report).seed()


class DemoCases:
	"""The six cases, each built from the steps its people take."""

	def __init__(self, company: str, report: Report):
		self.company, self.report = company, report
		self.intake, self.handler, self.qm = data.user("intake"), data.user("handler"), data.user("qm")

	def seed(self) -> None:
		self.awaiting_acknowledgement()
		self.under_investigation()
		self.awaiting_approval()
		self.awaiting_feedback()
		self.closed_with_capa()
		self.under_appeal()

	# the steps

	def registered(self, values: dict):
		complaint = move(record(values, self.company, self.intake), Status.REGISTERED, self.intake)
		hand_to(complaint, self.handler)
		return complaint

	def investigating(self, values: dict):
		complaint = move(self.registered(values), Status.ACKNOWLEDGED, self.handler)
		return move(complaint, Status.UNDER_INVESTIGATION, self.handler)

	def decided(self, values: dict, resolution: str):
		complaint = self.investigating(values)
		complaint = edit(complaint, self.handler, validity=Validity.ACCEPTED, resolution=resolution)
		return move(complaint, Status.PENDING_APPROVAL, self.handler)

	def responded(self, values: dict, resolution: str):
		return move(self.decided(values, resolution), Status.RESPONDED, self.qm)

	# the cases

	def awaiting_acknowledgement(self) -> None:
		complaint = self.registered(data.CAR_SERVICE)
		next_step = _("{0}: Acknowledge, then Start Investigation").format(get_fullname(self.handler))
		say(self.report, complaint, next_step)

	def under_investigation(self) -> None:
		complaint = self.investigating(data.DRUG_SAFETY)
		investigator = data.user("investigator")
		investigation = open_investigation(complaint, self.handler, investigator)
		next_step = _("{0}: investigation {1}, Start Investigation").format(
			get_fullname(investigator), investigation
		)
		say(self.report, complaint, next_step)

	def awaiting_approval(self) -> None:
		complaint = self.decided(data.TEST_REPORT, data.TEST_REPORT_RESOLUTION)
		say(self.report, complaint, _("{0}: Approve Response or Send Back").format(get_fullname(self.qm)))

	def awaiting_feedback(self) -> None:
		complaint = self.responded(data.LATE_DELIVERY, data.LATE_DELIVERY_RESOLUTION)
		next_step = _("{0}: record the customer's feedback; {1}: Close").format(
			get_fullname(self.handler), get_fullname(self.qm)
		)
		say(self.report, complaint, next_step)

	def closed_with_capa(self) -> None:
		"""Closed while its CAPA runs on: a quality manager records why it may."""
		complaint = self.responded(data.DOUBLE_INVOICE, data.DOUBLE_INVOICE_RESOLUTION)
		owner = data.user("owner")
		capa = raise_capa(complaint, self.qm, owner)
		reason = data.DOUBLE_INVOICE_CAPA["closure_reason"]
		complaint = move(edit(complaint, self.qm, open_capa_closure_reason=reason), Status.CLOSED, self.qm)
		next_step = _("{0}: CAPA {1}, Mark My Action Done").format(get_fullname(owner), capa)
		say(self.report, complaint, next_step, state=_("Closed, CAPA {0} open").format(capa))

	def under_appeal(self) -> None:
		"""Refused as not substantiated; the complainant appeals and a panel is appointed."""
		complaint = edit(
			self.investigating(data.SPARE_PART),
			self.handler,
			validity=Validity.NOT_SUBSTANTIATED,
			validity_reason=data.SPARE_PART_REFUSAL,
		)
		complaint = move(complaint, Status.REJECTED, ORIGINAL_DECIDER)
		panel = data.user("panel")
		appeal = file_appeal(complaint, self.intake, self.qm, panel)
		next_step = _("{0}: appeal {1}, Record Decision").format(get_fullname(panel), appeal)
		state = _("Rejected by {0}, appeal {1} accepted").format(ORIGINAL_DECIDER, appeal)
		say(self.report, complaint, next_step, state=state)


def open_investigation(complaint, handler: str, investigator: str) -> str:
	"""The handler opens the investigation and names the investigator, who gets it as a ToDo."""
	with acting_as(handler):
		investigation = frappe.get_doc(
			{"doctype": "Complaint Investigation", "complaint": complaint.name, "investigator": investigator}
		).insert()
	marks.tag(investigation.doctype, investigation.name)
	return investigation.name


def raise_capa(complaint, qm: str, owner: str) -> str:
	"""The quality manager raises a CAPA from the complaint and starts it: the action owner gets
	it as a ToDo and a read-only share."""
	values = data.DOUBLE_INVOICE_CAPA
	with acting_as(qm):
		capa = frappe.get_doc(
			{
				"doctype": "CAPA",
				"title": values["title"],
				"capa_type": values["capa_type"],
				"company": complaint.company,
				"responsible": qm,
				"raised_on": today(),
				"source_doctype": "Complaint",
				"source_name": complaint.name,
				"complaints": [{"complaint": complaint.name}],
				"problem_statement": values["problem_statement"],
				"root_cause": values["root_cause"],
				"effectiveness_criterion": values["effectiveness_criterion"],
				"actions": [
					{
						"action": values["action"],
						"action_owner": owner,
						"due_date": add_days(today(), values["due_in_days"]),
					}
				],
			}
		).insert()
	marks.tag(capa.doctype, capa.name)
	return move(capa, "Open", qm).name


def file_appeal(complaint, intake: str, qm: str, panel: str) -> str:
	"""The complainant appeals the refusal: the intake officer records and registers it, the
	quality manager appoints the panel and accepts it, and the panel member gets it as a ToDo."""
	with acting_as(intake):
		appeal = frappe.get_doc(
			{
				"doctype": "Complaint Appeal",
				"complaint": complaint.name,
				"filed_on": now_datetime(),
				**data.SPARE_PART_APPEAL,
			}
		).insert()
	marks.tag(appeal.doctype, appeal.name)
	if appeal.appellant:
		marks.tag("Appellant", appeal.appellant)
	appeal = move(appeal, "Received", intake)
	appeal = edit(appeal, qm, panel=[{"user": panel, "panel_role": "Chair"}])
	return move(appeal, "Accepted", qm).name


def say(report: Report, complaint, next_step: str | None = None, state: str | None = None) -> None:
	"""One line per case for the report (its number, state and subject), and who acts next."""
	report.made(complaint.doctype, complaint.name)
	report.say(f"  {complaint.name}  {state or _(complaint.status)}: {complaint.subject}")
	if next_step:
		report.say(f"      → {next_step}")
