"""The customer portal over HTTP (``channels.portal``, ``www/my-complaints``; issue 13 part 3),
against the suite's ``frappe serve``.

A website user of customer B probes every door to a complaint of customer A (REST list, get and
count, ``frappe.client``, the form loader, the portal page, the print view, the attachment's
private URL, Communication and File lists): nothing answers with A's complaint, and no body carries
its reference, subject or complainant. The portal's own methods take hostile input (wrong types,
oversized and marked-up text, SQL-looking values, other customers' names) as a 4xx with a
translated message, never a 500, and save nothing half-way.
"""

import json
import random
import re
import secrets

import frappe
import requests
from frappe.tests.utils import FrappeTestCase

from complaint_handling.channels.test_portal import USER_A, USER_B, ensure_portal_fixtures
from complaint_handling.tests.http import harness as h
from complaint_handling.tests.utils import PASSWORD, purge_complaints

TAG = "ch-portal-http"
FILE_COMPLAINT = "complaint_handling.channels.portal.file_complaint"
FILE_APPEAL = "complaint_handling.channels.portal.file_appeal"
FUZZ_N = 150
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class PortalClient(h.Client):
	"""A harness client logged in as a portal user (not one of the harness personas)."""

	def __init__(self, user: str):
		self.persona = user
		self.user = user
		self.base = h.server().base
		self.session = requests.Session()
		self.session.headers["Accept"] = "application/json"
		self.login()

	def login(self):
		r = self.session.post(f"{self.base}/api/method/login", data={"usr": self.user, "pwd": PASSWORD})
		if r.status_code != 200:
			raise AssertionError(f"login of {self.user} failed: {r.status_code} {r.text[:300]}")
		page = self.session.get(f"{self.base}/my-complaints", headers={"Accept": "text/html"})
		if m := re.search(r"csrf_token\s*=\s*[\"']([0-9a-f]{20,})[\"']", page.text):
			self.session.headers["X-Frappe-CSRF-Token"] = m.group(1)

	def page(self, path: str, **kwargs) -> requests.Response:
		return self.request("GET", path, headers={"Accept": "text/html"}, allow_redirects=False, **kwargs)


class Fixture:
	"""A decided complaint of customer A with canaries in its subject, complainant, email and a
	private attachment; committed as Administrator."""

	def __init__(self, customers: dict):
		frappe.set_user("Administrator")
		self.token = f"canary-{secrets.token_hex(5)}"
		self.customers = customers
		build = h.Fixtures()
		party = {
			"name": f"{self.token}-name",
			"organisation": f"{self.token}-org",
			"email": f"{self.token}@example.org",
			"phone": "",
		}
		frappe.flags.mute_emails = True
		self.complaint = build.new_complaint(
			f"{TAG} {self.token}-subject", party, status="Responded", customer=customers["a"]
		)
		self.subject = frappe.db.get_value("Complaint", self.complaint, "subject")
		build.communication("Complaint", self.complaint, party)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{self.token}-evidence.txt",
				"attached_to_doctype": "Complaint",
				"attached_to_name": self.complaint,
				"is_private": 1,
				"content": f"evidence {self.token}".encode(),
			}
		).insert(ignore_permissions=True)
		self.file_url = file.file_url
		self.undecided = build.new_complaint(f"{TAG} {self.token}-undecided", customer=customers["a"])
		self.of_b = build.new_complaint(f"{TAG} of customer B", customer=customers["b"])
		frappe.db.commit()
		frappe.flags.mute_emails = False

	def canaries(self) -> list[str]:
		return [self.token, self.complaint, self.subject]


def purge_portal() -> None:
	"""Everything the tests filed through the portal, and the fixtures."""
	frappe.db.rollback()
	names = set(frappe.get_all("Complaint", filters={"owner": ("in", [USER_A, USER_B])}, pluck="name"))
	names |= set(frappe.get_all("Complaint", filters={"subject": ("like", f"%{TAG}%")}, pluck="name"))
	appeals = frappe.get_all(
		"Complaint Appeal", filters={"complaint": ("in", list(names) or [""])}, fields=["name", "appellant"]
	)
	for appeal in appeals:
		frappe.db.delete("Complaint Appeal", {"name": appeal.name})
		if appeal.appellant:
			frappe.db.delete("Appellant", {"name": appeal.appellant})
	parties = frappe.get_all("Complaint", filters={"name": ("in", list(names) or [""])}, pluck="complainant")
	for name in frappe.get_all(
		"File",
		filters={"attached_to_doctype": "Complaint", "attached_to_name": ("in", list(names) or [""])},
		pluck="name",
	):
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)
	purge_complaints(names)
	for party in filter(None, parties):
		frappe.db.delete("Complainant", {"name": party})
	frappe.db.commit()


