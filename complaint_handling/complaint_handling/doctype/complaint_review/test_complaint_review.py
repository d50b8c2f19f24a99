# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt
"""The management-review pack on a real site: the job renders the PDF with wkhtmltopdf, the text
is read back with pdftotext (poppler-utils) and page 1 is saved as a PNG artefact."""

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from unittest.mock import patch

import frappe
from frappe.utils import getdate, now_datetime, today

from complaint_handling.complaint_handling.doctype.capa.test_capa import (
	check,
	finish_actions,
	make_capa,
	plan_verification,
)
from complaint_handling.review import pack
from complaint_handling.setup import defaults, install
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	GM_USER,
	HANDLER_USER,
	INTAKE_USER,
	QM_2_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	default_company,
	make_complaint,
	move,
	reload,
	respond,
)

SHOTS = os.environ.get("CH_BROWSER_SHOTS") or "/tmp/ch-browser-shots"
CANARY_NAME = "Zhang Packcanary"
CANARY_EMAIL = "pack-canary@example.org"
APPELLANT_NAME = "Wang Appealcanary"
APPELLANT_EMAIL = "appeal-canary@example.org"
HEADINGS = (
	"Management Review of Complaints",
	"Key Figures",
	"Complaints of the Period",
	"Trends",
	"Major Complaints",
	"Open CAPAs",
	"CAPA Effectiveness in the Period",
	"Appeals and Their Outcomes",
	"Complainant Satisfaction",
)


def new_review(**values):
	with as_user(QM_USER):
		return frappe.get_doc(
			{
				"doctype": "Complaint Review",
				"company": default_company(),
				"period_type": "Month",
				"from_date": today(),
				**values,
			}
		).insert()


def squeeze(text: str) -> str:
	"""Compare without what the PDF changes: cells wrap (whitespace; pdftotext joins a word split
	at a hyphen) and the fonts' ligatures (ﬀ, ﬁ)."""
	return re.sub(r"[\s-]+", "", unicodedata.normalize("NFKC", text))


