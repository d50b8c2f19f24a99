"""Reading received mail, with no database: reply and forward prefixes of English and Chinese
mail clients, the words of a subject that may be a complaint number, the sender's own words of a
reply (quoted history cut), and headers decoded in any script with the standard library.

``intake.email_intake`` applies these to Frappe's inbound mail; unit tests in
``tests/test_mail_text.py`` run without a site.
"""

import re
from email.header import decode_header
from email.utils import parseaddr
from html import escape

# "Re:", "RE :", "Fwd:", "Aw:", "回复:", "答复:", "转发:", "Re[2]:", with an ASCII or a full-width colon,
# stacked at the start
_PREFIX = (
	r"(?:re|aw|sv|antw|fwd?|wg|tr|回复|回覆|答复|答覆|转发|轉發|转寄|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]"
)
REPLY_PREFIXES = re.compile(rf"^(?:\s*{_PREFIX}\s*)+", re.IGNORECASE)
FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|tr|转发|轉發|转寄|轉寄)\s*[:：]", re.IGNORECASE)

# a complaint number is a word of the subject: letters, digits and - _ . / (TS-III-26-001,
# 261129001), or, for numbers that contain other letters, anything between spaces and brackets
NUMBER_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_./-]*[A-Za-z0-9])?")
LOOSE_WORD = re.compile(r"[^\s\[\]()<>{}#:：,，;；\"'“”‘’【】「」《》]+")


def clean_subject(subject: str | None) -> str:
	"""The subject without the reply and forward prefixes of English and Chinese mail clients."""
	return REPLY_PREFIXES.sub("", subject or "").strip()


def is_forward(subject: str | None) -> bool:
	"""Whether the subject starts (after any reply prefixes) with a forward prefix."""
	subject = subject or ""
	while True:
		if FORWARD_PREFIX.match(subject):
			return True
		stripped = re.sub(rf"^\s*{_PREFIX}", "", subject, count=1, flags=re.IGNORECASE)
		if stripped == subject:
			return False
		subject = stripped


def candidate_numbers(subject: str | None) -> list[str]:
	"""Words of ``subject`` that could be a complaint number (at least four characters, a digit
	among them), in reading order, each once."""
	words = []
	for pattern in (NUMBER_WORD, LOOSE_WORD):
		for word in pattern.findall(subject or ""):
			word = word.strip(".-_/")
			if len(word) >= 4 and any(char.isdigit() for char in word) and word not in words:
				words.append(word)
	return words


# lines where the quoted history of a reply or forward starts; the "From:" kind only when a
# "Sent:", "Date:", "To:" or "Subject:" line follows it
HISTORY_STARTS = [
	re.compile(
		r"^-{2,}\s*(?:original message|forwarded message|ursprüngliche nachricht|原始邮件|原始郵件"
		r"|转发邮件|轉寄郵件|original)\s*-{2,}$",
		re.IGNORECASE,
	),
	# attributions carry a date: "On Monday I wrote:" in the sender's own words is not one
	re.compile(r"^on\s(?=.*\d).{0,300}wrote\s*:$", re.IGNORECASE),
	re.compile(r"^am\s(?=.*\d).{0,300}schrieb(?:\s.{0,200})?\s*:$", re.IGNORECASE),
	re.compile(r"^在(?=.*\d).{0,300}[写寫]道\s*[:：]$"),
]
HEADER_FROM = re.compile(r"^\*?(?:from|von|发件人|寄件者|寄件人)\*?\s*[:：]", re.IGNORECASE)
HEADER_NEXT = re.compile(
	r"^\*?(?:sent|date|to|subject|gesendet|an|betreff|发送时间|发件时间|日期|时间|收件人|主题|寄件日期|收件者|主旨)\*?\s*[:：]",
	re.IGNORECASE,
)


def tidy(text: str) -> str:
	"""Lines without trailing spaces, at most one blank line in a row, nothing around."""
	lines = [line.replace("\xa0", " ").rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")]
	return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_history(text: str) -> str:
	"""The sender's own words: quoted lines ('>') dropped, everything from the first separator of
	quoted history ("On … wrote:", "-----Original Message-----", "在 … 写道:", a "From:"/"发件人:"
	header block) on cut."""
	lines = tidy(text).split("\n")
	kept = []
	for index, line in enumerate(lines):
		if _starts_history(lines, index):
			break
		if not line.lstrip().startswith(">"):
			kept.append(line)
	while kept and re.fullmatch(r"\s*[-_=*]*\s*", kept[-1]):
		kept.pop()  # the rule Outlook draws above the history
	return tidy("\n".join(kept))


def _starts_history(lines: list[str], index: int) -> bool:
	line = lines[index].strip()
	following = " ".join(lines[index : index + 2]).strip()  # "On … <x@y>" / "wrote:" wrapped
	if any(pattern.match(line) or pattern.match(following) for pattern in HISTORY_STARTS):
		return True
	return bool(HEADER_FROM.match(line)) and any(
		HEADER_NEXT.match(next_line.strip()) for next_line in lines[index + 1 : index + 5]
	)


def as_html(text: str) -> str:
	"""Plain text for a Text Editor field: paragraphs and line breaks kept, everything escaped."""
	return "".join(
		"<p>{}</p>".format("<br>".join(escape(line) for line in paragraph.split("\n")))
		for paragraph in re.split(r"\n\s*\n", text.strip())
		if paragraph.strip()
	)


def decode_header_text(value) -> str:
	"""A header (str or ``email.header.Header``) as text: every encoded word decoded in its own
	charset (base64 or quoted-printable; gb2312 and gbk read as their superset gb18030), raw
	8-bit bytes read as UTF-8 or else GB18030, folding whitespace collapsed."""
	if value is None:
		return ""
	try:
		chunks = decode_header(value if not isinstance(value, str) else value.replace("\r\n", "\n"))
	except Exception:
		return " ".join(str(value).split())
	text = "".join(
		_decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk for chunk, charset in chunks
	)
	return " ".join(text.split())


GB_CHARSETS = frozenset({"gb2312", "gbk", "x-gbk", "cp936", "gb_2312-80", "euc-cn", "hz-gb-2312"})


def _decode_bytes(data: bytes, charset: str | None) -> str:
	charset = (charset or "").lower()
	candidates = ["gb18030" if charset in GB_CHARSETS else charset, "utf-8", "gb18030"]
	for candidate in filter(None, candidates):
		try:
			return data.decode(candidate)
		except (LookupError, UnicodeDecodeError):
			continue
	return data.decode("utf-8", "replace")


def display_name(header) -> str:
	"""The display name of a From header in any script ("=?utf-8?b?5p2O6Zu3?= <li.lei@…>" is
	李雷), or "" when there is none."""
	raw = header if isinstance(header, str) else decode_header_text(header)
	name, address = parseaddr(raw or "")
	name = decode_header_text(name)
	if not name:
		name, address = parseaddr(decode_header_text(raw))
	name = " ".join(name.strip().strip("\"'").split())
	return "" if name.lower() == (address or "").lower() else name
