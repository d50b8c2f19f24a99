"""Bench commands of the app. Bench finds them in ``commands`` and imports this module on every
bench call, so it imports nothing heavy until a command runs."""

import click
import frappe
from frappe.commands import get_site, pass_context


@click.command("complaint-demo")
@click.option(
	"--with-users",
	is_flag=True,
	default=False,
	help="Also one user per role (passwords printed once), a Holiday List, working hours, an outgoing "
	"account that only queues, the category handlers and a case in every state.",
)
@click.option("--company", help="Company of the demo's cases (default: the site's default company).")
@click.option("--remove", is_flag=True, default=False, help="Remove every demo record and demo user again.")
@pass_context
def complaint_demo(context, with_users=False, company=None, remove=False):
	"""Seed demo complaints to try the app with, or remove them again.

	Prints what it did. Exits with status 1 and one line saying what to do when the demo cannot run
	(no company yet: finish ERPNext's setup wizard first) or failed (its changes rolled back).
	"""
	import logging

	import cssutils

	# Frappe's mail renderer logs CSS of its own templates it cannot parse at ERROR level; in the
	# middle of the demo's report that reads as if the demo had failed
	cssutils.log.setLevel(logging.CRITICAL)
	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		from complaint_handling.demo import DemoError, perform, run
		from complaint_handling.demo import remove as remove_demo

		try:
			report = perform(remove_demo) if remove else perform(run, company=company, with_users=with_users)
		except DemoError as e:
			click.secho(str(e), fg="red", err=True)
			raise SystemExit(1) from None
		click.echo(report.text())
	finally:
		frappe.destroy()


commands = [complaint_demo]