class TestComplaintReviewPack(ComplaintTestCase):
	def test_the_pack_has_every_section_and_no_party(self):
		if not shutil.which("pdftotext"):
			self.skipTest("pdftotext (poppler-utils) is not installed")
		major = make_complaint(
			subject="Pack: vial cracked",
			complainant_name=CANARY_NAME,
			complainant_email=CANARY_EMAIL,
			involves_safety=1,
			major_reason="Glass in the vial",
		)
		minor = make_complaint(
			subject="Pack: late delivery", complaint_category="Delivery Delay", severity="III"
		)
		capa = make_capa(source_doctype="Complaint", source_name=major.name)
		checked = move(make_capa(title="Labels misprinted"), "Open", QM_USER)
		checked = move(finish_actions(plan_verification(checked)), "Pending Verification", HANDLER_USER)
		checked = check(checked, "Ineffective")
		decided = respond(make_complaint(subject="Pack: decided"))
		with as_user(INTAKE_USER):
			appeal = frappe.get_doc(
				{
					"doctype": "Complaint Appeal",
					"complaint": decided.name,
					"appellant_name": APPELLANT_NAME,
					"appellant_email": APPELLANT_EMAIL,
					"filed_on": now_datetime(),
					"grounds": "<p>The retained sample was never re-tested.</p>",
				}
			).insert()

		review = new_review(remarks="Quarter close: read before the meeting.")
		self.assertEqual(getdate(review.from_date).day, 1)
		with as_user(QM_USER), patch("frappe.enqueue") as enqueue:
			answer = pack.generate(review.name)
		self.assertTrue(answer["queued"])
		enqueue.assert_called_once()
		self.assertEqual(enqueue.call_args.args[0], pack.JOB)
		self.assertEqual(enqueue.call_args.kwargs["review"], review.name)
		self.assertEqual(reload(review).status, pack.GENERATING)

		# what the worker would run, as the quality manager who asked
		with as_user(QM_USER), patch("frappe.publish_progress") as progress:
			pack.build(review.name)
		self.assertEqual(progress.call_args_list[-1].args[0], 100)
		review = reload(review)
		self.assertEqual(review.status, pack.READY, review.error)
		self.assertEqual(review.generated_by, QM_USER)
		self.assertGreaterEqual(review.complaints_received, 3)
		self.assertGreaterEqual(review.major_complaints, 1)
		self.assertGreaterEqual(review.open_capas, 1)
		self.assertGreaterEqual(review.appeals, 1)
		self.assertGreaterEqual(review.ineffective_checks, 1)

		file = frappe.get_doc("File", {"file_url": review.pack})
		self.assertEqual((file.attached_to_doctype, file.attached_to_name), ("Complaint Review", review.name))
		self.assertEqual(file.attached_to_field, "pack")
		self.assertTrue(file.is_private)
		self.assertTrue(review.pack.startswith("/private/files/"))
		content = file.get_content()
		self.assertTrue(content.startswith(b"%PDF"))

		with tempfile.TemporaryDirectory() as tmp:
			path = os.path.join(tmp, "pack.pdf")
			with open(path, "wb") as f:
				f.write(content)
			text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
			if shutil.which("pdftoppm"):
				os.makedirs(SHOTS, exist_ok=True)
				prefix = os.path.join(SHOTS, "complaint-review-pack")
				subprocess.run(
					["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path, prefix], check=True
				)
				self.assertTrue([n for n in os.listdir(SHOTS) if n.startswith("complaint-review-pack")])
		os.remove(file.get_full_path())

		flat = squeeze(text)
		for heading in HEADINGS:
			self.assertIn(squeeze(heading), flat, f"section {heading!r} missing")
		for name in (major.name, capa.name, checked.name, appeal.name):
			self.assertIn(squeeze(name), flat)
		self.assertNotIn(squeeze(minor.name), flat, "a complaint that is not major is not listed")
		for secret in (
			CANARY_NAME,
			CANARY_EMAIL,
			APPELLANT_NAME,
			APPELLANT_EMAIL,
			"Li Wei",
			"complainant@example.org",
		):
			self.assertNotIn(squeeze(secret), flat, f"{secret} printed in the pack")

	def test_the_pack_is_in_the_language_of_who_asked(self):
		if not shutil.which("pdftotext"):
			self.skipTest("pdftotext (poppler-utils) is not installed")
		review = new_review()
		asked_in = frappe.local.lang
		try:
			frappe.local.lang = "zh"  # a quality manager whose desk is in Chinese clicks Generate Pack
			with as_user(QM_USER), patch("frappe.enqueue") as enqueue:
				pack.generate(review.name)
		finally:
			frappe.local.lang = asked_in
		job = enqueue.call_args.kwargs
		self.assertEqual(job["lang"], "zh")
		# the worker starts in the system language
		with as_user(QM_USER), patch("frappe.publish_progress"):
			try:
				pack.build(job["review"], lang=job["lang"])
			finally:
				frappe.local.lang = asked_in
		review = reload(review)
		self.assertEqual(review.status, pack.READY, review.error)
		file = frappe.get_doc("File", {"file_url": review.pack})
		with tempfile.TemporaryDirectory() as tmp:
			path = os.path.join(tmp, "pack.pdf")
			with open(path, "wb") as f:
				f.write(file.get_content())
			text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
		os.remove(file.get_full_path())
		self.assertIn("投诉管理评审", text)
		self.assertNotIn("Management Review of Complaints", text)

	def test_only_who_may_write_the_review_generates_it(self):
		review = new_review()
		for user in (HANDLER_USER, AUDITOR_USER, GM_USER, INTAKE_USER):
			with self.subTest(user=user), as_user(user), patch("frappe.enqueue") as enqueue:
				with self.assertRaises(frappe.PermissionError):
					pack.generate(review.name)
				enqueue.assert_not_called()
		self.assertEqual(reload(review).status, pack.DRAFT)
		# auditors and general managers read it
		for user in (AUDITOR_USER, GM_USER):
			with as_user(user):
				self.assertTrue(frappe.has_permission("Complaint Review", "read", review.name))
				self.assertFalse(frappe.has_permission("Complaint Review", "write", review.name))

	def test_a_failure_is_logged_and_the_review_says_why(self):
		review = new_review()
		with as_user(QM_USER), patch("frappe.enqueue"):
			pack.generate(review.name)
		with as_user(QM_USER), patch("frappe.get_print", side_effect=OSError("wkhtmltopdf crashed")):
			pack.build(review.name)
		review = reload(review)
		self.assertEqual(review.status, pack.FAILED)
		self.assertIn("wkhtmltopdf crashed", review.error)
		log = re.search(r"Error Log (\S+)\)", review.error).group(1)
		self.assertEqual(frappe.db.get_value("Error Log", log, "reference_name"), review.name)
		self.assertFalse(review.pack)

	def test_what_the_job_stamps_cannot_be_written(self):
		review = new_review()
		with as_user(QM_USER), self.assertRaisesRegex(frappe.PermissionError, "Status"):
			doc = reload(review)
			doc.status = pack.READY
			doc.save()
		with as_user(QM_USER), self.assertRaises(frappe.PermissionError):
			doc = reload(review)
			doc.pack = "/private/files/forged.pdf"
			doc.save()

	def test_periods_and_names(self):
		abbr = frappe.db.get_value("Company", default_company(), "abbr")
		month = new_review(from_date="2026-02-17")
		self.assertEqual((str(month.from_date), str(month.to_date)), ("2026-02-01", "2026-02-28"))
		self.assertEqual(month.name, f"CR-{abbr}-2026-02")
		quarter = new_review(period_type="Quarter", from_date="2026-11-29")
		self.assertEqual((str(quarter.from_date), str(quarter.to_date)), ("2026-10-01", "2026-12-31"))
		self.assertEqual(quarter.name, f"CR-{abbr}-2026-Q4")
		custom = new_review(period_type="Custom", from_date="2026-11-03", to_date="2026-11-20")
		self.assertEqual(custom.name, f"CR-{abbr}-20261103-20261120")
		self.assertEqual(new_review(from_date="2026-02-01").name, f"CR-{abbr}-2026-02-1")
		with self.assertRaisesRegex(frappe.ValidationError, "before From Date"):
			new_review(period_type="Custom", from_date="2026-11-20", to_date="2026-11-03")


class TestReviewReportsByEmail(ComplaintTestCase):
	def scheduled(self, report="Complaint Register"):
		return frappe.get_all(
			"Auto Email Report",
			filters={"report": report},
			fields=["name", "user", "email_to", "frequency", "format", "enabled"],
		)

	def setUp(self):
		super().setUp()
		for name in frappe.get_all(
			"Auto Email Report", filters={"report": ("in", list(install.REVIEW_REPORTS))}, pluck="name"
		):
			frappe.delete_doc("Auto Email Report", name, ignore_permissions=True)

	def test_seeded_once_to_the_quality_managers_and_edits_survive(self):
		# Administrator with the quality manager role is no recipient: the site's account, not a person
		if not frappe.db.exists("Has Role", {"parent": "Administrator", "role": defaults.QUALITY_MANAGER}):
			frappe.get_doc(
				{
					"doctype": "Has Role",
					"parent": "Administrator",
					"parenttype": "User",
					"parentfield": "roles",
					"role": defaults.QUALITY_MANAGER,
				}
			).db_insert()
		install.seed_review_reports()
		(row,) = self.scheduled()
		self.assertEqual((row.frequency, row.enabled), ("Monthly", 1))
		recipients = row.email_to.split()
		self.assertIn(QM_USER, recipients)
		self.assertIn(QM_2_USER, recipients)
		self.assertNotIn(HANDLER_USER, recipients)
		self.assertNotIn("Administrator", recipients)
		self.assertNotIn(frappe.db.get_value("User", "Administrator", "email"), recipients)
		self.assertIn(row.user, recipients)
		if frappe.db.exists("Report", "Complaint Trends"):
			self.assertEqual(len(self.scheduled("Complaint Trends")), 1)

		doc = frappe.get_doc("Auto Email Report", row.name)
		doc.email_to, doc.format = QM_USER, "CSV"
		doc.save(ignore_permissions=True)
		install.seed_review_reports()
		(again,) = self.scheduled()
		self.assertEqual((again.name, again.email_to, again.format), (row.name, QM_USER, "CSV"))

	def test_skipped_without_an_outgoing_account(self):
		frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)
		install.seed_review_reports()
		self.assertEqual(self.scheduled(), [])
