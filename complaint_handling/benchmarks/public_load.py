"""Load check of the public complaint pages: prints its figures; it asserts nothing.

    bench --site <site> execute complaint_handling.benchmarks.public_load.run \\
        --kwargs "{'base_url': 'http://127.0.0.1:8000', 'server': 'bench serve', 'submit': 1}"

Other keywords: ``clients`` (20), ``duration`` in seconds per target (30), ``host`` (sent as
``Host``; the site's name), ``timeout`` per request (60 s). It measures a server already running
for the site, over loopback: ``bench serve --port 8000 --noreload`` (Werkzeug's development
server: one process, a thread per request) or, as production runs Frappe, gunicorn started in
the bench's ``sites`` folder::

    ../env/bin/gunicorn -b 127.0.0.1:8000 -w 2 -t 120 --preload frappe.app:application

Each target in turn gets ``clients`` concurrent clients for ``duration`` seconds, after a short
warm-up that is not counted, and the run prints p50/p95/p99 latency, answers per second and the
answers that were not 2xx by status (requests that got no answer at all are counted apart):

- ours: ``GET /complaint`` (the form, checked first to render), ``GET /complaint-status``, and
  ``POST complaint_handling.channels.status.lookup`` with a real complaint's reference and its
  complainant's email, multipart as the status page sends it. The lookup is limited per IP
  (``complaint_status_ip_limit``, 60 an hour) and every client here is 127.0.0.1, so it runs twice:
  with the limit raised in the site config for the run (restored right after), which measures the
  lookup itself, and with the limit as configured, which measures the first answers and then the
  429 refusals. The method's rate-limit counters (of every address) are cleared before and after.
- theirs: ERPNext's own ``GET /support`` portal page and Frappe's ``GET /contact`` form (on every
  ERPNext site) on the same site and server, and the ratio of our p95 to theirs. Frappe serves
  those two from its page cache for guests (not in developer mode): the *cached* column counts the
  answers that said ``X-From-Cache: True``. Ours are never cached (``no_cache``).
- with ``submit=1``, ``POST complaint_handling.channels.web_intake.submit`` too, each request with a
  new address and text, first with its per-IP and per-email limits raised for the run, then as
  configured. It creates Draft complaints and their complainants, deleted at the end (the
  numbering counters are set back when nothing else made a complaint meanwhile): use a test or
  demo site. A write is not set beside page reads in the p95 ratios.

Clients are threads with a ``requests.Session`` each, on the same machine as the server, so on a
small machine they take some of its CPU. Latency runs from sending a request to having its whole
body; the percentiles are ``statistics.quantiles`` over every answered request of the target.

The figures and the table are pure functions at the top (tested without a site); what needs the
site imports frappe where it is used.
"""

import os
import statistics
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

LOOKUP = "complaint_handling.channels.status.lookup"
SUBMIT = "complaint_handling.channels.web_intake.submit"
LIMIT_KEYS = ("complaint_status_ip_limit", "complaint_form_ip_limit", "complaint_form_email_limit")
RAISED_LIMIT = 1_000_000
BENCH_EMAIL_DOMAIN = "example.invalid"
FORM_MARKER = 'id="ch-complaint-form"'
WARM_UP_SECONDS = 2


# ------------------------------------------------------------------ figures (pure)


@dataclass
class Result:
	"""What the clients saw of one target: the latency (seconds) of every answered request, the
	answers by HTTP status, the requests without an answer by exception name, the answers served
	from Frappe's page cache, and the wall time from the first request to the last answer."""

	label: str
	latencies: list[float] = field(default_factory=list)
	statuses: Counter = field(default_factory=Counter)
	errors: Counter = field(default_factory=Counter)
	cached: int = 0
	elapsed: float = 0.0

	def merge(self, other: "Result") -> None:
		self.latencies.extend(other.latencies)
		self.statuses.update(other.statuses)
		self.errors.update(other.errors)
		self.cached += other.cached

	@property
	def answered(self) -> int:
		return sum(self.statuses.values())

	@property
	def ok(self) -> int:
		return sum(count for status, count in self.statuses.items() if 200 <= status < 300)

	@property
	def rate(self) -> float:
		"""Answers per second, whatever their status."""
		return self.answered / self.elapsed if self.elapsed > 0 else 0.0


