"""The management-review pack (ISO 9001 §9.3, issue 14 part 5): a background job renders the
Complaint Review through its print format *Complaint Review Pack* with wkhtmltopdf and attaches
the PDF, private, to the review.

The quality manager clicks *Generate Pack*; :func:`generate` checks they may write the review,
marks it *Generating* and queues :func:`build`, which reports its progress on the review's form
(``frappe.publish_progress``) and ends with the review *Ready* (the pack attached, its figures
filled in) or *Failed* (the error logged, a translated reason on the review).
"""

import base64
import os
import re

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.background_jobs import is_job_enqueued
from frappe.utils.pdf import get_pdf

from complaint_handling.review.sections import collect
from complaint_handling.setup import defaults

DOCTYPE = "Complaint Review"
PRINT_FORMAT = defaults.REVIEW_PACK
JOB = "complaint_handling.review.pack.build"
DRAFT, GENERATING, READY, FAILED = "Draft", "Generating", "Ready", "Failed"
DONE_EVENT = "complaint_review_pack"  # the form reloads on it
SAVEPOINT = "complaint_review_pack"
# a stylesheet the print view links from the bench's assets (the print bundle)
STYLESHEET = re.compile(r'<link[^>]*href="(?:https?://[^/"]+)?/assets/([^"?#]+\.css)[^"]*"[^>]*>')


def job_id(review: str) -> str:
	return f"complaint-review-pack::{review}"


@frappe.whitelist(methods=["POST"])
def generate(review: str) -> dict:
	"""Queue the pack of Complaint Review ``review``. Only who may write the review (a quality
	manager) may; anyone else gets a PermissionError and nothing is queued. Returns ``{"queued":
	bool, "message": str}``."""
	frappe.has_permission(DOCTYPE, "write", doc=review, throw=True)
	doc = frappe.get_doc(DOCTYPE, review)
	if doc.status == GENERATING and is_job_enqueued(job_id(doc.name)):
		return {"queued": False, "message": _("The pack of {0} is already being generated.").format(doc.name)}
	stamp(doc, status=GENERATING, error=None)
	frappe.enqueue(
		JOB,
		queue="long",
		timeout=1800,
		job_id=job_id(doc.name),
		enqueue_after_commit=True,
		review=doc.name,
		lang=frappe.local.lang,
	)
	return {"queued": True, "message": _("The pack of {0} is being generated.").format(doc.name)}


def build(review: str, lang: str | None = None) -> None:
	"""Background job: collect the sections of ``review``, render its PDF, attach it (private) and
	mark the review Ready; on any error, log it and mark the review Failed with the reason.
	Runs as the user who asked for it, so the pack holds what they may read, and in the language
	they asked in (``lang``; a worker's own is the system language)."""
	if lang:
		frappe.local.lang = lang
	doc = frappe.get_doc(DOCTYPE, review)
	frappe.db.savepoint(SAVEPOINT)
	try:
		progress(doc, 5, _("Collecting the figures of the period"))
		doc.pack_data = collect(doc)
		progress(doc, 45, _("Rendering the PDF"))
		pdf = render_pdf(doc)
		progress(doc, 85, _("Attaching the pack"))
		file = attach(doc, pdf)
		stamp(
			doc,
			status=READY,
			pack=file.file_url,
			generated_on=now_datetime(),
			generated_by=frappe.session.user,
			error=None,
			**doc.pack_data.figures,
		)
	except Exception as e:
		undo()
		log = frappe.log_error(
			title=f"Complaint Review {review}: pack failed", reference_doctype=DOCTYPE, reference_name=review
		)
		doc = frappe.get_doc(DOCTYPE, review)
		reason = frappe.utils.strip_html(str(e)) or type(e).__name__
		stamp(
			doc,
			status=FAILED,
			error=_("The pack could not be generated: {0} (Error Log {1}).").format(reason[:300], log.name),
		)
	progress(doc, 100, _("Ready") if doc.status == READY else _("Failed"))
	frappe.publish_realtime(
		DONE_EVENT,
		{"name": doc.name, "status": doc.status},
		doctype=DOCTYPE,
		docname=doc.name,
		after_commit=True,
	)


def render_pdf(doc) -> bytes:
	"""The pack as PDF: the print view's HTML (``frappe.get_print``) through wkhtmltopdf, as
	``get_print(..., as_pdf=True)`` does, but with the print stylesheets inlined (data: URLs) from
	the bench's assets. wkhtmltopdf would fetch them from the site's URL, which a worker (or a CI machine) often
	cannot resolve: it then fails with HostNotFoundError."""
	try:
		html = frappe.get_print(DOCTYPE, doc.name, print_format=PRINT_FORMAT, doc=doc)
	finally:
		doc.flags.in_print = False  # a document in print is never saved: the job stamps it next
	return get_pdf(STYLESHEET.sub(inline_stylesheet, html))


def inline_stylesheet(match) -> str:
	# normpath, not realpath: the apps' asset folders are symlinks out of sites/assets
	assets = os.path.abspath(os.path.join(frappe.local.sites_path, "assets"))
	path = os.path.normpath(os.path.join(assets, match.group(1)))
	if not path.startswith(assets + os.sep) or not os.path.isfile(path):
		return match.group(0)
	# a data: URL rather than a <style>: Frappe's get_pdf parses every <style> with cssutils
	with open(path, "rb") as f:
		data = base64.b64encode(f.read()).decode()
	return f'<link rel="stylesheet" type="text/css" href="data:text/css;base64,{data}">'


def undo() -> None:
	"""Drop what the failed attempt wrote. The print view commits (Frappe's access log, outside
	tests), which ends the savepoint: then the whole uncommitted rest goes."""
	try:
		frappe.db.rollback(save_point=SAVEPOINT)
	except Exception:
		frappe.db.rollback()


def stamp(doc, **values) -> None:
	"""Write the fields only the pack job writes (see the controller's ``refuse_stamped``)."""
	doc.update(values)
	doc.flags.pack_job = True
	try:
		doc.save()
	finally:
		doc.flags.pack_job = False


def attach(doc, pdf: bytes):
	"""The PDF as a private File attached to the review's *pack* field, replacing an earlier pack."""
	for name in frappe.get_all(
		"File",
		filters={"attached_to_doctype": DOCTYPE, "attached_to_name": doc.name, "attached_to_field": "pack"},
		pluck="name",
	):
		frappe.delete_doc("File", name, ignore_permissions=True)
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{doc.name}.pdf",
			"attached_to_doctype": DOCTYPE,
			"attached_to_name": doc.name,
			"attached_to_field": "pack",
			"is_private": 1,
			"content": pdf,
		}
	).save(ignore_permissions=True)


def progress(doc, percent: int, description: str) -> None:
	frappe.publish_progress(
		percent, title=_("Management Review Pack"), doctype=DOCTYPE, docname=doc.name, description=description
	)
