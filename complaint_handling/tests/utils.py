"""Helpers for the integration tests, which run on a real site (see conftest.py and README)."""

from contextlib import contextmanager

import frappe
from frappe.cache_manager import clear_doctype_map
from frappe.tests.utils import FrappeTestCase

from complaint_handling.setup import defaults

PASSWORD = "Complaint-Test-Pa55!"

# one committed user per role; tests never change them
INTAKE_USER = "ch-intake@example.com"
HANDLER_USER = "ch-handler@example.com"
HANDLER_2_USER = "ch-handler2@example.com"
QM_USER = "ch-qm@example.com"
QM_2_USER = "ch-qm2@example.com"
INVESTIGATOR_USER = "ch-investigator@example.com"
INVESTIGATOR_2_USER = "ch-investigator2@example.com"
PANEL_USER = "ch-panel@example.com"
AUDITOR_USER = "ch-auditor@example.com"
GM_USER = "ch-gm@example.com"
SALES_USER = "ch-sales@example.com"
# an ordinary desk user with no complaint role (ERPNext drops the Employee role asked for below from
# a user no Employee record names, so what is left is Desk User)
ACTION_OWNER_USER = "ch-action-owner@example.com"
SYSTEM_MANAGER_USER = "ch-sysmgr@example.com"  # keeps Frappe from making a test user System Manager

TEST_USERS = {
	INTAKE_USER: [defaults.INTAKE],
	HANDLER_USER: [defaults.HANDLER],
	HANDLER_2_USER: [defaults.HANDLER],
	QM_USER: [defaults.QUALITY_MANAGER],
	QM_2_USER: [defaults.QUALITY_MANAGER, "Stock User"],
	INVESTIGATOR_USER: [defaults.INVESTIGATOR],
	INVESTIGATOR_2_USER: [defaults.INVESTIGATOR],
	PANEL_USER: [defaults.APPEAL_PANEL],
	AUDITOR_USER: [defaults.AUDITOR],
	GM_USER: [defaults.GENERAL_MANAGER],
	SALES_USER: ["Sales User"],  # can open Customers, must not read complaint contacts
	ACTION_OWNER_USER: ["Employee"],
}

TEST_EMAIL_ACCOUNT = "_Test Complaint Outgoing"
COMPLAINANT_EMAIL = "complainant@example.org"


def ensure_fixtures() -> None:
	"""Users and an outgoing email account the tests share; created once and committed.

	Each test user has exactly its roles. Frappe gives System Manager to the first system user of a
	site that has no other (a site whose setup wizard made none), so one is made first."""
	ensure_system_manager()
	for email, roles in TEST_USERS.items():
		ensure_user(email, roles)

	ensure_outgoing_account()
	frappe.db.commit()


def ensure_outgoing_account() -> None:
	"""An outgoing Email Account that only queues (its SMTP port is closed): Frappe refuses to
	queue mail without one."""
	if not frappe.db.exists("Email Account", TEST_EMAIL_ACCOUNT):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": TEST_EMAIL_ACCOUNT,
				"email_id": "complaints@example.com",
				"service": "",
				"smtp_server": "127.0.0.1",
				"smtp_port": 2525,
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"no_smtp_authentication": 1,
				"awaiting_password": 0,
			}
		).insert(ignore_permissions=True)


def ensure_system_manager() -> None:
	ensure_user(SYSTEM_MANAGER_USER, ["System Manager"])


def ensure_user(email: str, roles, first_name: str | None = None, user_type: str = "System User") -> None:
	"""A test user with the password ``PASSWORD``, enabled, holding exactly ``roles``."""
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name or email.split("@")[0],
				"user_type": user_type,
				"send_welcome_email": 0,
				"new_password": PASSWORD,
				"roles": [{"role": role} for role in roles],
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
		return
	user = frappe.get_doc("User", email)
	if missing := set(roles) - {row.role for row in user.roles}:
		user.add_roles(*missing)
	if extra := {row.role for row in user.roles} - set(roles):
		user.remove_roles(*extra)
	if not user.enabled:
		user.db_set("enabled", 1)


def default_company() -> str:
	return (
		frappe.defaults.get_global_default("company") or frappe.get_all("Company", pluck="name", limit=1)[0]
	)