def percentiles(values: list[float]) -> tuple[float, float, float] | None:
	"""p50, p95 and p99 of ``values`` (``statistics.quantiles``, inclusive: the values are every
	request measured, not a sample of them), or None without values."""
	if not values:
		return None
	if len(values) == 1:
		return values[0], values[0], values[0]
	cuts = statistics.quantiles(values, n=100, method="inclusive")
	return cuts[49], cuts[94], cuts[98]


def not_2xx(statuses: Counter) -> str:
	"""The answers outside 2xx by status, most frequent first (``429:1200 500:3``), or ``0``."""
	rest = sorted(
		((status, count) for status, count in statuses.items() if not 200 <= status < 300),
		key=lambda item: (-item[1], item[0]),
	)
	return " ".join(f"{status}:{count}" for status, count in rest) or "0"


def no_answer(errors: Counter) -> str:
	"""The requests without an answer by exception name, or ``0``."""
	return " ".join(f"{name}:{count}" for name, count in sorted(errors.items(), key=lambda i: -i[1])) or "0"


def ms(seconds: float | None) -> str:
	return "-" if seconds is None else f"{seconds * 1000:.0f}"


LABEL_WIDTH = 40
HEADER = (
	f"{'target':<{LABEL_WIDTH}} {'answers':>7} {'req/s':>6} {'p50 ms':>6} {'p95 ms':>6} "
	f"{'p99 ms':>6} {'2xx':>6} {'cached':>6}  not 2xx [/ no answer]"
)


def row(result: Result) -> str:
	"""The table's line for ``result``."""
	p50, p95_, p99 = percentiles(result.latencies) or (None, None, None)
	failures = not_2xx(result.statuses)
	if result.errors:
		failures += f" / {no_answer(result.errors)}"
	return (
		f"{result.label:<{LABEL_WIDTH}} {result.answered:>7} {result.rate:>6.1f} {ms(p50):>6} "
		f"{ms(p95_):>6} {ms(p99):>6} {result.ok:>6} {result.cached:>6}  {failures}"
	)


def p95(result: Result) -> float | None:
	figures = percentiles(result.latencies)
	return figures[1] if figures else None


def ratio(ours: Result, theirs: Result) -> float | None:
	"""Our p95 over theirs (above 1: ours is slower), or None when either has no answer."""
	mine, other = p95(ours), p95(theirs)
	return mine / other if mine is not None and other else None


def ratio_table(ours: list[Result], theirs: list[Result]) -> list[str]:
	"""The p95 ratios: a line per target of ours, a column per page of theirs."""
	lines = [f"{'p95 ours / theirs':<{LABEL_WIDTH}} " + " ".join(f"{t.label:>24}" for t in theirs)]
	for mine in ours:
		cells = []
		for other in theirs:
			value = ratio(mine, other)
			cells.append(f"{'-' if value is None else f'{value:.2f}':>24}")
		lines.append(f"{mine.label:<{LABEL_WIDTH}} " + " ".join(cells))
	return lines


def describe_server(server_header: str, label: str) -> str:
	"""What served the run: the label given, else a description from the ``Server`` header."""
	known = ""
	if server_header.lower().startswith("werkzeug"):
		known = "Werkzeug development server (bench serve): one process, a thread per request"
	elif server_header.lower().startswith("gunicorn"):
		known = "gunicorn (workers as it was started)"
	parts = [part for part in (label, known, f"Server header: {server_header or 'none'}") if part]
	return "; ".join(parts)


# ------------------------------------------------------------------ the clients


@dataclass
class Target:
	"""One thing to load: ``request(client, n)`` gives the ``requests`` arguments (method, path,
	form fields) of request ``n`` of client ``client``; ``group`` is ours or theirs (in the p95
	ratios), limited or writes (not in them)."""

	label: str
	request: Callable[[int, int], dict]
	group: str = "ours"
	warm_up: bool = True


def page(path: str) -> Callable[[int, int], dict]:
	return lambda client, n: {"method": "GET", "path": path}


def method_call(method: str, fields: Callable[[int, int], dict]) -> Callable[[int, int], dict]:
	"""A POST to ``/api/method/<method>`` with ``fields`` as multipart form data, as the pages'
	``FormData`` sends it."""

	def request(client: int, n: int) -> dict:
		form = {name: (None, value) for name, value in fields(client, n).items()}
		return {"method": "POST", "path": f"/api/method/{method}", "files": form}

	return request