_fixture: Fixture | None = None
_clients: dict[str, PortalClient] = {}


def setUpModule():
	global _fixture
	h.server()
	h.ensure_users()  # a System Manager and the outgoing account the fixtures' mail needs
	purge_portal()
	_fixture = Fixture(ensure_portal_fixtures())


def tearDownModule():
	purge_portal()


def portal_client(user: str) -> PortalClient:
	if user not in _clients or _clients[user].base != h.server().base:
		_clients[user] = PortalClient(user)
	return _clients[user]


def reset_rate_limits() -> None:
	frappe.cache.delete_keys("rl:complaint_handling.channels.portal")


class PortalHttpTestCase(FrappeTestCase):
	def setUp(self):
		reset_rate_limits()
		self.fx = _fixture

	def assertNoLeak(self, response, what=""):
		"""No server error, and no canary in the body: the complaint's reference counts unless the
		request itself named it (an echo of the caller's own input tells them nothing)."""
		self.assertLess(response.status_code, 500, f"{what}: {h.body(response)[:300]}")
		text = h.body(response)
		sent = f"{response.request.url} {frappe.safe_decode(response.request.body or b'')}"
		for canary in self.fx.canaries():
			if canary == self.fx.complaint and canary in sent:
				continue
			self.assertFalse(canary in text, f"{what} leaks {canary}")


class TestAnotherCustomerGetsNothing(PortalHttpTestCase):
	def test_rest_and_frappe_client(self):
		b, name = portal_client(USER_B), self.fx.complaint
		probes = {
			"resource list": b.resource_list("Complaint", fields=["*"], limit_page_length=0),
			"resource list filtered": b.resource_list(
				"Complaint", filters=[["customer", "=", self.fx.customers["a"]]]
			),
			"resource get": b.resource("Complaint", name),
			"client.get": b.call("frappe.client.get", doctype="Complaint", name=name),
			"client.get_list": b.call(
				"frappe.client.get_list", doctype="Complaint", fields=["name", "subject"]
			),
			"client.get_value": b.call(
				"frappe.client.get_value", doctype="Complaint", filters=name, fieldname="subject"
			),
			"client.get_count": b.call(
				"frappe.client.get_count", doctype="Complaint", filters={"name": name}
			),
			"getdoc": b.get(
				"/api/method/frappe.desk.form.load.getdoc", {"doctype": "Complaint", "name": name}
			),
			"reportview": b.call(
				"frappe.desk.reportview.get", doctype="Complaint", fields=["name", "subject"]
			),
			"search": b.call("frappe.desk.search.search_link", doctype="Complaint", txt=name[:6]),
			"communications": b.resource_list("Communication", fields=["*"], limit_page_length=0),
			"files": b.resource_list("File", fields=["*"], limit_page_length=0),
			"complainants": b.resource_list("Complainant", fields=["*"]),
		}
		for what, response in probes.items():
			with self.subTest(what):
				self.assertNoLeak(response, what)
		for what in ("resource list", "resource get", "client.get", "client.get_count", "getdoc"):
			with self.subTest(what):
				self.assertIn(probes[what].status_code, (403, 404), what)

	def test_portal_pages_print_view_and_the_attachment(self):
		b, name = portal_client(USER_B), self.fx.complaint
		page = b.page(f"/my-complaints/{name}")
		self.assertEqual(page.status_code, 404)
		self.assertNoLeak(page, "complaint page")
		missing = b.page("/my-complaints/TS-I-99-999")
		self.assertEqual(missing.status_code, 404)
		listing = b.page("/my-complaints")
		self.assertEqual(listing.status_code, 200)
		self.assertNoLeak(listing, "list page")
		self.assertIn(self.fx.of_b, h.body(listing))
		for path in (self.fx.file_url, f"/printview?doctype=Complaint&name={name}&format=Standard"):
			with self.subTest(path):
				response = b.page(path)
				self.assertEqual(response.status_code, 403, path)
				self.assertNoLeak(response, path)

	def test_appealing_another_customers_complaint_is_the_same_not_found(self):
		b = portal_client(USER_B)
		answers = []
		for name in (self.fx.complaint, "TS-I-99-999"):
			response = b.call(FILE_APPEAL, complaint=name, grounds="We disagree.")
			self.assertEqual(response.status_code, 404, h.body(response)[:300])
			self.assertIsNone(h.refusal_problem(response))
			self.assertNoLeak(response, name)
			answers.append(h.server_messages(response))
		self.assertEqual(answers[0], answers[1])
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Complaint Appeal", {"owner": USER_B}))


