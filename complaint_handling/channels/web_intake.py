"""The public complaint form (``/complaint``, ``www/complaint.html``): anyone may complain without
an account (ISO 10002, ISO/IEC 17025 §7.9.2), and a form open to the internet keeps abuse out.

The page posts to :func:`submit`, a guest method, never to ``/api/resource``: Guest has no
permission on Complaint, and only the fields listed here reach the record. The guest methods are
``xss_safe``: Frappe would otherwise pass Guest input through its HTML sanitiser, turning what the
complainant typed ("a < b") into entities; here every value is made plain text and escaped when
stored instead. What it does:

- rate limits per IP and per email address (Frappe's ``rate_limit``: HTTP 429 beyond them);
- a honeypot field a person never sees: a submission that fills it is answered as received and
  dropped;
- every field cleaned to plain text and held to its length (``rules.public_channel``), what
  happened stored escaped, never as markup; up to three files of known kinds, checked by content;
- the same text from the same address within ``DUPLICATE_WINDOW`` is the same complaint: its
  reference is answered again and new files join it, no second complaint is made;
- the complaint is a Draft with channel *Web Form*; the complainant's contacts go through the
  complaint's contact fields into a *Complainant* (``security.parties.store``), so the complaint's
  own columns stay empty; a tracking token is issued (``channels.tokens``).
"""

import time

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import add_to_date, cint, getdate, now_datetime, validate_email_address

from complaint_handling.channels import tokens
from complaint_handling.rules import public_channel as rules
from complaint_handling.rules.mail_text import as_html
from complaint_handling.security.stamped import app_stamping

CHANNEL = "Web Form"
DUPLICATE_WINDOW = 10  # minutes
HOUR, DAY = 60 * 60, 24 * 60 * 60


def ip_limit() -> int:
	"""Submissions per IP address and hour (site config ``complaint_form_ip_limit``)."""
	return cint(frappe.conf.get("complaint_form_ip_limit")) or 10


def email_limit() -> int:
	"""Submissions per email address and day (site config ``complaint_form_email_limit``)."""
	return cint(frappe.conf.get("complaint_form_email_limit")) or 5


def labels() -> dict:
	"""The form's field labels, translated (also what error messages name)."""
	return {
		"complainant_name": _("Your Name"),
		"organisation": _("Organisation"),
		"email": _("Email"),
		"phone": _("Phone"),
		"occurred_on": _("When did it happen?"),
		"location": _("Where did it happen?"),
		"product": _("Product or Item"),
		"batch_no": _("Batch Number"),
		"document_no": _("Related Document Number"),
		"description": _("What happened?"),
		"remedy_sought": _("What would you like us to do?"),
		"information": _("Information"),
		"comment": _("Comment"),
		"correction": _("What should we correct?"),
	}


def form_context(context) -> None:
	"""Puts into a page's ``context`` what the public and portal forms show beside their fields: the
	labels (:func:`labels`), the length limits (``rules.FIELD_LIMITS``), the files allowed
	(``max_files``, ``max_file_mb``, ``accept``: the extensions ``rules.FILE_SIGNATURES`` knows),
	``today`` (the latest date a complaint can have happened on, system time zone) and ``lang``, the
	page's language, which the page's script sends back so that answers come in it."""
	context.lang = frappe.local.lang
	context.labels = labels()
	context.limits = rules.FIELD_LIMITS
	context.max_files = rules.MAX_FILES
	context.max_file_mb = rules.MAX_FILE_BYTES // (1024 * 1024)
	context.accept = ",".join(f".{extension}" for extension in sorted(rules.FILE_SIGNATURES))
	context.today = frappe.utils.today()


def guest_text(value, field: str, limit: str | None = None) -> str:
	"""What a visitor wrote in ``field`` (a key of :func:`labels`) as plain multi-line text, at most
	``rules.FIELD_LIMITS[limit or field]`` characters. Raises ``frappe.CharacterLengthExceededError``
	(417) naming the field when it is longer."""
	text = rules.multi_line(value)
	most = rules.FIELD_LIMITS[limit or field]
	if len(text) > most:
		frappe.throw(
			_("{0} is too long: at most {1} characters.").format(labels()[field], most),
			frappe.CharacterLengthExceededError,
			title=_("Value Too Long"),
		)
	return text


def requires_form_values(*fields):
	"""Refuse, naming the field, a call without ``fields`` before Frappe's ``rate_limit`` reads them
	as its key (it would fail with a server error on a missing one)."""

	def decorator(fn):
		from functools import wraps

		@wraps(fn)
		def wrapper(*args, **kwargs):
			for field in fields if frappe.request else ():  # rate_limit reads nothing outside a request
				if not isinstance(frappe.form_dict.get(field), str) or not frappe.form_dict.get(field):
					frappe.throw(
						_("Enter {0}.").format(labels().get(field, field)),
						frappe.MandatoryError,
						title=_("Missing Value"),
					)
			return fn(*args, **kwargs)

		return wrapper

	return decorator