def client_loop(
	target: Target, client: int, base_url: str, headers: dict, seconds: float, timeout: float, first: int
) -> Result:
	"""One client: requests back to back for ``seconds``; the one under way at the end is
	waited for and counted."""
	import requests

	seen = Result(target.label)
	session = requests.Session()
	session.headers.update(headers)
	stop_at = time.perf_counter() + seconds
	n = first
	try:
		while time.perf_counter() < stop_at:
			spec = target.request(client, n)
			n += 1
			url = base_url + spec["path"]
			arguments = {key: value for key, value in spec.items() if key != "path"}
			began = time.perf_counter()
			try:
				response = session.request(url=url, timeout=timeout, allow_redirects=False, **arguments)
				response.content  # noqa: B018 - the whole body belongs to the latency
			except requests.RequestException as error:
				seen.errors[type(error).__name__] += 1
				continue
			seen.latencies.append(time.perf_counter() - began)
			seen.statuses[response.status_code] += 1
			seen.cached += response.headers.get("X-From-Cache") == "True"
	finally:
		session.close()
	return seen


def load(
	target: Target, base_url: str, headers: dict, clients: int, duration: float, timeout: float
) -> Result:
	"""``clients`` clients on ``target`` for ``duration`` seconds, after an uncounted warm-up."""

	def clients_for(seconds: float, first: int) -> list[Result]:
		with ThreadPoolExecutor(clients) as pool:
			futures = [
				pool.submit(client_loop, target, c, base_url, headers, seconds, timeout, first)
				for c in range(clients)
			]
			return [future.result() for future in futures]

	if target.warm_up:
		clients_for(WARM_UP_SECONDS, 0)
	result = Result(target.label)
	began = time.perf_counter()
	for seen in clients_for(duration, 1_000_000):
		result.merge(seen)
	result.elapsed = time.perf_counter() - began
	return result


# ------------------------------------------------------------------ the site side


def run(
	clients: int = 20,
	duration: float = 30,
	base_url: str = "http://127.0.0.1:8000",
	host: str | None = None,
	server: str = "",
	submit: int = 0,
	timeout: float = 60,
):
	"""Load each target with ``clients`` clients for ``duration`` seconds at ``base_url``, a
	running server of this site (``host``, by default the site's name, is sent as ``Host``), and
	print the figures. ``server`` says what serves ``base_url``; its ``Server`` header is printed
	too. ``submit=1`` also loads the form's submission, which writes (see the module's doc)."""
	import frappe
	from frappe.utils import now_datetime

	clients, duration, timeout = int(clients), float(duration), float(timeout)
	base_url = base_url.rstrip("/")
	headers = {"Host": host or frappe.local.site, "Accept": "text/html,application/json"}
	run_id = uuid.uuid4().hex[:8]
	saved = {key: frappe.conf.get(key) for key in LIMIT_KEYS}
	counters, began = series_counters(), now_datetime()  # to set the numbering back at the end
	subject, made = lookup_subject()
	frappe.db.commit()
	lookup_fields = lambda client, n: subject  # noqa: E731 - the same real complaint every time
	results: list[tuple[Target, Result]] = []

	def measure(target: Target) -> None:
		result = load(target, base_url, headers, clients, duration, timeout)
		results.append((target, result))
		print(row(result), flush=True)

	try:
		set_limits({"complaint_status_ip_limit": RAISED_LIMIT})
		served_by = preflight(base_url, headers, subject, timeout)
		restore_limits(saved)
		print_header(base_url, headers["Host"], describe_server(served_by, server), clients, duration)
		# ours and theirs alternate, so that a busier minute on a shared machine falls on both
		measure(Target("GET /complaint", page("/complaint")))
		measure(Target("GET /support (ERPNext)", page("/support"), "theirs"))
		measure(Target("GET /complaint-status", page("/complaint-status")))
		measure(Target("GET /contact (Frappe)", page("/contact"), "theirs"))

		set_limits({"complaint_status_ip_limit": RAISED_LIMIT})
		clear_counters(LOOKUP)
		measure(Target("POST status.lookup, limit raised", method_call(LOOKUP, lookup_fields)))
		restore_limits(saved)
		clear_counters(LOOKUP)
		label = f"POST status.lookup, as set ({configured_limit('status')}/h)"
		measure(Target(label, method_call(LOOKUP, lookup_fields), "limited", warm_up=False))
		clear_counters(LOOKUP)

		if int(submit):
			submission = method_call(SUBMIT, submission_fields(run_id))
			set_limits({"complaint_form_ip_limit": RAISED_LIMIT, "complaint_form_email_limit": RAISED_LIMIT})
			clear_counters(SUBMIT)
			measure(Target("POST web_intake.submit, limits raised", submission, "writes"))
			restore_limits(saved)
			clear_counters(SUBMIT)
			label = f"POST web_intake.submit, as set ({configured_limit('form')}/h)"
			measure(Target(label, submission, "limited", warm_up=False))

		print_summary(results)
	except Exception:
		# bench execute calls the function a second time after an exception: stop here instead
		traceback.print_exc()
		raise SystemExit(1) from None
	finally:
		restore_limits(saved)
		clear_counters(LOOKUP)
		if int(submit):
			clear_counters(SUBMIT)
		frappe.db.commit()  # a fresh snapshot: see what the server wrote meanwhile
		remove_made(run_id, subject["reference"] if made else None, counters, began)
		frappe.db.commit()


