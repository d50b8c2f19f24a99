"""The demo's surroundings: the company its cases belong to, the company's Holiday List, the
complaint working hours, an outgoing Email Account that only queues, and the category handlers.

Each step keeps what the site already has (the admin's configuration is never overwritten) and
reports what it used or made.
"""

from datetime import date

import frappe
from frappe import _
from frappe.utils import cint, get_time, getdate, nowdate

from complaint_handling.complaint_handling.doctype.complaint_category.complaint_category import (
	assignment_rule_name,
)
from complaint_handling.demo import marks
from complaint_handling.demo.data import DOMAIN, OUTBOX, OUTBOX_SERVER
from complaint_handling.demo.report import DemoError
from complaint_handling.setup import defaults

# ------------------------------------------------------------------ the company


def resolve_company(name: str | None = None) -> str:
	"""The company the demo's cases belong to: ``name`` if given, else the default company of
	Complaint Settings, else the site's default company, else its first company.

	Raises DemoError when ``name`` does not exist or the site has no company at all: ERPNext's
	setup wizard makes the first one, and a company made without it would leave the site half set
	up (no fiscal year, currency or chart of accounts) with the wizard still to come."""
	if name:
		if frappe.db.exists("Company", name):
			return name
		raise DemoError(
			_("There is no company {0} on this site: name one of {1}.").format(
				name, ", ".join(frappe.get_all("Company", pluck="name")) or "-"
			)
			if frappe.db.count("Company")
			else no_company_message()
		)
	candidates = (
		frappe.db.get_single_value("Complaint Settings", "default_company"),
		frappe.defaults.get_global_default("company"),
		*frappe.get_all("Company", pluck="name", order_by="creation asc", limit=1),
	)
	for candidate in candidates:
		# the defaults are cached and may name a company since deleted
		if candidate and frappe.db.exists("Company", candidate):
			return candidate
	raise DemoError(no_company_message())


def no_company_message() -> str:
	return _(
		"This site has no company yet: finish ERPNext's setup wizard (log in to the desk as Administrator) or create a Company, then run the demo again."
	)


# ------------------------------------------------------------------ working time


def ensure_holiday_list(company: str) -> str:
	"""The company's Holiday List: its own if it has one, else a demo list (weekends and, where
	the ``holidays`` library knows the company's country, its public holidays) covering this year
	and next, made the company's default. Returns a line for the report."""
	own = frappe.db.get_value("Company", company, "default_holiday_list")
	if own and own not in marks.tagged("Holiday List"):
		return _("Holiday List: {0}, the company's own.").format(own)
	year = getdate(nowdate()).year
	start, end = date(year, 1, 1), date(year + 1, 12, 31)
	name = f"Complaint Demo Holidays {year}-{year + 1}"
	if not frappe.db.exists("Holiday List", name):
		holiday_list = frappe.get_doc(
			{"doctype": "Holiday List", "holiday_list_name": name, "from_date": start, "to_date": end}
		)
		for day in ("Saturday", "Sunday"):
			holiday_list.weekly_off = day
			holiday_list.get_weekly_off_dates()
		add_public_holidays(holiday_list, company)
		holiday_list.insert(ignore_permissions=True)
		marks.tag("Holiday List", name)
	# a configuration link, not a business field: Company's own save would re-run ERPNext's setup
	# checks of the whole company for it
	frappe.db.set_value("Company", company, "default_holiday_list", name, update_modified=False)
	frappe.clear_document_cache("Company", company)
	return _("Holiday List: {0}, made the default of {1}.").format(name, company)


def add_public_holidays(holiday_list, company: str) -> None:
	country = frappe.db.get_value("Company", company, "country")
	code = country and frappe.db.get_value("Country", country, "code")
	if not code:
		return
	holiday_list.country = code.upper()
	try:
		holiday_list.get_local_holidays()
	except Exception:
		# a country the holidays library does not know: weekends only
		holiday_list.country = None