@frappe.whitelist(allow_guest=True, xss_safe=True, methods=["POST"])
@requires_form_values("email")
@rate_limit(limit=ip_limit, seconds=HOUR)
@rate_limit(key="email", limit=email_limit, seconds=DAY, ip_based=False)
def submit(
	email: str,
	complainant_name: str | None = None,
	description: str | None = None,
	consent: str | None = None,
	organisation: str | None = None,
	phone: str | None = None,
	occurred_on: str | None = None,
	location: str | None = None,
	product: str | None = None,
	batch_no: str | None = None,
	document_no: str | None = None,
	remedy_sought: str | None = None,
	website: str | None = None,
) -> dict:
	"""Guest: file a complaint from the public form (files in the multipart body as ``files``).

	Returns ``{"reference", "tracking_link", "duplicate"}``; a duplicate (same address and text
	within ``DUPLICATE_WINDOW`` minutes) answers the first complaint's reference without a link
	(the first answer carried it). ``website`` is the honeypot: filled, the answer is
	``{"received": True}`` and nothing is stored. Raises ``frappe.ValidationError`` (417) naming
	the field for a missing, malformed or oversized value or file, ``RateLimitExceededError`` (429)."""
	if website:
		return {"received": True}
	values = rules.clean(
		{
			"complainant_name": complainant_name,
			"organisation": organisation,
			"email": email,
			"phone": phone,
			"occurred_on": occurred_on,
			"location": location,
			"product": product,
			"batch_no": batch_no,
			"document_no": document_no,
			"description": description,
			"remedy_sought": remedy_sought,
		}
	)
	validate(values, consent)
	files = uploaded_files()
	values["email"] = values["email"].lower()
	fingerprint = rules.fingerprint(values["email"], values["description"])
	if existing := duplicate_of(fingerprint, values):
		attach(existing, files)
		return {"reference": existing, "tracking_link": None, "duplicate": True}
	doc, token = create(values)
	attach(doc.name, files)
	remember(fingerprint, doc.name)
	return {"reference": doc.name, "tracking_link": tokens.link(token), "duplicate": False}


# ------------------------------------------------------------------ checks


def validate(values: dict, consent) -> None:
	"""Raise ``frappe.ValidationError`` naming the first field that is missing, too long or
	malformed, or the missing consent to processing (GDPR art. 6, PIPL art. 13)."""
	names = labels()
	if missing := rules.missing(values):
		frappe.throw(
			_("Enter {0}.").format(names[missing[0]]), frappe.MandatoryError, title=_("Missing Value")
		)
	if long := rules.too_long(values):
		frappe.throw(
			_("{0} is too long: at most {1} characters.").format(names[long[0]], rules.FIELD_LIMITS[long[0]]),
			frappe.CharacterLengthExceededError,
			title=_("Value Too Long"),
		)
	if not validate_email_address(values["email"]) or "," in values["email"]:
		frappe.throw(
			_("Enter a valid email address."), frappe.InvalidEmailAddressError, title=_("Invalid Value")
		)
	if not rules.valid_phone(values.get("phone", "")):
		frappe.throw(
			_("Enter the phone number in digits (+, spaces and dashes allowed)."), title=_("Invalid Value")
		)
	if values.get("occurred_on") and not occurred_date(values["occurred_on"]):
		frappe.throw(_("Enter when it happened as a date, not in the future."), title=_("Invalid Value"))
	if str(consent or "").strip().lower() not in ("1", "on", "true", "yes"):
		frappe.throw(
			_("Please agree to the processing of your data: we need it to handle your complaint."),
			frappe.MandatoryError,
			title=_("Consent Needed"),
		)


def occurred_date(text: str):
	"""The date of ``text`` (YYYY-MM-DD, as a date input sends it), or None if it is not a date
	or lies in the future."""
	try:
		day = getdate(text)
	except Exception:  # dateutil raises several kinds for text that is not a date
		return None
	return day if day and day <= getdate() else None


def uploaded_files() -> list[tuple[str, bytes]]:
	"""The files of the request as (safe name, content). Raise ``frappe.ValidationError`` naming
	the file if there are too many, or one is empty, too large or not of an accepted kind."""
	request = frappe.request
	uploads = [f for f in (request.files.getlist("files") if request and request.files else []) if f.filename]
	if len(uploads) > rules.MAX_FILES:
		frappe.throw(_("Attach at most {0} files.").format(rules.MAX_FILES), title=_("Too Many Files"))
	files = []
	for upload in uploads:
		content = upload.stream.read(rules.MAX_FILE_BYTES + 1)
		name = rules.safe_file_name(upload.filename)
		problem = rules.file_problem(name, len(content), content[:512])
		if problem == "size":
			frappe.throw(
				_("{0}: a file must hold something and be at most {1} MB.").format(
					name, rules.MAX_FILE_BYTES // (1024 * 1024)
				),
				title=_("File Too Large"),
			)
		if problem == "content":
			frappe.throw(
				_(
					"{0}: what the file holds is not what its name says (.{1}). Attach the document itself, not a renamed file."
				).format(name, name.rsplit(".", 1)[-1].lower()),
				title=_("File Not Accepted"),
			)
		if problem:
			frappe.throw(
				_("{0}: only these kinds of file are accepted: {1}.").format(
					name, ", ".join(sorted(rules.FILE_SIGNATURES))
				),
				title=_("File Not Accepted"),
			)
		files.append((name, content))
	return files


