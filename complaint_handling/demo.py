"""Seed a few realistic complaints drawn from the procedures in the domain notes.

    bench --site <site> execute complaint_handling.demo.seed

Idempotent: a complaint whose subject already exists is skipped.
"""

import frappe
from frappe.utils import add_days, add_to_date, now_datetime

from complaint_handling.engine.workflow import transition_to
from complaint_handling.rules.complaint import Status

DEMO_COMPLAINTS = [
	{
		# ISO/IEC 17025 7.9: an objection to a test report, raised in writing within 15 days
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
	},
	{
		# GMP class I: can endanger life or seriously threaten health
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
		"days_ago": 1,
	},
	{
		# car dealership service complaint (level 2: staff attitude or error)
		"subject": "Car returned from service with a scratched door",
		"channel": "Walk-in",
		"complaint_category": "Service Behaviour",
		"severity": "III",
		"complainant_name": "Liu Yang",
		"complainant_phone": "+86 10 5555 0123",
		"description": "<p>After the 30,000 km service the front left door has a 15 cm scratch that was not "
		"there before. The service advisor said it must have happened elsewhere.</p>",
		"remedy_sought": "Repaint the door at no cost and an apology from the advisor.",
		"compensation_claimed": 1,
		"major_reason": "Customer claims compensation for the repair.",
		"days_ago": 0,
	},
]


def seed():
	company = frappe.defaults.get_global_default("company")
	for values in DEMO_COMPLAINTS:
		values = dict(values)
		if frappe.db.exists("Complaint", {"subject": values["subject"]}):
			continue
		received = add_to_date(now_datetime(), days=-values.pop("days_ago"), hours=-1)
		if expiry_in := values.pop("expiry_date_in_days", None):
			values["expiry_date"] = add_days(received, expiry_in)
		complaint = frappe.get_doc(
			{"doctype": "Complaint", "company": company, "received_on": received, **values}
		)
		complaint.insert()
		transition_to(complaint, Status.REGISTERED)
		print(f"{complaint.name}: {complaint.subject}")
	frappe.db.commit()
