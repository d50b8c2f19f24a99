"""The demo's people: one user per role, each with a random password shown once."""

import secrets
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import add_days, today
from frappe.utils.password import update_password

from complaint_handling.demo import marks
from complaint_handling.demo.data import USERS, DemoUser
from complaint_handling.demo.report import DemoError, Report


def require_own_system_manager(site: str) -> None:
	"""Frappe makes a new desk user a System Manager while the site has no enabled one besides
	Administrator (``User.add_system_manager_role``), and then refuses to delete or disable any
	user. A demo user must hold its one role and go again on ``--remove``, so the demo asks for
	the site's own System Manager first. Raises DemoError saying how to add one."""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	others = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.where(
			(has_role.role == "System Manager")
			& (has_role.parenttype == "User")
			& (user.enabled == 1)
			& (user.name.notin(["Administrator", *(u.email for u in USERS)]))
		)
		.limit(1)
		.run()
	)
	if not others:
		raise DemoError(
			_(
				"Frappe would make the first demo user a System Manager, because Administrator is the only one on this site: add your own with `bench --site {0} add-system-manager you@example.com`, then run the demo again."
			).format(site)
		)


def ensure_users(report: Report, company: str) -> None:
	"""Each demo user, enabled and holding exactly its role, with a new random password (in
	``report.passwords``). Existing demo users are kept and get a new password: the old one was
	shown only once."""
	for person in USERS:
		if not frappe.db.exists("User", person.email):
			create_user(person)
		if person.role == "Employee":
			ensure_employee(person, company)
		ensure_role(person)
		password = "Demo-" + secrets.token_urlsafe(12)
		update_password(person.email, password)
		report.passwords[person.email] = password


def create_user(person: DemoUser) -> None:
	# ERPNext strips the Employee role from a user no Employee record names, so that role comes
	# with the user's Employee record (ensure_employee)
	roles = [] if person.role == "Employee" else [{"role": person.role}]
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": person.email,
			"first_name": _("Demo"),
			"last_name": _(person.title),
			"send_welcome_email": 0,
			"roles": roles,
		}
	)
	user.flags.no_welcome_mail = True
	user.insert(ignore_permissions=True)
	marks.tag("User", person.email)


def ensure_employee(person: DemoUser, company: str) -> None:
	"""The Employee record of a demo user who holds the Employee role (ERPNext adds the role)."""
	if frappe.db.exists("Employee", {"user_id": person.email}):
		return
	employee = frappe.get_doc(
		{
			"doctype": "Employee",
			"first_name": _("Demo"),
			"last_name": _(person.title),
			"company": company,
			"gender": any_gender(),
			"date_of_birth": "1990-01-01",
			"date_of_joining": add_days(today(), -365),
			"user_id": person.email,
			"create_user_permission": 0,
		}
	).insert(ignore_permissions=True)
	marks.tag("Employee", employee.name)


def any_gender() -> str:
	"""ERPNext's setup wizard installs the genders; a site set up otherwise may have none."""
	if gender := frappe.db.get_value("Gender", {}, "name", order_by="creation asc"):
		return gender
	frappe.get_doc({"doctype": "Gender", "gender": "Other"}).insert(ignore_permissions=True)
	marks.tag("Gender", "Other")
	return "Other"


def ensure_role(person: DemoUser) -> None:
	user = frappe.get_doc("User", person.email)
	if {row.role for row in user.roles} != {person.role} or not user.enabled:
		user.set("roles", [{"role": person.role}])
		user.enabled = 1
		user.save(ignore_permissions=True)


@contextmanager
def acting_as(user: str):
	"""Run the block as ``user``: the workflow and the app's rules see that person's roles."""
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)