def print_header(base_url: str, host: str, served_by: str, clients: int, duration: float) -> None:
	import frappe

	cache = "off (developer mode)" if frappe.conf.developer_mode else "on for guests"
	print(f"complaint_handling public load on {frappe.local.site}: {base_url} (Host: {host}), loopback")
	print(f"server: {served_by}")
	print(
		f"{clients} concurrent clients for {duration:.0f} s per target (after {WARM_UP_SECONDS} s of warm-up),"
		f" on the server's machine ({os.cpu_count()} CPUs); Frappe page cache {cache}\n"
	)
	print(HEADER, flush=True)


def print_summary(results: list[tuple["Target", Result]]) -> None:
	ours = [result for target, result in results if target.group == "ours"]
	theirs = [result for target, result in results if target.group == "theirs"]
	print()
	for line in ratio_table(ours, theirs):
		print(line)
	print(
		"\nEvery client is 127.0.0.1, one address for the per-IP limits: the 'raised' rows ran with the"
		f" limit at {RAISED_LIMIT:,} in the site config, restored after; the 'as set' rows measure the"
		" first answers and then the 429 refusals. Rate-limit counters of the methods cleared after."
	)


def preflight(base_url: str, headers: dict, subject: dict, timeout: float) -> str:
	"""Check that the form renders and the lookup finds its complaint before loading anything;
	return the server's ``Server`` header. Stops with SystemExit otherwise (``bench execute``
	would run the function a second time after an exception)."""
	import requests

	try:
		form = requests.get(f"{base_url}/complaint", headers=headers, timeout=timeout)
	except requests.RequestException as error:
		raise SystemExit(f"no server answers at {base_url}: {error}") from None
	if form.status_code != 200 or FORM_MARKER not in form.text:
		raise SystemExit(f"/complaint did not render the form: HTTP {form.status_code}")
	found = requests.post(
		f"{base_url}/api/method/{LOOKUP}",
		headers={**headers, "Accept": "application/json"},
		files={name: (None, value) for name, value in subject.items()},
		timeout=timeout,
	)
	if found.status_code != 200 or found.json().get("message", {}).get("reference") != subject["reference"]:
		raise SystemExit(f"the status lookup did not find {subject['reference']}: HTTP {found.status_code}")
	for path in ("/complaint-status", "/support", "/contact"):
		answer = requests.get(f"{base_url}{path}", headers=headers, timeout=timeout)
		if answer.status_code != 200:
			print(f"note: {path} answers HTTP {answer.status_code} before the run")
	return form.headers.get("Server", "")


def configured_limit(which: str) -> int:
	if which == "status":
		from complaint_handling.channels.status import lookup_limit

		return lookup_limit()
	from complaint_handling.channels.web_intake import ip_limit

	return ip_limit()


def set_limits(values: dict) -> None:
	"""Write ``values`` into the site config, which the server reads on every request."""
	import frappe
	from frappe.installer import update_site_config

	for key, value in values.items():
		update_site_config(key, value)
		frappe.local.conf[key] = value


def restore_limits(saved: dict) -> None:
	"""Put the limits of the site config back as they were (absent ones removed)."""
	import frappe
	from frappe.installer import update_site_config

	current = frappe.get_site_config()
	for key, value in saved.items():
		if current.get(key) != value:
			update_site_config(key, "None" if value is None else value)
		if value is None:
			frappe.local.conf.pop(key, None)
		else:
			frappe.local.conf[key] = value


def clear_counters(method: str) -> None:
	"""Forget Frappe's rate-limit counters of ``method`` (for every address and email)."""
	import frappe

	frappe.cache.delete_keys(f"rl:{method}:")


