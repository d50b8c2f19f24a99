"""A demo to try the app with: realistic complaints and, with users, one person per role who
finds work waiting. Run it as a bench command (``complaint_handling/commands.py``):

    bench --site <site> complaint-demo [--with-users] [--company NAME]
    bench --site <site> complaint-demo --remove

Each run adds its records again (a site that already holds complaints, or an earlier demo, is no
obstacle); ``--remove`` takes every demo record and user away again. See README, "Demo".
"""

import frappe
from frappe import _
from frappe.utils import get_url

from complaint_handling.demo import cases, data, people, removal, workplace
from complaint_handling.demo.report import DemoError, Report

__all__ = ["DemoError", "Report", "perform", "remove", "run", "seed"]


def run(company: str | None = None, with_users: bool = False) -> Report:
	"""Seed the demo on the connected site and return what it did; commits nothing (see
	:func:`perform`).

	``company``: the company of the cases (default: Complaint Settings' default company, else the
	site's default, else its first). ``with_users``: also one user per role, the company's Holiday
	List, working hours, an outgoing account that only queues, the category handlers, and a case
	in each state; otherwise three complaints, registered.
	Raises DemoError when the site has no such company (or none at all, before ERPNext's setup
	wizard), or, with users, no System Manager of its own.
	"""
	company = workplace.resolve_company(company)
	if with_users:
		people.require_own_system_manager(frappe.local.site)
	frappe.set_user("Administrator")
	report = Report()
	report.say(_("Company: {0}").format(company))
	if not with_users:
		report.say(_("Complaints:"))
		cases.register_only(company, report)
		report.say(
			_(
				"A user per role and a case in every state: bench --site {0} complaint-demo --with-users"
			).format(frappe.local.site)
		)
		return report

	people.ensure_users(report, company)
	report.say(workplace.ensure_holiday_list(company))
	report.say(workplace.ensure_working_hours())
	if workspace := workplace.ensure_workspace_setup():
		report.say(workspace)
	report.say(workplace.ensure_outbox())
	if scheduled := workplace.ensure_review_reports():
		report.say(scheduled)
	report.say(workplace.add_handler(data.user("handler")))
	report.say(_("Complaints:"))
	cases.seed_with_users(company, report)
	say_users(report)
	return report


def say_users(report: Report) -> None:
	report.say(_("Log in at {0} as (passwords are shown only now):").format(get_url("/login")))
	width = max(len(_(person.title)) for person in data.USERS)
	email_width = max(len(person.email) for person in data.USERS)
	for person in data.USERS:
		report.say(
			f"  {_(person.title):<{width}}  {person.email:<{email_width}}  {report.passwords[person.email]}"
		)
		report.say(f"      → {_(person.first_step)}")


def remove() -> Report:
	"""Remove every demo record and user from the connected site; commits nothing."""
	frappe.set_user("Administrator")
	report = Report()
	removal.remove(report)
	return report


def perform(work, *args, **kwargs) -> Report:
	"""Run ``work`` (:func:`run` or :func:`remove`) as one transaction: commit it, or roll it all
	back and raise DemoError with a one-line message; an unexpected error's traceback goes to the
	Error Log, named in the message."""
	try:
		report = work(*args, **kwargs)
	except DemoError:
		frappe.db.rollback()
		raise
	except Exception as e:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		log = frappe.log_error(title=_("Complaint demo failed"))
		frappe.db.commit()  # nosemgrep: the error log outlives the rolled-back demo
		message = frappe.utils.strip_html_tags(str(e)).strip() or type(e).__name__
		raise DemoError(
			_("The demo stopped and its changes were rolled back: {0} (details in Error Log {1}).").format(
				message, log.name
			)
		) from e
	frappe.db.commit()  # nosemgrep: a bench command's unit of work
	return report


def seed() -> None:
	"""``bench --site <site> execute complaint_handling.demo.seed``, the first README's command:
	the demo without users, and a pointer to the bench command. Never raises: ``bench execute``
	would hide the error behind a NameError of its own."""
	try:
		print(perform(run).text())
	except DemoError as e:
		print(e)
	print(
		_(
			"The demo is a bench command now: bench --site {0} complaint-demo [--with-users | --remove]"
		).format(frappe.local.site)
	)