class TestTheCustomersOwnUser(PortalHttpTestCase):
	def test_lists_and_opens_their_complaint_and_still_has_no_rest_access(self):
		a, name = portal_client(USER_A), self.fx.complaint
		listing = a.page("/my-complaints")
		self.assertEqual(listing.status_code, 200)
		self.assertIn(name, h.body(listing))
		self.assertNotIn(self.fx.of_b, h.body(listing))
		page = a.page(f"/my-complaints/{name}")
		self.assertEqual(page.status_code, 200)
		self.assertIn(self.fx.subject, h.body(page))
		self.assertIn('data-public-status="Answered"', h.body(page))
		self.assertNotIn("Credit note issued", h.body(page))  # no letter carried the resolution
		for response in (a.resource("Complaint", name), a.page(self.fx.file_url)):
			self.assertIn(response.status_code, (403, 404))

	def test_the_forms_tell_their_script_the_page_s_language(self):
		a = portal_client(USER_A)
		for path in ("/my-complaints/new", f"/my-complaints/{self.fx.complaint}"):
			with self.subTest(path=path):
				page = a.page(path, params={"_lang": "zh"})
				self.assertEqual(page.status_code, 200)
				self.assertNotIn("{{", h.body(page))  # Frappe leaves an unknown name as it was
				# the appeal form shows only while the complaint may be appealed (another test may
				# have appealed it already); the new complaint's form always
				if path.endswith("/new") or 'id="ch-appeal"' in h.body(page):
					self.assertIn('data-lang="zh"', h.body(page))

	def test_guest_is_sent_to_log_in(self):
		guest = requests.Session()
		response = guest.get(f"{h.server().base}/my-complaints", allow_redirects=False)
		self.assertIn(response.status_code, (301, 302))
		self.assertIn("/login", response.headers.get("Location", ""))
		response = guest.post(f"{h.server().base}/api/method/{FILE_COMPLAINT}", data={"description": "x"})
		self.assertEqual(response.status_code, 403)

	def test_files_a_complaint_and_an_appeal(self):
		a = portal_client(USER_A)
		response = a.request(
			"POST",
			f"/api/method/{FILE_COMPLAINT}",
			data={"description": f"{TAG} the label of lot 9 is wrong.", "consent": "1"},
			files=[("files", ("label.pdf", PDF, "application/pdf"))],
		)
		self.assertEqual(response.status_code, 200, h.body(response)[:300])
		reference = h.data_of(response)["reference"]
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value("Complaint", reference, ["channel", "customer", "status"]),
			("Portal", self.fx.customers["a"], "Draft"),
		)
		files = frappe.get_all(
			"File",
			filters={"attached_to_doctype": "Complaint", "attached_to_name": reference},
			fields=["is_private", "file_url"],
		)
		self.assertEqual([f.is_private for f in files], [1])
		# the user's own file opens for them, for another customer's user it is forbidden
		self.assertEqual(a.page(files[0].file_url).status_code, 200)
		self.assertEqual(portal_client(USER_B).page(files[0].file_url).status_code, 403)
		refused = a.request(
			"POST",
			f"/api/method/{FILE_COMPLAINT}",
			data={"description": f"{TAG} an executable", "consent": "1"},
			files=[("files", ("run.exe", b"MZ\x90\x00", "application/octet-stream"))],
		)
		self.assertEqual(refused.status_code, 417)
		self.assertIsNone(h.refusal_problem(refused))
		# what they filed is theirs in the portal only: REST still knows no complaint for them
		for response in (a.resource("Complaint", reference), a.resource_list("Complaint")):
			self.assertEqual(response.status_code, 403, h.body(response)[:300])
		response = a.call(FILE_APPEAL, complaint=self.fx.complaint, grounds="The retained sample.")
		self.assertEqual(response.status_code, 200, h.body(response)[:300])
		frappe.db.rollback()
		appeal = h.data_of(response)["appeal"]
		self.assertEqual(frappe.db.get_value("Complaint Appeal", appeal, "complaint"), self.fx.complaint)
		page = a.page(f"/my-complaints/{self.fx.complaint}?filed=appeal")
		self.assertIn(appeal, h.body(page))
		self.assertIn('data-filed="appeal"', h.body(page))


