"""HTTP-level test harness: a real Frappe server, one logged-in session per persona, and committed
fixtures whose confidential fields are unique canary strings.

The tests run in two processes: this one (frappe connected as Administrator, see conftest.py or
``bench run-tests``) creates and commits the fixtures and re-reads the database; a ``frappe serve``
child process answers the HTTP requests. Every read here starts with ``frappe.db.rollback()`` so
it sees what the server committed (MariaDB's REPEATABLE READ would otherwise show a stale
snapshot).

Nothing here assumes the current state of the app: the expectations come from README.md's
"Permission matrix" table (:func:`matrix`) and the design it describes.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import secrets
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import frappe
import requests
from frappe.desk.doctype.tag.tag import add_tag
from frappe.utils import add_days, add_to_date, now_datetime, today

from complaint_handling.setup.defaults import (
	APPEAL_PANEL,
	AUDITOR,
	GENERAL_MANAGER,
	HANDLER,
	INTAKE,
	INVESTIGATOR,
	QUALITY_MANAGER,
)
from complaint_handling.tests.utils import (
	PASSWORD,
	default_company,
	ensure_outgoing_account,
	ensure_system_manager,
	ensure_user,
)

APP_ROOT = Path(__file__).resolve().parents[3]
README = APP_ROOT / "README.md"
TAG = "ch-http fixture"  # every fixture complaint's subject starts with it: leftovers are purged
USER_PREFIX = "ch-http-"
TIMEOUT = 120


# ------------------------------------------------------------------ personas


@dataclass(frozen=True)
class Persona:
	key: str
	roles: tuple = ()
	user_type: str = "System User"

	@property
	def email(self) -> str | None:
		return None if self.key == "guest" else f"{USER_PREFIX}{self.key}@example.com"


PERSONAS = {
	p.key: p
	for p in (
		Persona("intake", (INTAKE,)),
		Persona("handler", (HANDLER,)),
		Persona("qm", (QUALITY_MANAGER,)),
		Persona("investigator", (INVESTIGATOR,)),  # investigates the fixture complaint
		Persona("investigator-nocase", (INVESTIGATOR,)),  # investigates nothing
		Persona("panel", (APPEAL_PANEL,)),  # sits on the fixture appeal
		Persona("auditor", (AUDITOR,)),
		Persona("gm", (GENERAL_MANAGER,)),
		Persona("sales", ("Sales User",)),
		Persona("website", (), "Website User"),
		Persona("guest"),
		# scenario users
		Persona("handler-involved", (HANDLER,)),  # listed in a complaint's involved persons
		Persona("approver", (HANDLER, QUALITY_MANAGER)),  # assigned, unassigns, tries to approve
		Persona("action-owner", ("Employee",)),  # owns a CAPA action; a desk user with no complaint role
	)
}
EXTRA_PERSONAS = ("sales", "website", "guest")  # reach none of the app's DocTypes

# personas for a role column of the README table; a column not listed gets a persona of its own
ROLE_PERSONAS = {
	INTAKE: ("intake",),
	HANDLER: ("handler",),
	QUALITY_MANAGER: ("qm",),
	INVESTIGATOR: ("investigator", "investigator-nocase"),
	APPEAL_PANEL: ("panel",),
	AUDITOR: ("auditor",),
	GENERAL_MANAGER: ("gm",),
}
# which personas the fixture case of each DocType belongs to, for "(own)" cells
ATTACHED = {
	"Complaint": {"investigator", "panel"},
	"Complaint Investigation": {"investigator"},
	"Complaint Appeal": {"panel"},
}


def slug(text: str) -> str:
	return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def role_of_column(label: str) -> str:
	"""README column label -> Role name ("Intake Officer" -> "Complaint Intake Officer")."""
	label = label.strip()
	for role in (f"Complaint {label}", label):
		if role in ROLE_PERSONAS:
			return role
	return f"Complaint {label}" if not label.startswith("Complaint ") else label


def personas_of_column(label: str) -> tuple[str, ...]:
	role = role_of_column(label)
	if role in ROLE_PERSONAS:
		return ROLE_PERSONAS[role]
	key = slug(label).replace("_", "-")
	PERSONAS.setdefault(key, Persona(key, (role,)))
	return (key,)


def ensure_users() -> None:
	"""Create the personas' users (once; later runs set their roles again). Committed.

	A System Manager is made first: Frappe makes the first system user of a site without one a
	System Manager, which would make a persona see everything."""
	ensure_system_manager()
	for persona in PERSONAS.values():
		if persona.email:
			roles = [r for r in persona.roles if frappe.db.exists("Role", r)]
			ensure_user(persona.email, roles, f"HTTP {persona.key}", persona.user_type)
	# assignments and approvals send mail: without an outgoing account Frappe fails on the sender
	ensure_outgoing_account()
	frappe.db.commit()


# ------------------------------------------------------------------ the permission matrix


@dataclass(frozen=True)
class Cell:
	perms: frozenset
	own: bool

	@property
	def read(self) -> bool:
		return "read" in self.perms


def parse_matrix(text: str) -> tuple[list[str], dict[str, dict[str, Cell]]]:
	"""The "Permission matrix" table of README.md: (role column labels, {row label: {column: Cell}})."""
	section = text.split("## Permission matrix", 1)
	if len(section) < 2:
		raise AssertionError("README.md has no '## Permission matrix' section")
	lines = [line.strip() for line in section[1].splitlines()]
	start = next(i for i, line in enumerate(lines) if line.startswith("|") and "DocType" in line)
	header = [c.strip() for c in lines[start].strip("|").split("|")]
	columns = header[1:]
	rows = {}
	for line in lines[start + 2 :]:
		if not line.startswith("|"):
			break
		cells = [c.strip() for c in line.strip("|").split("|")]
		label, values = cells[0], cells[1:]
		row = {}
		for column, value in zip(columns, values, strict=False):
			own = "(own)" in value
			value = value.replace("(own)", "")
			perms = frozenset(
				p.strip().lower() for p in value.split(",") if p.strip() and p.strip() not in "-–—"
			)
			row[column] = Cell(perms, own)
		rows[label] = row
	return columns, rows


def matrix() -> tuple[list[str], dict[str, dict[str, Cell]]]:
	return parse_matrix(README.read_text(encoding="utf-8"))


def doctype_of_row(label: str) -> str:
	"""'Complaint Party (complainant)' -> 'Complaint Party'."""
	return re.sub(r"\s*\(.*\)\s*$", "", label).strip()


def expected_read(label: str, column: str, persona: str) -> bool:
	cell = matrix()[1][label].get(column)
	if not cell or not cell.read:
		return False
	return not cell.own or persona in ATTACHED.get(doctype_of_row(label), set())


def persona_cases() -> list[tuple[str, str, str]]:
	"""(row label, column label or '', persona key) for every cell, plus the extra personas."""
	columns, rows = matrix()
	cases = []
	for label in rows:
		for column in columns:
			cases.extend((label, column, key) for key in personas_of_column(column))
		cases.extend((label, "", key) for key in EXTRA_PERSONAS)
	return cases


def party_readers(label: str) -> tuple[set[str], set[str]]:
	"""Personas that may / may not read the party of README row ``label``."""
	columns, rows = matrix()
	readers, others = set(), set(EXTRA_PERSONAS)
	for column in columns:
		cell = rows.get(label, {}).get(column)
		for key in personas_of_column(column):
			(readers if cell and cell.read else others).add(key)
	return readers, others


# ------------------------------------------------------------------ server and sessions


def bench_path() -> Path:
	if os.environ.get("BENCH"):
		return Path(os.environ["BENCH"]).expanduser().resolve()
	return Path(frappe.get_app_path("frappe")).resolve().parents[2]


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


class Server:
	"""``frappe serve`` for the test site, in a child process of its own."""

	def __init__(self):
		self.bench = bench_path()
		self.site = frappe.local.site
		self.port = free_port()
		self.base = f"http://127.0.0.1:{self.port}"
		self.log_path = tempfile.NamedTemporaryFile(
			prefix="ch-http-server-", suffix=".log", delete=False
		).name
		self.proc = None

	def start(self):
		log = open(self.log_path, "w")
		self.proc = subprocess.Popen(
			[
				str(self.bench / "env" / "bin" / "python"),
				"-m",
				"frappe.utils.bench_helper",
				"frappe",
				"--site",
				self.site,
				"serve",
				"--port",
				str(self.port),
				"--noreload",
			],
			cwd=str(self.bench / "sites"),
			stdout=log,
			stderr=subprocess.STDOUT,
			env={**os.environ, "PYTHONUNBUFFERED": "1"},
		)
		deadline = time.time() + 90
		while time.time() < deadline:
			if self.proc.poll() is not None:
				raise RuntimeError(f"frappe serve exited ({self.proc.returncode}); see {self.log_path}")
			try:
				r = requests.get(f"{self.base}/api/method/ping", timeout=5)
				if r.ok and r.json().get("message") == "pong":
					return self
			except (requests.RequestException, ValueError):
				pass
			time.sleep(0.5)
		self.stop()
		raise RuntimeError(f"frappe serve did not answer /api/method/ping; see {self.log_path}")

	def stop(self):
		if self.proc and self.proc.poll() is None:
			self.proc.terminate()
			try:
				self.proc.wait(10)
			except subprocess.TimeoutExpired:
				self.proc.kill()
				self.proc.wait(10)
		self.proc = None


_server: Server | None = None
_clients: dict[str, Client] = {}


def server() -> Server:
	"""The one server of this test process, started on first use and stopped at exit."""
	global _server
	if _server is None or _server.proc is None or _server.proc.poll() is not None:
		_clients.clear()
		_server = Server().start()
		atexit.register(_server.stop)
	return _server


def stop_server() -> None:
	global _server
	if _server:
		_server.stop()
	_server = None
	_clients.clear()


class Client:
	"""A requests.Session logged in as one persona (Guest: not logged in)."""

	def __init__(self, persona: str, user: str | None = None):
		"""``user``: log in as that user (password ``PASSWORD``) instead of the persona's own."""
		self.persona = persona
		self.user = user or PERSONAS[persona].email
		self.base = server().base
		self.session = requests.Session()
		self.session.headers["Accept"] = "application/json"
		if self.user:
			self.login()

	def login(self):
		r = self.session.post(
			f"{self.base}/api/method/login", data={"usr": self.user, "pwd": PASSWORD}, timeout=TIMEOUT
		)
		if r.status_code != 200:
			raise AssertionError(f"login of {self.user} failed: {r.status_code} {r.text[:300]}")
		# a page render may give the session a CSRF token; from then on POSTs need it
		page = self.session.get(f"{self.base}/app", timeout=TIMEOUT, headers={"Accept": "text/html"})
		if m := re.search(r"csrf_token\s*=\s*[\"']([0-9a-f]{20,})[\"']", page.text):
			self.session.headers["X-Frappe-CSRF-Token"] = m.group(1)

	def request(self, method: str, path: str, **kwargs) -> requests.Response:
		kwargs.setdefault("timeout", TIMEOUT)
		return self.session.request(method, f"{self.base}{path}", **kwargs)

	def get(self, path: str, params: dict | None = None, **kwargs) -> requests.Response:
		return self.request("GET", path, params=encode(params), **kwargs)

	def call(self, method: str, **kwargs) -> requests.Response:
		"""POST /api/method/<method> as the desk does: a form, lists and dicts as JSON text."""
		return self.request("POST", f"/api/method/{method}", data=encode(kwargs))

	def call_json(self, method: str, **kwargs) -> requests.Response:
		"""POST /api/method/<method> with a JSON body (values keep their JSON types)."""
		return self.request("POST", f"/api/method/{method}", json=kwargs)

	def resource_list(self, doctype: str, **params) -> requests.Response:
		return self.get(f"/api/resource/{doctype}", params)

	def resource(self, doctype: str, name: str) -> requests.Response:
		return self.get(f"/api/resource/{doctype}/{name}")

	def put(self, doctype: str, name: str, data: dict) -> requests.Response:
		return self.request("PUT", f"/api/resource/{doctype}/{name}", json=data)

	def post(self, doctype: str, data) -> requests.Response:
		return self.request("POST", f"/api/resource/{doctype}", json=data)


