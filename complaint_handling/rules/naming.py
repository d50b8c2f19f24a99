"""Complaint numbering patterns.

A pattern is literal text with tokens in braces:

- ``{YY}`` / ``{YYYY}``: year the complaint was received, ``{MM}`` / ``{DD}``: its month and day;
- ``{severity}``, ``{company}``: values supplied by the caller;
- ``{###}``: the sequence, zero-padded to the number of hashes. Exactly one is required.

The seeds use ``TS-{severity}-{YY}-{###}`` (TS-I-13-001) and ``{YY}{MM}{DD}{###}`` (AABBCCDDD): in
both the sequence runs per year, never per month or day. So a counter is kept per *series key*:
the pattern with its value tokens filled in, any year written out in full, and month and day
dropped. Two complaints can only share a name if they share a key, and then their sequence
numbers differ.

This module never imports frappe; the controller supplies the counter.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

TOKEN = re.compile(r"\{([A-Za-z_]+|#+)\}")
YEAR_TOKENS = frozenset({"YY", "YYYY"})
DAY_TOKENS = frozenset({"MM", "DD"})
VALUE_TOKENS = frozenset({"severity", "company"})
SERIES_KEY_PREFIX = "Complaint:"


class InvalidPattern(ValueError):
	"""The pattern cannot number complaints. ``message`` is a translatable template for ``values``."""

	def __init__(self, message: str, *values: str):
		super().__init__(message.format(*values))
		self.message = message
		self.values = values


@dataclass(frozen=True)
class NamingPattern:
	pattern: str

	def __post_init__(self):
		tokens = TOKEN.findall(self.pattern)
		hashes = [t for t in tokens if t.startswith("#")]
		if len(hashes) != 1:
			raise InvalidPattern("exactly one sequence token such as {{###}} is required")
		unknown = sorted(
			{t for t in tokens if not t.startswith("#")} - YEAR_TOKENS - DAY_TOKENS - VALUE_TOKENS
		)
		if unknown:
			raise InvalidPattern("unknown token(s): {0}", ", ".join("{" + t + "}" for t in unknown))
		if any(c in TOKEN.sub("", self.pattern) for c in "{}"):
			raise InvalidPattern("unbalanced braces")
		if any(c in self.pattern for c in "/%?"):
			raise InvalidPattern("the characters / % ? are not allowed in a document name")

	@property
	def digits(self) -> int:
		return next(len(t) for t in TOKEN.findall(self.pattern) if t.startswith("#"))

	@property
	def value_tokens(self) -> frozenset[str]:
		return frozenset(TOKEN.findall(self.pattern)) & VALUE_TOKENS

	def series_key(self, received: date, values: Mapping[str, str]) -> str:
		"""The counter this complaint draws from: per year (if the pattern has one) and per value."""

		def fill(match: re.Match) -> str:
			token = match.group(1)
			if token.startswith("#"):
				return "#"
			if token in YEAR_TOKENS:
				return f"{received.year:04d}"
			if token in DAY_TOKENS:
				return ""
			return self._value(token, values)

		return SERIES_KEY_PREFIX + TOKEN.sub(fill, self.pattern)

	def render(self, received: date, values: Mapping[str, str], sequence: int) -> str:
		def fill(match: re.Match) -> str:
			token = match.group(1)
			if token.startswith("#"):
				return f"{sequence:0{len(token)}d}"
			return {
				"YY": f"{received.year % 100:02d}",
				"YYYY": f"{received.year:04d}",
				"MM": f"{received.month:02d}",
				"DD": f"{received.day:02d}",
			}.get(token) or self._value(token, values)

		return TOKEN.sub(fill, self.pattern)

	@staticmethod
	def _value(token: str, values: Mapping[str, str]) -> str:
		value = (values.get(token) or "").strip()
		if not value:
			raise MissingValue(token)
		return value


class MissingValue(KeyError):
	"""A value the pattern needs (severity, company) is not set on the complaint."""

	@property
	def token(self) -> str:
		return self.args[0]
