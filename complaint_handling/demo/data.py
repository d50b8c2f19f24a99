"""What the demo records: its people and its cases, drawn from the procedures in the domain notes.

Plain data, no database. Every address is under a reserved domain (RFC 2606 ``.example``), so no
mail the demo queues could ever reach a real mailbox.
"""

from dataclasses import dataclass

from complaint_handling.setup import defaults

TAG = "Complaint Demo"  # every record the demo creates carries it: the list views filter on it
DOMAIN = "complaint-demo.example"
OUTBOX = "Complaint Demo Outbox"  # the outgoing Email Account made when the site has none
OUTBOX_SERVER = "smtp.invalid"  # RFC 6761: never resolves, so nothing can leave through it


@dataclass(frozen=True)
class DemoUser:
	key: str
	email: str
	title: str  # the user's last name after "Demo", and what the report calls them
	role: str
	first_step: str  # what to try first, for the report


def _user(key: str, local: str, title: str, role: str, first_step: str) -> DemoUser:
	return DemoUser(key, f"{local}@{DOMAIN}", title, role, first_step)


USERS = (
	_user(
		"intake",
		"intake",
		"Intake Officer",
		defaults.INTAKE,
		"Complaints → Complaint → + Add Complaint, then Register",
	),
	_user(
		"handler", "handler", "Handler", defaults.HANDLER, "Assigned to Me: Acknowledge the registered case"
	),
	_user(
		"qm",
		"quality",
		"Quality Manager",
		defaults.QUALITY_MANAGER,
		"Awaiting Approval: Approve Response; Appeals to Decide",
	),
	_user(
		"investigator",
		"investigator",
		"Investigator",
		defaults.INVESTIGATOR,
		"My Open Investigations: Start Investigation",
	),
	_user(
		"panel",
		"panel",
		"Appeal Panel Member",
		defaults.APPEAL_PANEL,
		"My To Do: the appeal, then Record Decision",
	),
	_user(
		"auditor", "auditor", "Auditor", defaults.AUDITOR, "Complaints workspace: the register and SLA events"
	),
	_user(
		"gm",
		"manager",
		"General Manager",
		defaults.GENERAL_MANAGER,
		"Complaints workspace: major open complaints",
	),
	# often an ordinary employee with no complaint role: the CAPA reaches them by a ToDo and a share
	_user(
		"owner",
		"action.owner",
		"CAPA Action Owner",
		"Employee",
		"My To Do: the CAPA, then Mark My Action Done",
	),
)
USER_EMAILS = tuple(user.email for user in USERS)


def user(key: str) -> str:
	"""The email (user name) of the demo user ``key``."""
	return next(u.email for u in USERS if u.key == key)


# ISO/IEC 17025 7.9: an objection to a test report, raised in writing within 15 days
TEST_REPORT = {
	"subject": "Objection to test report: lead content above limit",
	"channel": "Letter",
	"complaint_category": "Test Report",
	"severity": "II",
	"complainant_name": "Zhang Min",
	"complainant_organisation": "Huaxin Ceramics Co.",
	"complainant_email": "zhang.min@huaxin.example",
	"description": "<p>Report 2026-0417 gives 0.62 mg/L lead for glaze sample B. Our own lab and a "
	"second accredited lab both measured 0.21 mg/L on the retained half of the same sample. We ask "
	"for the result to be re-examined and the report withdrawn if it is wrong.</p>",
	"remedy_sought": "Re-test the retained sample and reissue the report.",
	"days_ago": 3,
}

TEST_REPORT_RESOLUTION = (
	"<p>The retained half, re-tested in duplicate, gave 0.22 and 0.21 mg/L: the first run used a wrong "
	"dilution. Report 2026-0417 is withdrawn and reissued.</p>"
)

# GMP class I: can endanger life or seriously threaten health
DRUG_SAFETY = {
	"subject": "Tablets discoloured, patient reports dizziness",
	"channel": "Phone",
	"complaint_category": "Product Quality",
	"severity": "I",
	"complainant_name": "Wang Fang",
	"complainant_organisation": "Renmin Road Pharmacy",
	"complainant_phone": "+86 21 5555 0188",
	"complainant_email": "wang.fang@renmin-pharmacy.example",
	"description": "<p>A patient returned a blister of 10 mg tablets with brown spots on several tablets "
	"and reported dizziness after taking one. The pharmacy has quarantined the remaining stock.</p>",
	"batch_no": "B2604-117",
	"expiry_date_in_days": 540,
	"manufacturer": "Own manufacture",
	"involves_safety": 1,
	"major_reason": "Possible adverse drug reaction; safety involved.",
	"remedy_sought": "Investigate the batch and advise whether to recall.",
	# read back on the phone; the pharmacist wants it in writing before confirming
	"restatement": "A patient returned 10 mg tablets of batch B2604-117 with brown spots on several "
	"tablets and felt dizzy after taking one. The pharmacy has set the rest of its stock aside and "
	"asks us to investigate the batch and say whether to recall it.",
	"days_ago": 1,
}