def encode(params: dict | None) -> dict | None:
	if params is None:
		return None
	return {
		k: (json.dumps(v) if isinstance(v, list | dict) else v) for k, v in params.items() if v is not None
	}


def client(persona: str) -> Client:
	if persona not in _clients or _clients[persona].base != server().base:
		_clients[persona] = Client(persona)
	return _clients[persona]


# ------------------------------------------------------------------ responses


def body(response: requests.Response) -> str:
	return response.content.decode("utf-8", "replace")


def payload(response: requests.Response):
	try:
		return response.json()
	except ValueError:
		return None


def data_of(response: requests.Response):
	"""The result of a call: ``message`` (/api/method) or ``data`` (/api/resource)."""
	js = payload(response)
	if not isinstance(js, dict):
		return None
	return js.get("message", js.get("data"))


def server_messages(response: requests.Response) -> list[str]:
	js = payload(response)
	if not isinstance(js, dict) or not js.get("_server_messages"):
		return []
	out = []
	try:
		for item in json.loads(js["_server_messages"]):
			msg = json.loads(item) if isinstance(item, str) else item
			out.append(re.sub(r"<[^>]+>", "", str(msg.get("message", msg) if isinstance(msg, dict) else msg)))
	except (ValueError, TypeError):
		out.append(str(js["_server_messages"]))
	return out