def lookup_subject() -> tuple[dict, bool]:
	"""A complaint to look up and whether it was made for the run: the newest one whose
	complainant has an email address, else a new Draft made as the public form makes it."""
	import frappe

	rows = frappe.db.sql(
		"""select c.name, p.email from `tabComplaint` c join `tabComplainant` p on p.name = c.complainant
		where ifnull(p.email, '') != '' order by c.creation desc limit 1"""
	)
	if rows:
		return {"reference": rows[0][0], "email": rows[0][1].strip().lower()}, False
	from complaint_handling.channels import web_intake
	from complaint_handling.rules import public_channel as rules

	email = f"load-bench-lookup@{BENCH_EMAIL_DOMAIN}"
	values = rules.clean(
		{"complainant_name": "Load Bench", "email": email, "description": "Looked up by the load benchmark."}
	)
	doc, _token = web_intake.create(values)
	return {"reference": doc.name, "email": email}, True


def submission_fields(run_id: str) -> Callable[[int, int], dict]:
	"""The form's fields for request ``n`` of client ``client``: a new address and text each time,
	so neither the per-email limit nor the duplicate check answers instead of a new complaint."""

	def fields(client: int, n: int) -> dict:
		return {
			"complainant_name": "Load Bench",
			"email": f"load-bench-{run_id}-{client}-{n}@{BENCH_EMAIL_DOMAIN}",
			"description": f"Load benchmark {run_id}, client {client}, request {n}: the seal was broken.",
			"product": "Vial 10 ml",
			"consent": "1",
		}

	return fields


def series_counters() -> dict:
	"""The complaint numbering counters (Frappe's ``tabSeries`` rows of ``intake.numbering``)."""
	import frappe

	from complaint_handling.rules.naming import SERIES_KEY_PREFIX

	prefix = SERIES_KEY_PREFIX.replace("%", "\\%").replace("_", "\\_")
	return dict(frappe.db.sql("select name, current from `tabSeries` where name like %s", (prefix + "%",)))


def remove_made(run_id: str, lookup_made: str | None, counters: dict, began) -> None:
	"""Delete the Draft complaints and complainants the run made (the one looked up, if made for
	the run, and the submissions'), and set the numbering counters back to ``counters`` when no
	other complaint was made since ``began``."""
	import frappe

	complainants = frappe.get_all(
		"Complainant", filters={"email": ("like", f"load-bench-{run_id}-%")}, pluck="name"
	)
	if lookup_made and (party := frappe.db.get_value("Complaint", lookup_made, "complainant")):
		complainants.append(party)
	if not complainants:
		return
	names = frappe.get_all("Complaint", filters={"complainant": ("in", complainants)}, pluck="name")
	# what the scheduler would add to global search later is added now, to be removed with the rest
	from frappe.utils.global_search import sync_global_search

	sync_global_search()
	if names:
		delete_rows("Complaint", names)
	delete_rows("Complainant", complainants)
	others = frappe.db.count("Complaint", {"creation": (">=", began)})
	moved = {name for name, current in series_counters().items() if counters.get(name, 0) != current}
	if not others:
		for name in moved:
			frappe.db.sql(
				"update `tabSeries` set current = %s where name = %s", (counters.get(name, 0), name)
			)
	print(
		f"\nremoved the Draft complaints the run made ({len(names)}) and their complainants;"
		+ (
			f" numbering counters set back: {', '.join(sorted(moved)) or 'none had moved'}"
			if not others
			else f" {others} other complaints were made meanwhile, so the numbering counters stay"
		)
	)


def delete_rows(doctype: str, names: list[str]) -> None:
	"""Delete the records ``names`` of ``doctype`` with their child rows and what refers to them,
	straight from the tables, as the SLA benchmark does: ``frappe.delete_doc`` would add a
	*Deleted* feed comment and queue a job per record."""
	import frappe

	for table in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
	frappe.db.delete(doctype, {"name": ("in", names)})
	frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
	for linked in ("Comment", "Communication"):
		frappe.db.delete(linked, {"reference_doctype": doctype, "reference_name": ("in", names)})
	frappe.db.delete("ToDo", {"reference_type": doctype, "reference_name": ("in", names)})
	frappe.db.delete("Notification Log", {"document_type": doctype, "document_name": ("in", names)})
	frappe.db.delete("File", {"attached_to_doctype": doctype, "attached_to_name": ("in", names)})
	frappe.db.delete("__global_search", {"doctype": doctype, "name": ("in", names)})