# car dealership service complaint (level 2: staff attitude or error)
CAR_SERVICE = {
	"subject": "Car returned from service with a scratched door",
	"channel": "Walk-in",
	"complaint_category": "Service Behaviour",
	"severity": "III",
	"complainant_name": "Liu Yang",
	"complainant_phone": "+86 10 5555 0123",
	"complainant_email": "liu.yang@mail.example",
	"description": "<p>After the 30,000 km service the front left door has a 15 cm scratch that was not "
	"there before. The service advisor said it must have happened elsewhere.</p>",
	"remedy_sought": "Repaint the door at no cost and an apology from the advisor.",
	"restatement": "Your car came back from the 30,000 km service with a 15 cm scratch on the front "
	"left door that was not there before; you want the door repainted at our cost and an apology.",
	"restatement_confirmed_orally": 1,
	"compensation_claimed": 1,
	"major_reason": "Customer claims compensation for the repair.",
	"days_ago": 0,
}

LATE_DELIVERY = {
	"subject": "Reagent delivery two weeks late, testing stopped",
	"channel": "Email",
	"complaint_category": "Delivery Delay",
	"severity": "III",
	"complainant_name": "Chen Jie",
	"complainant_organisation": "Eastbay Water Laboratory",
	"complainant_email": "chen.jie@eastbay-lab.example",
	"description": "<p>Order 4471 of ICP calibration standards was promised for 3 March and arrived on "
	"17 March. We had to stop metals testing for a week and tell two clients their results would be "
	"late.</p>",
	"remedy_sought": "Credit for the delay and a firm delivery date for the standing order.",
	"days_ago": 9,
}
LATE_DELIVERY_RESOLUTION = (
	"<p>The carrier held the parcel at its hub for nine days. We credited 10 % of order 4471 and moved "
	"the standing order to our express carrier.</p>"
)

DOUBLE_INVOICE = {
	"subject": "Invoice charged twice for one shipment",
	"channel": "Email",
	"complaint_category": "Billing",
	"severity": "III",
	"complainant_name": "Sun Li",
	"complainant_organisation": "Northgate Clinics",
	"complainant_email": "sun.li@northgate.example",
	"description": "<p>Shipment 8812 was invoiced twice, on two invoice numbers, and both were debited "
	"from our account.</p>",
	"remedy_sought": "Refund the second debit.",
	"days_ago": 14,
}
DOUBLE_INVOICE_RESOLUTION = "<p>The second invoice was cancelled and the debit refunded on the same day.</p>"
DOUBLE_INVOICE_CAPA = {
	"title": "Duplicate invoices from the order import",
	"capa_type": "Corrective",
	"problem_statement": "<p>The nightly order import created a second invoice for shipment 8812 after a "
	"time-out, and both were debited.</p>",
	"root_cause": "The import retries a timed-out order without checking whether its invoice exists.",
	"action": "Make the order import skip orders that already have an invoice, and test it with a forced time-out.",
	"due_in_days": 14,
	"effectiveness_criterion": "No duplicate invoice in the next three months of imports.",
	"closure_reason": "The customer is refunded; the import fix is tracked in the CAPA.",
}

SPARE_PART = {
	"subject": "Spare pump refused under warranty",
	"channel": "Letter",
	"complaint_category": "Spare Parts",
	"severity": "III",
	"complainant_name": "Zhao Lei",
	"complainant_organisation": "Riverside Dairy",
	"complainant_email": "zhao.lei@riverside-dairy.example",
	"description": "<p>The replacement pump for our filling line failed after six weeks. Your service desk "
	"refused the warranty claim, saying the seal had been damaged by us.</p>",
	"remedy_sought": "Replace the pump under warranty.",
	"days_ago": 20,
}
SPARE_PART_REFUSAL = (
	"The seal shows impact marks from installation; the warranty excludes installation damage."
)
SPARE_PART_APPEAL = {
	"appellant_name": "Zhao Lei",
	"on_behalf_of": "Riverside Dairy",
	"appellant_email": "zhao.lei@riverside-dairy.example",
	"grounds": "<p>The pump was installed by your own technician, whose report notes no damage. The seal "
	"must have failed in use.</p>",
	"remedy_sought": "Review the refusal and replace the pump under warranty.",
}

# the three complaints a demo without users registers, as the first demo did
REGISTERED_ONLY = (TEST_REPORT, DRUG_SAFETY, CAR_SERVICE)