def exc_type(response: requests.Response) -> str:
	js = payload(response)
	return (js or {}).get("exc_type", "") if isinstance(js, dict) else ""


def traceback_text(response: requests.Response) -> str:
	js = payload(response)
	if not isinstance(js, dict):
		return ""
	return " ".join(str(js.get(k) or "") for k in ("exc", "exception"))


def refusal_problem(response: requests.Response) -> str | None:
	"""Why ``response`` is not a proper refusal: 4xx with a readable, translated message."""
	if not 400 <= response.status_code < 500:
		return f"HTTP {response.status_code} (expected 4xx): {body(response)[:300]}"
	if exc_type(response) == "CSRFTokenError":
		return "refused for a missing CSRF token, not by the app"
	messages = server_messages(response)
	js = payload(response) or {}
	text = " ".join(messages) or (js.get("exception") if isinstance(js, dict) else "") or ""
	if not text.strip():
		return f"HTTP {response.status_code} without a message: {body(response)[:300]}"
	if "Traceback (most recent call last)" in text or re.search(r'File ".*", line \d+', text):
		return f"the message is a traceback: {text[:300]}"
	return None


def fresh_value(doctype: str, name: str, field: str):
	frappe.db.rollback()
	return frappe.db.get_value(doctype, name, field)


def fresh_rows(doctype: str, parent: str, table: str, fields=("name",)) -> list[dict]:
	frappe.db.rollback()
	child = frappe.get_meta(doctype).get_field(table).options
	return frappe.get_all(
		child,
		filters={"parent": parent, "parenttype": doctype, "parentfield": table},
		fields=list(fields),
		order_by="idx asc",
	)


