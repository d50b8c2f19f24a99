import frappe

from complaint_handling.rules.working_time import WorkingClock
from complaint_handling.service_levels.calendar import get_calendar
from complaint_handling.service_levels.working_hours import STEPS, hours_between


def execute():
	"""Complaints recorded before 0.13 get the working hours to each step they reached, counted on
	the company calendar as it is now (later ones are counted when the step is recorded), without a
	save: the stored hours are the only change."""
	stamps = ", ".join(stamp for _field, stamp in STEPS)
	complaints = frappe.db.sql(
		f"""select name, company, received_on, {stamps} from `tabComplaint`
		where received_on is not null
			and ({" or ".join(f"{stamp} is not null" for _field, stamp in STEPS)})""",
		as_dict=True,
	)
	clocks = {}
	for row in complaints:
		if row.company not in clocks:
			clocks[row.company] = WorkingClock(get_calendar(row.company))
		hours = {
			field: hours_between(clocks[row.company], row.received_on, row[stamp])
			for field, stamp in STEPS
			if row[stamp]
		}
		frappe.db.set_value("Complaint", row.name, hours, update_modified=False)