# ------------------------------------------------------------------ duplicates


def cache_key(fingerprint: str) -> str:
	return f"complaint_web_intake:{fingerprint}"


def duplicate_of(fingerprint: str, values: dict) -> str | None:
	"""The complaint this submission repeats, if the same address sent the same text within
	``DUPLICATE_WINDOW`` minutes. Two submissions at the same moment (a double click) race for
	a Redis key, so only one creates a complaint; the other waits briefly for its number."""
	key = frappe.cache.make_key(cache_key(fingerprint))
	if frappe.cache.set(key, "pending", ex=DUPLICATE_WINDOW * 60, nx=True):
		return stored_duplicate(values)
	for _attempt in range(50):
		found = frappe.safe_decode(frappe.cache.get(key) or b"")
		if found and found != "pending":
			return found
		time.sleep(0.1)
	# the first submission failed or is slow: the database decides
	return stored_duplicate(values)


def stored_duplicate(values: dict) -> str | None:
	"""The same check in the database (the cache may have been cleared): a Web Form complaint of
	the last minutes with this text, whose complainant has this address."""
	since = add_to_date(now_datetime(), minutes=-DUPLICATE_WINDOW)
	candidates = frappe.get_all(
		"Complaint",
		filters={
			"channel": CHANNEL,
			"creation": (">=", since),
			# what happened comes first, then the details block with its own time
			"description": ("like", like_prefix(as_html(values["description"]))),
		},
		fields=["name", "complainant"],
		order_by="creation asc",
	)
	for row in candidates:
		address = row.complainant and frappe.db.get_value("Complainant", row.complainant, "email")
		if (address or "").strip().lower() == values["email"]:
			return row.name
	return None


def like_prefix(text: str) -> str:
	return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def remember(fingerprint: str, name: str) -> None:
	frappe.cache.set(frappe.cache.make_key(cache_key(fingerprint)), name, ex=DUPLICATE_WINDOW * 60)


# ------------------------------------------------------------------ the complaint


def create(values: dict):
	"""Insert the Draft complaint (as the app: Guest has no permission on Complaint) and return it
	with its tracking token."""
	doc = new_complaint(values, CHANNEL, _("given on the web form, {0}"))
	doc.flags.ignore_permissions = True
	with app_stamping(doc):
		token = tokens.issue(doc)
		doc.insert()
	return doc, token


def new_complaint(values: dict, channel: str, consent: str):
	"""An unsaved Draft complaint from the checked public ``values`` (see :func:`validate`), taken
	through ``channel``. ``consent`` says where consent to processing was given, with ``{0}`` for
	the moment (system time zone). The contact fields are the way in: ``parties.store`` moves them
	into a Complainant on save."""
	doc = frappe.new_doc("Complaint")
	doc.update(
		{
			"subject": rules.subject_from(values["description"], values.get("product", "")),
			"channel": channel,
			"received_on": now_datetime(),
			"description": as_html(values["description"]) + details_html(values, consent),
			"remedy_sought": values.get("remedy_sought") or None,
			"occurred_on": occurred_date(values["occurred_on"]) if values.get("occurred_on") else None,
			"location": values.get("location") or None,
			"batch_no": values.get("batch_no") or None,
			"complainant_name": values["complainant_name"],
			"complainant_organisation": values.get("organisation") or None,
			"complainant_email": values["email"],
			"complainant_phone": values.get("phone") or None,
		}
	)
	if values.get("product") and frappe.db.exists("Item", values["product"]):
		doc.item_code = values["product"]
	return doc


def details_html(values: dict, consent: str) -> str:
	"""What the form asked that the complaint has no field for, under what happened: the product
	and document as the complainant wrote them, and their consent (``consent``, see
	:func:`new_complaint`)."""
	lines = [
		(_("Product or Item"), values.get("product")),
		(_("Related Document Number"), values.get("document_no")),
		(_("Consent to processing"), consent.format(now_datetime().strftime("%Y-%m-%d %H:%M"))),
	]
	return as_html("\n".join(f"{label}: {value}" for label, value in lines if value))


def attach(name: str, files: list[tuple[str, bytes]]) -> None:
	"""Attach ``files`` to complaint ``name``, private (only readers of the complaint open them)."""
	for filename, content in files:
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": filename,
				"attached_to_doctype": "Complaint",
				"attached_to_name": name,
				"is_private": 1,
				"content": content,
			}
		).insert(ignore_permissions=True)