# ------------------------------------------------------------------ fixtures


def canary_party(kind: str) -> dict:
	token = f"canary-{secrets.token_hex(6)}"
	digits = "".join(secrets.choice("123456789") for _ in range(10))
	return {
		"kind": kind,
		"token": token,
		"digits": digits,
		"name": f"{token}-name",
		"organisation": f"{token}-org",
		"email": f"{token}@example.org",
		"phone": f"+44{digits}",
		"address": f"{token}-street 1",
	}


CASE_FIELDS = {
	# case DocType -> (link field to Complaint Party, {case field: canary key})
	"Complaint": (
		"complainant",
		{
			"complainant_name": "name",
			"complainant_organisation": "organisation",
			"complainant_email": "email",
			"complainant_phone": "phone",
		},
	),
	"Complaint Appeal": (
		"appellant",
		{
			"appellant_name": "name",
			"on_behalf_of": "organisation",
			"appellant_email": "email",
			"appellant_phone": "phone",
		},
	),
}


KIND_CASE = {"complainant": "Complaint", "appellant": "Complaint Appeal"}
PARTY_FIELDS = ("party_name", "organisation", "email", "phone", "address")


def party_doctype(case: str) -> str | None:
	"""The DocType a case links its party in (Complainant / Appellant, or one shared DocType)."""
	df = frappe.get_meta(case).get_field(CASE_FIELDS[case][0])
	return df.options if df and df.fieldtype == "Link" else None