def ensure_working_hours() -> str:
	"""Complaint Settings working hours: the site's if it has any, else the app's seeded Monday to
	Friday, 09:00 to 17:00 (noted, so that ``--remove`` takes them out again)."""
	settings = frappe.get_single("Complaint Settings")
	if not settings.working_hours:
		settings.set("working_hours", defaults.WORKING_HOURS)
		settings.save(ignore_permissions=True)
		marks.note(working_hours=True)
	spans = {}
	for row in settings.working_hours:
		span = "{}-{}".format(*(get_time(t).strftime("%H:%M") for t in (row.start_time, row.end_time)))
		spans.setdefault(span, []).append(_(row.weekday))
	return _("Working hours: {0}.").format(
		"; ".join(f"{', '.join(days)} {span}" for span, days in spans.items())
	)


def ensure_workspace_setup() -> str | None:
	"""Frappe asks every desk user to finish the workspace setup (Workspace Settings) until a System
	Manager has, and only a System Manager may read it: each demo user would meet a "Not permitted"
	dialog at every login. Marked done when it is not (noted, so that ``--remove`` asks again); the
	line to report, or None when it was done already."""
	if frappe.db.get_single_value("Workspace Settings", "workspace_setup_completed"):
		return None
	frappe.db.set_single_value("Workspace Settings", "workspace_setup_completed", 1)
	marks.note(workspace_setup=True)
	return _(
		"Workspace setup: marked done, so that the demo users are not asked for it (only a System Manager may do it)."
	)


# ------------------------------------------------------------------ mail


def ensure_outbox() -> str:
	"""Mail the demo causes must wait in the Email Queue, never leave. On a site without an
	outgoing Email Account, the demo adds one whose server cannot exist and suspends sending, so
	the queue keeps every message unsent for the evaluator to read (Email Queue list). A site with
	its own account keeps it: the demo's addresses are all under reserved domains."""
	own = frappe.db.get_value("Email Account", {"enable_outgoing": 1, "default_outgoing": 1})
	if own and own != OUTBOX:
		return _(
			"Outgoing mail: through your account {0}; the demo writes only to addresses under reserved .example domains, which no mail server delivers to."
		).format(own)
	if not own:
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": OUTBOX,
				"email_id": f"complaints@{DOMAIN}",
				"service": "",
				"smtp_server": OUTBOX_SERVER,
				"smtp_port": 25,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"no_smtp_authentication": 1,
				"awaiting_password": 0,
			}
		).insert(ignore_permissions=True)
		marks.tag("Email Account", OUTBOX)
	if not cint(frappe.db.get_default("suspend_email_queue")):
		frappe.db.set_default("suspend_email_queue", 1)
		marks.note(suspended_queue=True)
	return _(
		"Outgoing mail: account {0}, sending suspended; the demo's mail waits in the Email Queue."
	).format(OUTBOX)


def ensure_review_reports() -> str | None:
	"""The monthly Auto Email Reports of the register and the trends, which install schedules once
	the site has a quality manager and an outgoing Email Account (``setup.install.
	seed_review_reports``): the demo has made both, so they are scheduled now if the site had none
	(tagged, so that ``--remove`` deletes them). The line to report, or None."""
	from complaint_handling.setup.install import seed_review_reports

	before = set(frappe.get_all("Auto Email Report", pluck="name"))
	seed_review_reports()
	made = sorted(set(frappe.get_all("Auto Email Report", pluck="name")) - before)
	for name in made:
		marks.tag("Auto Email Report", name)
	if not made:
		return None
	return _("Sent monthly to the quality managers (Auto Email Report): {0}.").format(", ".join(made))


# ------------------------------------------------------------------ routing


def add_handler(handler: str) -> str:
	"""Make ``handler`` a handler of every enabled category (after any the category has), which
	enables the category's Assignment Rule. Returns a line for the report."""
	added = []
	for name in frappe.get_all("Complaint Category", filters={"disabled": 0}, pluck="name", order_by="name"):
		category = frappe.get_doc("Complaint Category", name)
		if handler not in {row.user for row in category.users}:
			# round robin goes on from the rule's last user: --remove puts the site's back
			rule = assignment_rule_name(name)
			marks.note(last_users={rule: frappe.db.get_value("Assignment Rule", rule, "last_user") or ""})
			category.append("users", {"user": handler})
			category.save(ignore_permissions=True)
			added.append(name)
	if not added:
		return _("Category handlers: {0} already handles every category.").format(handler)
	return _("Category handlers: {0} added to {1}.").format(handler, ", ".join(added))