HOSTILE_VALUES = [
	"",
	" ",
	"x" * 12_000,
	"<script>alert(1)</script>",
	"'; DROP TABLE `tabComplaint`; --",
	"\x00\x01\x02",
	"../../etc/passwd",
	"%",
	["a", "b"],
	{"$gt": ""},
	12345,
	None,
	True,
]


class TestHostileInput(PortalHttpTestCase):
	def counts(self):
		frappe.db.rollback()
		return (
			frappe.db.count("Complaint"),
			frappe.db.count("Complaint Appeal"),
			frappe.db.count("Complainant"),
			frappe.db.count("Appellant"),
		)

	def test_named_cases_are_refused_with_a_translated_message(self):
		a = portal_client(USER_A)
		before = self.counts()
		cases = {
			"no description": (FILE_COMPLAINT, {"consent": "1"}),
			"huge description": (FILE_COMPLAINT, {"description": "x" * 200_000, "consent": "1"}),
			"no consent": (FILE_COMPLAINT, {"description": f"{TAG} a"}),
			"other customer": (
				FILE_COMPLAINT,
				{"description": f"{TAG} a", "consent": "1", "customer": self.fx.customers["b"]},
			),
			"bad email": (FILE_COMPLAINT, {"description": f"{TAG} a", "consent": "1", "email": "x@@y"}),
			"list customer": (FILE_COMPLAINT, {"description": f"{TAG} a", "consent": "1", "customer": ["x"]}),
			"no complaint": (FILE_APPEAL, {"grounds": "g"}),
			"no grounds": (FILE_APPEAL, {"complaint": self.fx.complaint}),
			"huge grounds": (FILE_APPEAL, {"complaint": self.fx.complaint, "grounds": "g" * 50_000}),
			"undecided": (FILE_APPEAL, {"complaint": self.fx.undecided, "grounds": "g"}),
			"other customer's complaint": (FILE_APPEAL, {"complaint": self.fx.of_b, "grounds": "g"}),
			"dict complaint": (FILE_APPEAL, {"complaint": {"name": self.fx.complaint}, "grounds": "g"}),
		}
		for label, (method, data) in cases.items():
			with self.subTest(label):
				reset_rate_limits()
				response = (
					a.call_json(method, **data)
					if label.startswith(("list", "dict"))
					else a.call(method, **data)
				)
				self.assertLess(response.status_code, 500, f"{label}: {h.body(response)[:300]}")
				self.assertIsNone(h.refusal_problem(response), label)
		self.assertEqual(self.counts(), before)

	def test_seeded_fuzz_gives_no_server_error_and_saves_nothing_half_way(self):
		rng = random.Random(13)
		a, b = portal_client(USER_A), portal_client(USER_B)
		fields = {
			FILE_COMPLAINT: [
				"description",
				"customer",
				"complainant_name",
				"email",
				"phone",
				"occurred_on",
				"location",
				"product",
				"batch_no",
				"document_no",
				"remedy_sought",
				"consent",
			],
			FILE_APPEAL: ["complaint", "grounds", "remedy_sought"],
		}
		errors, statuses = [], {}
		for i in range(FUZZ_N):
			method = rng.choice(list(fields))
			data = {
				field: rng.choice(HOSTILE_VALUES)
				for field in rng.sample(fields[method], rng.randint(0, len(fields[method])))
			}
			client = rng.choice((a, b))
			reset_rate_limits()
			response = (
				client.call_json(method, **data)
				if i % 2
				else client.call(method, **{k: v for k, v in data.items() if v is not None})
			)
			statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
			if response.status_code >= 500:
				errors.append((method, json.dumps(data, default=str)[:200], h.body(response)[:300]))
			elif response.status_code == 200:
				# a hostile value that passed the checks is stored as text: the complaint is whole
				answer = h.data_of(response) or {}
				frappe.db.rollback()
				if reference := answer.get("reference"):
					self.assertTrue(frappe.db.get_value("Complaint", reference, "complainant"))
			elif response.status_code != 429:
				self.assertIsNone(h.refusal_problem(response), json.dumps(data, default=str)[:200])
		print(f"\nportal fuzz: {FUZZ_N} requests, statuses {dict(sorted(statuses.items()))}")
		self.assertEqual(errors, [])

	def test_the_rate_limit_answers_429(self):
		a = portal_client(USER_A)
		limit = 20
		codes = [
			a.call(FILE_APPEAL, complaint="TS-I-99-999", grounds="g").status_code for _ in range(limit + 1)
		]
		self.assertEqual(codes[-1], 429)
		self.assertNotIn(500, codes)
