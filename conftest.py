"""One pytest run for both kinds of test.

- ``tests/``: the pure modules (numbering, rules, calendar). They never import frappe.
- ``complaint_handling/**/test_*.py``: FrappeTestCase classes that need a real site. They run when
  ``FRAPPE_SITE`` names one; the bench is ``BENCH`` (default ``~/frappe-bench``). The site is
  prepared the way ``bench run-tests`` prepares it: tests must be allowed, the scheduler is
  paused, and the app's ``before_tests`` hook runs.
"""

import os
from pathlib import Path

import pytest

SITE = os.environ.get("FRAPPE_SITE")


def pytest_ignore_collect(collection_path: Path, config):
	# without a site, only the pure tests can run; say so instead of failing on import frappe
	if not SITE and "complaint_handling" in collection_path.parts and collection_path.suffix == ".py":
		return True
	return None


def pytest_configure(config):
	if not SITE:
		return
	import frappe
	import frappe.utils.scheduler

	bench = Path(os.environ.get("BENCH") or Path.home() / "frappe-bench").expanduser()
	# Frappe writes its logs to ../logs relative to the working directory, as bench runs it
	os.chdir(bench / "sites")
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	if not frappe.conf.allow_tests:
		raise pytest.UsageError(
			f"Testing is disabled for the site {SITE}: run `bench --site {SITE} set-config allow_tests true`."
		)
	frappe.flags.in_test = True
	frappe.clear_cache()
	frappe.utils.scheduler.disable_scheduler()
	for hook in frappe.get_hooks("before_tests", app_name="complaint_handling"):
		frappe.get_attr(hook)()
	frappe.db.commit()


def pytest_report_header(config):
	if SITE:
		return f"integration tests on site {SITE}"
	return "no FRAPPE_SITE: integration tests skipped, unit tests only"


def pytest_unconfigure(config):
	if SITE:
		import frappe

		if frappe.db:
			frappe.utils.scheduler.enable_scheduler()
			frappe.db.commit()
		frappe.destroy()
