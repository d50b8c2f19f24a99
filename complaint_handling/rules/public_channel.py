"""What a public channel (the complaint form, the status page) accepts and shows, with no database.

ISO 10002 and ISO/IEC 17025 §7.9.2 want the process easy to reach, so anyone may complain without
an account; a form open to the internet must also keep markup, oversized text and unknown files
out of the record, and answer a person who cannot log in with a public status only (§7.9.5).
``channels.web_intake`` and ``channels.status`` apply these rules; unit tests in
``tests/test_public_channel.py`` run without a site.
"""

import hashlib
import re
import unicodedata

from complaint_handling.rules.complaint import Status

# ------------------------------------------------------------------ what the form takes

# the longest value each field of the public form takes, in characters
FIELD_LIMITS = {
	"complainant_name": 140,
	"organisation": 140,
	"email": 140,
	"phone": 40,
	"occurred_on": 20,
	"location": 140,
	"product": 140,
	"batch_no": 140,
	"document_no": 140,
	"description": 10_000,
	"remedy_sought": 2_000,
	"information": 10_000,
	"comment": 2_000,
}
MULTI_LINE = frozenset({"description", "remedy_sought", "information", "comment"})
REQUIRED = ("complainant_name", "email", "description")

# files: how many, how large, and which kinds (by extension and by their first bytes)
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
_ZIP = b"PK\x03\x04"
FILE_SIGNATURES = {
	"pdf": (b"%PDF-",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"jpg": (b"\xff\xd8\xff",),
	"jpeg": (b"\xff\xd8\xff",),
	"docx": (_ZIP,),
	"xlsx": (_ZIP,),
	"txt": None,  # text: any UTF-8 without NUL
	"csv": None,
}
FILE_NAME_LIMIT = 100

TAG = re.compile(r"<[^<>]*>")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{3,38}$")


def single_line(value) -> str:
	"""A one-line field as plain text: tags removed (until none is left), any leftover angle bracket
	dropped, control characters and runs of whitespace made single spaces."""
	text = unicodedata.normalize("NFC", str(value or ""))
	text = CONTROL.sub(" ", text)
	previous = None
	while previous != text:
		previous, text = text, TAG.sub(" ", text)
	return " ".join(text.replace("<", " ").replace(">", " ").split())


def multi_line(value) -> str:
	"""A text field as plain text with its line breaks: control characters dropped, at most one
	blank line in a row. Markup stays as the characters typed; it is escaped when stored
	(``mail_text.as_html``), never kept as markup."""
	text = unicodedata.normalize("NFC", str(value or "")).replace("\r\n", "\n").replace("\r", "\n")
	text = CONTROL.sub("", text.replace("\t", " "))
	lines = [line.rstrip() for line in text.split("\n")]
	return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean(values: dict) -> dict:
	"""Every known field of ``values`` as plain text (see :func:`single_line`, :func:`multi_line`)."""
	return {
		field: (multi_line if field in MULTI_LINE else single_line)(values.get(field))
		for field in FIELD_LIMITS
		if field in values
	}


def too_long(values: dict) -> list[str]:
	"""The fields longer than they may be, in the form's order."""
	return [field for field, limit in FIELD_LIMITS.items() if len(values.get(field) or "") > limit]


def missing(values: dict) -> list[str]:
	return [field for field in REQUIRED if not values.get(field)]


def valid_phone(phone: str) -> bool:
	"""Digits with the usual separators and an optional leading +; empty is valid (optional)."""
	return not phone or bool(PHONE.match(phone))


def subject_from(description: str, product: str = "", limit: int = 120) -> str:
	"""A subject for the case: the product, then the first line of what happened, shortened; one
	line of plain text (:func:`single_line`), since a subject is shown as text: markup the
	complainant typed stays in the description, escaped, and is left out here."""
	first = next((line for line in map(single_line, description.split("\n")) if line), "")
	text = f"{product}: {first}" if product else first
	return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fingerprint(email: str, description: str) -> str:
	"""What makes two submissions the same complaint: the address (any case) and the words (any
	spacing). A double click, or a reload that posts again, gives the same fingerprint."""
	words = " ".join(description.split()).casefold()
	return hashlib.sha256(f"{email.strip().casefold()}\n{words}".encode()).hexdigest()


# ------------------------------------------------------------------ files


def file_problem(filename: str, size: int, head: bytes) -> str | None:
	"""Why a file may not be attached: "type" (an extension not accepted), "content" (content that
	is not what its extension says: a program renamed .pdf), "size" (empty, or over
	``MAX_FILE_BYTES``); None if it may."""
	extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
	if extension not in FILE_SIGNATURES:
		return "type"
	if size <= 0 or size > MAX_FILE_BYTES:
		return "size"
	signatures = FILE_SIGNATURES[extension]
	if signatures is None:
		return None if is_text(head) else "content"
	return None if head.startswith(signatures) else "content"


def is_text(head: bytes) -> bool:
	if b"\x00" in head:
		return False
	try:
		head.decode("utf-8")
	except UnicodeDecodeError as error:
		return error.start >= len(head) - 3  # a character cut at the end of the sample
	return True


def safe_file_name(filename: str) -> str:
	"""The file's base name with only letters, digits and ``._- ``, shortened, extension kept."""
	base = re.split(r"[\\/]", filename or "")[-1]
	stem, dot, extension = base.rpartition(".")
	if not dot:
		stem, extension = base, ""
	stem = re.sub(r"[^\w.\- ]+", "_", stem, flags=re.UNICODE).strip(" ._") or "attachment"
	extension = re.sub(r"[^A-Za-z0-9]", "", extension).lower()
	stem = stem[: FILE_NAME_LIMIT - len(extension) - 1]
	return f"{stem}.{extension}" if extension else stem


# ------------------------------------------------------------------ tracking tokens


def token_hash(token: str) -> str:
	"""What the complaint keeps of its tracking token: a SHA-256 hash, so whoever reads the
	database cannot rebuild the link."""
	return hashlib.sha256((token or "").encode()).hexdigest()


TOKEN_FORMAT = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


def well_formed_token(token: str) -> bool:
	return bool(TOKEN_FORMAT.match(token or ""))


# ------------------------------------------------------------------ the public status


class PublicStatus:
	RECEIVED = "Received"
	UNDER_REVIEW = "Under Review"
	ANSWERED = "Answered"
	CLOSED = "Closed"
	UNDER_APPEAL = "Under Appeal"


PUBLIC_STATUS = {
	Status.DRAFT: PublicStatus.RECEIVED,
	Status.REGISTERED: PublicStatus.RECEIVED,
	Status.ACKNOWLEDGED: PublicStatus.RECEIVED,
	Status.UNDER_INVESTIGATION: PublicStatus.UNDER_REVIEW,
	Status.PENDING_APPROVAL: PublicStatus.UNDER_REVIEW,
	Status.REOPENED: PublicStatus.UNDER_REVIEW,
	Status.RESPONDED: PublicStatus.ANSWERED,
	Status.CLOSED: PublicStatus.CLOSED,
	Status.REJECTED: PublicStatus.CLOSED,
}


def public_status(status: str | None, appeal_open: bool = False) -> str:
	"""What the complainant is told of the case's ``status``: received, under review, answered,
	closed, or under appeal while an appeal against it is open. An unknown status (an admin's
	own) reads as under review: never an internal state name."""
	if appeal_open:
		return PublicStatus.UNDER_APPEAL
	return PUBLIC_STATUS.get(status or Status.DRAFT, PublicStatus.UNDER_REVIEW)


def takes_feedback(status: str | None, feedback: str | None) -> bool:
	"""Whether the complainant's word on the reply is its customer feedback now: the complaint is
	Responded and has none yet (the same policy as a reply by email, ``intake.email_intake``)."""
	return status == Status.RESPONDED and not (feedback or "").strip()