def make_complaint(insert=True, **values):
	doc = frappe.get_doc(
		{
			"doctype": "Complaint",
			"subject": "Assay result disputed",
			"company": default_company(),
			"channel": "Email",
			"complainant_name": "Li Wei",
			"complainant_email": COMPLAINANT_EMAIL,
			"description": "The reported assay differs from our own retained sample result.",
			"complaint_category": "Product Quality",
			"severity": "II",
			**values,
		}
	)
	return doc.insert() if insert else doc


def set_category_handlers(category: str, users: list[str]) -> None:
	doc = frappe.get_doc("Complaint Category", category)
	doc.set("users", [{"user": user} for user in users])
	doc.save(ignore_permissions=True)


@contextmanager
def as_user(user: str):
	previous = frappe.session.user
	frappe.set_user(user)
	try:
		yield
	finally:
		frappe.set_user(previous)


@contextmanager
def versions_recorded():
	"""Frappe skips Version rows while testing; lift that to check the audit trail."""
	frappe.flags.in_test = False
	try:
		yield
	finally:
		frappe.flags.in_test = True


def reload(doc):
	return frappe.get_doc(doc.doctype, doc.name)


def move(doc, status, user):
	"""Take the workflow action that leads to ``status``, as ``user``."""
	from complaint_handling.engine.workflow import transition_to

	with as_user(user):
		return transition_to(reload(doc), status)


def respond(doc):
	"""Walk a draft complaint to Responded through the seeded workflow: the formal reply is out."""
	from complaint_handling.rules.complaint import Status, Validity

	doc = move(doc, Status.REGISTERED, INTAKE_USER)
	doc = move(doc, Status.ACKNOWLEDGED, HANDLER_USER)
	doc = move(doc, Status.UNDER_INVESTIGATION, HANDLER_USER)
	with as_user(HANDLER_USER):
		doc = reload(doc)
		doc.validity, doc.resolution = Validity.ACCEPTED, "Credit note issued and the batch replaced."
		doc.save()
	doc = move(doc, Status.PENDING_APPROVAL, HANDLER_USER)
	return move(doc, Status.RESPONDED, QM_USER)


def concurrently(work, workers: int) -> list[Exception]:
	"""Run ``work()`` in ``workers`` threads, each on its own site connection, released together.
	Returns what they raised."""
	import threading

	site, sites_path = frappe.local.site, frappe.local.sites_path
	barrier = threading.Barrier(workers, timeout=60)
	errors = []

	def run():
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		try:
			frappe.set_user("Administrator")
			barrier.wait()
			work()
			frappe.db.commit()
		except Exception as e:
			errors.append(e)
			frappe.db.rollback()
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run) for _ in range(workers)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	return errors


def purge_complaints(names) -> None:
	"""Remove complaints a test had to commit (concurrency tests), with everything they caused."""
	for name in names:
		for doctype, field in (
			("Complaint SLA Event", "reference_name"),
			("Communication", "reference_name"),
			("ToDo", "reference_name"),
			("Notification Log", "document_name"),
			("Email Queue", "reference_name"),
			("Version", "docname"),
			("Comment", "reference_name"),
		):
			for row in frappe.get_all(doctype, filters={field: name}, pluck="name"):
				frappe.delete_doc(doctype, row, force=True, ignore_permissions=True)
		if frappe.db.exists("Complaint", name):
			frappe.delete_doc("Complaint", name, force=True, ignore_permissions=True, ignore_on_trash=True)
	frappe.db.commit()


class ComplaintTestCase(FrappeTestCase):
	"""Each test runs in a transaction rolled back afterwards, as Administrator to start with."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		ensure_fixtures()
		# Frappe sends some mails at once (assignment notifications), and sending commits: that
		# would leak one test's data into the next. Muted, mails still reach the queue, unsent.
		frappe.flags.mute_emails = True

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.db.value_cache.clear()
		# rolled-back saves leave maps and cached documents of the rolled-back state behind
		clear_doctype_map("Assignment Rule", "Complaint")
		clear_doctype_map("Assignment Rule", "due_date_rules_for_Complaint")
		frappe.clear_document_cache("Complaint Settings", "Complaint Settings")
		frappe.cache.hdel("workflow", "Complaint")
		frappe.clear_document_cache("Workflow")
		frappe.clear_document_cache("Assignment Rule")