def party_doctypes() -> set[str]:
	return {dt for case in CASE_FIELDS if (dt := party_doctype(case))}


def party_row(kind: str) -> str | None:
	"""The README row of this kind of party ("Complainant", or "Complaint Party (complainant)")."""
	return next((label for label in matrix()[1] if kind in label.lower()), None)


def contact_values(doctype: str, party: dict) -> dict:
	return {field: party[key] for field, key in CASE_FIELDS[doctype][1].items()}


class Fixtures:
	"""The committed documents the HTTP tests probe, all made as Administrator."""

	def __init__(self):
		self.run = secrets.token_hex(3)
		self.complainant = canary_party("complainant")
		self.appellant = canary_party("appellant")
		self.company = default_company()
		self.category = (
			"Product Quality"
			if frappe.db.exists("Complaint Category", "Product Quality")
			else frappe.get_all("Complaint Category", pluck="name", limit=1)[0]
		)
		self.severity = (
			frappe.db.get_value("Complaint Category", self.category, "default_severity")
			or (frappe.get_all("Complaint Severity", pluck="name", limit=1)[0])
		)
		self.docs: dict[str, str | None] = {}
		self.communications: list[str] = []

	def user(self, persona: str) -> str:
		return PERSONAS[persona].email

	# ---- builders
	def new_complaint(self, label: str, party: dict | None = None, status: str = "Draft", **values) -> str:
		party = party or {
			"name": f"Other person {self.run}",
			"organisation": "",
			"email": f"other-{self.run}-{secrets.token_hex(2)}@example.org",
			"phone": "",
		}
		received = add_days(now_datetime(), -3)
		doc = frappe.get_doc(
			{
				"doctype": "Complaint",
				"subject": f"{TAG} {self.run} {label}",
				"company": self.company,
				"channel": "Email",
				"received_on": received,
				"description": "The reported assay differs from our own retained sample result.",
				"complaint_category": self.category,
				"severity": self.severity,
				**{k: v for k, v in contact_values("Complaint", party).items() if v},
				**values,
			}
		)
		doc.insert(ignore_permissions=True)
		if status != "Draft":
			self.set_status(doc.name, status)
		return doc.name

	def set_status(self, name: str, status: str) -> None:
		"""Put a complaint in ``status`` directly (the workflow is not what these tests probe)."""
		received = frappe.db.get_value("Complaint", name, "received_on")
		values = {"status": status, "workflow_state": status}
		if status != "Registered":
			values["acknowledged_on"] = add_to_date(received, hours=1)
		if status in ("Pending Approval", "Responded", "Closed"):
			values.update(
				validity="Accepted",
				resolution="<p>Credit note issued and the batch replaced.</p>",
				validity_decided_by="Administrator",
				validity_decided_on=add_to_date(received, hours=20),
			)
		if status in ("Responded", "Closed"):
			values["responded_on"] = add_to_date(received, days=1)
		frappe.db.set_value("Complaint", name, values, update_modified=False)
		frappe.clear_document_cache("Complaint", name)

	def new_appeal(self, complaint: str, party: dict, panel: list[str]) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Complaint Appeal",
				"complaint": complaint,
				"company": self.company,
				"filed_on": add_to_date(now_datetime(), hours=-1),
				"grounds": "<p>The decision ignored our retained sample.</p>",
				**contact_values("Complaint Appeal", party),
				"panel": [{"user": user} for user in panel],
			}
		)
		doc.insert(ignore_permissions=True)
		return doc.name

	def party_of(self, doctype: str, name: str) -> str | None:
		link = CASE_FIELDS[doctype][0]
		if not frappe.get_meta(doctype).has_field(link):
			return None
		return frappe.db.get_value(doctype, name, link)

	def communication(self, doctype: str, name: str, party: dict) -> str:
		doc = frappe.get_doc(
			{
				"doctype": "Communication",
				"communication_type": "Communication",
				"communication_medium": "Email",
				"sent_or_received": "Sent",
				"subject": f"Re: {name}",
				"content": f"<p>Dear {party['name']}, we will call you on {party['phone']} "
				f"or write to {party['email']}.</p>",
				"recipients": party["email"],
				"sender": "complaints@example.com",
				"reference_doctype": doctype,
				"reference_name": name,
				"status": "Linked",
			}
		).insert(ignore_permissions=True)
		self.communications.append(doc.name)
		return doc.name

	def email_queue(self, doctype: str, name: str, party: dict) -> None:
		frappe.get_doc(
			{
				"doctype": "Email Queue",
				"sender": "complaints@example.com",
				"message": f"To: {party['email']}\nSubject: Re: {name}\n\nDear {party['name']}",
				"reference_doctype": doctype,
				"reference_name": name,
				"status": "Sent",
				"recipients": [{"recipient": party["email"], "status": "Sent"}],
			}
		).insert(ignore_permissions=True)

	# ---- the fixture set
	def create(self) -> Fixtures:
		frappe.set_user("Administrator")
		purge()
		ensure_users()
		frappe.flags.mute_emails = True
		d = self.docs
		c, a = self.complainant, self.appellant

		d["Complaint"] = self.new_complaint("main", c)
		# a history entry that mentions the contact (Version rows are skipped while testing)
		in_test, frappe.flags.in_test = frappe.flags.in_test, False
		try:
			doc = frappe.get_doc("Complaint", d["Complaint"])
			doc.complainant_organisation = f"{c['token']}-org2"
			doc.save(ignore_permissions=True)
		finally:
			frappe.flags.in_test = in_test
		d["Complaint Investigation"] = (
			frappe.get_doc(
				{
					"doctype": "Complaint Investigation",
					"complaint": d["Complaint"],
					"investigator": self.user("investigator"),
					"facts": "<p>Retained sample re-tested.</p>",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		d["CAPA"] = (
			frappe.get_doc(
				{
					"doctype": "CAPA",
					"title": f"{TAG} {self.run} capa",
					"capa_type": "Corrective",
					"company": self.company,
					"responsible": self.user("handler"),
					"raised_on": today(),
					"problem_statement": "<p>Assay drift in the retained sample method.</p>",
					"complaints": [{"complaint": d["Complaint"]}],
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		self.set_status(d["Complaint"], "Responded")
		d["Complaint Appeal"] = self.new_appeal(d["Complaint"], a, [self.user("panel")])

		# a second decided complaint with an appeal the panel member does not sit on
		self.other_complaint = self.new_complaint("other", status="Responded")
		self.other_appeal = self.new_appeal(self.other_complaint, canary_party("other"), [])

		self.parties = {}
		for kind, case in KIND_CASE.items():
			party = self.parties[kind] = self.party_of(case, d[case])
			if label := party_row(kind):
				d[label] = party
			if party and frappe.get_meta(party_doctype(case)).has_field("address"):
				canaries = c if kind == "complainant" else a
				frappe.db.set_value(party_doctype(case), party, "address", canaries["address"])

		self.communication("Complaint", d["Complaint"], c)
		self.communication("Complaint Appeal", d["Complaint Appeal"], a)
		self.email_queue("Complaint", d["Complaint"], c)
		self.email_queue("Complaint Appeal", d["Complaint Appeal"], a)
		# a tag on each case and its party: Tag Link, which every user reads, keeps a record's title
		for kind, case in KIND_CASE.items():
			add_tag(TAG, case, d[case])
			if self.parties[kind]:
				add_tag(TAG, party_doctype(case), self.parties[kind])

		d["Complaint Category"] = self.category
		d["Complaint Severity"] = self.severity
		d["Complaint SLA Policy"] = (
			frappe.db.get_value("Complaint SLA Policy", {"enabled": 1})
			or (frappe.get_all("Complaint SLA Policy", pluck="name", limit=1) or [None])[0]
		)
		event = frappe.get_doc(
			{
				"doctype": "Complaint SLA Event",
				"reference_doctype": "Complaint",
				"reference_name": d["Complaint"],
				"clock": "Acknowledgement",
				"event": "Reminder",
				"level": 0,
				"due_at": now_datetime(),
				"processed_on": now_datetime(),
			}
		)
		d["Complaint SLA Event"] = doc_name = f"ch-http-{self.run}-event"
		event.insert(ignore_permissions=True, set_name=doc_name)
		d["Complaint Review"] = (
			frappe.get_doc(
				{
					"doctype": "Complaint Review",
					"company": self.company,
					"period_type": "Month",
					"from_date": today(),
				}
			)
			.insert(ignore_permissions=True, set_name=f"ch-http-{self.run}-review")
			.name
		)
		d["Complaint Satisfaction Survey"] = (
			frappe.get_doc(
				{
					"doctype": "Complaint Satisfaction Survey",
					"company": self.company,
					"from_date": add_days(today(), -30),
					"to_date": today(),
				}
			)
			.insert(ignore_permissions=True, set_name=f"ch-http-{self.run}-survey")
			.name
		)
		d["Complaint Survey Response"] = (
			frappe.get_doc(
				{
					"doctype": "Complaint Survey Response",
					"survey": d["Complaint Satisfaction Survey"],
					"company": self.company,
					"complaint": d["Complaint"],
				}
			)
			.insert(ignore_permissions=True, set_name=f"ch-http-{self.run}-response")
			.name
		)
		d["Complaint Settings"] = "Complaint Settings"
		frappe.db.commit()
		frappe.flags.mute_emails = False
		return self

	def doc_for_row(self, label: str) -> str | None:
		if label in self.docs:
			return self.docs[label]
		doctype = doctype_of_row(label)
		if doctype in self.docs:
			return self.docs[doctype]
		if frappe.get_meta(doctype).issingle:
			return doctype
		names = frappe.get_all(doctype, pluck="name", limit=1)
		return names[0] if names else None

	def canaries(self, kind: str) -> list[str]:
		party = self.complainant if kind == "complainant" else self.appellant
		return [party["token"], party["digits"]]


_fixtures: Fixtures | None = None


def fixtures() -> Fixtures:
	"""The fixture set of the running test module (created on first use)."""
	global _fixtures
	if _fixtures is None:
		server()
		_fixtures = Fixtures().create()
	return _fixtures


def release() -> None:
	"""Remove the fixtures (call from tearDownModule). The server keeps running until exit."""
	global _fixtures
	_fixtures = None
	purge()


# ------------------------------------------------------------------ cleanup


def app_doctypes(tables: bool = True) -> list[str]:
	filters = {"module": "Complaint Handling", "issingle": 0}
	if not tables:
		filters["istable"] = 0
	return frappe.get_all("DocType", filters=filters, pluck="name")


def delete_rows(doctype: str, names) -> None:
	names = list(set(filter(None, names)))
	if not names or not frappe.db.table_exists(doctype):
		return
	meta = frappe.get_meta(doctype)
	for df in meta.get_table_fields():
		frappe.db.delete(df.options, {"parent": ("in", names), "parenttype": doctype})
	frappe.db.delete(doctype, {"name": ("in", names)})


def purge() -> None:
	"""Delete every fixture (tagged complaints, what hangs off them) and whatever the personas
	created, including leftovers of earlier, interrupted runs. Committed."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	ours = f"{USER_PREFIX}%@example.com"
	complaints = set(frappe.get_all("Complaint", filters={"subject": ("like", f"{TAG}%")}, pluck="name"))
	complaints |= set(frappe.get_all("Complaint", filters={"owner": ("like", ours)}, pluck="name"))
	by_complaint = {"name": ("in", list(complaints) or [""])}
	investigations = set(
		frappe.get_all("Complaint Investigation", filters={"complaint": by_complaint["name"]}, pluck="name")
	)
	appeals = set(
		frappe.get_all("Complaint Appeal", filters={"complaint": by_complaint["name"]}, pluck="name")
	)
	capas = set(frappe.get_all("CAPA Complaint", filters={"complaint": by_complaint["name"]}, pluck="parent"))
	capas |= set(frappe.get_all("CAPA", filters={"title": ("like", f"{TAG}%")}, pluck="name"))
	parties = {}
	for doctype, names in (("Complaint", complaints), ("Complaint Appeal", appeals)):
		link = CASE_FIELDS[doctype][0]
		party_dt = party_doctype(doctype)
		if names and party_dt:
			found = frappe.get_all(doctype, filters={"name": ("in", list(names))}, pluck=link)
			parties.setdefault(party_dt, set()).update(found)
	cases = {
		"Complaint": complaints,
		"Complaint Investigation": investigations,
		"Complaint Appeal": appeals,
		"CAPA": capas,
		**parties,
	}
	for doctype in app_doctypes(tables=False):
		if doctype == "Complaint Settings":
			continue
		extra = set(frappe.get_all(doctype, filters={"owner": ("like", ours)}, pluck="name"))
		for prefix in ("ch-http-%", "CHHTTP%"):
			extra |= set(frappe.get_all(doctype, filters={"name": ("like", prefix)}, pluck="name"))
		cases[doctype] = cases.get(doctype, set()) | extra
	cases["Complaint SLA Event"] = cases.get("Complaint SLA Event", set()) | set(
		frappe.get_all("Complaint SLA Event", filters={"name": ("like", "ch-http-%")}, pluck="name")
	)
	every = set().union(*cases.values()) or {""}
	for doctype, field in (
		("Complaint SLA Event", "reference_name"),
		("Communication", "reference_name"),
		("ToDo", "reference_name"),
		("DocShare", "share_name"),
		("Notification Log", "document_name"),
		("Email Queue", "reference_name"),
		("Version", "docname"),
		("Comment", "reference_name"),
		("Document Follow", "ref_docname"),
		("Error Log", "reference_name"),
		("Tag Link", "document_name"),
	):
		if frappe.db.table_exists(doctype):
			delete_rows(doctype, frappe.get_all(doctype, filters={field: ("in", list(every))}, pluck="name"))
	files = {"attached_to_doctype": ("in", list(cases)), "attached_to_name": ("in", list(every))}
	delete_rows("File", frappe.get_all("File", filters=files, pluck="name"))
	for doctype in ("Communication", "ToDo", "File"):
		delete_rows(doctype, frappe.get_all(doctype, filters={"owner": ("like", ours)}, pluck="name"))
	delete_rows(
		"Stock Entry",
		frappe.get_all("Stock Entry", filters={"owner": ("like", ours), "docstatus": 0}, pluck="name"),
	)
	for doctype, names in cases.items():
		delete_rows(doctype, names)
	frappe.db.commit()
