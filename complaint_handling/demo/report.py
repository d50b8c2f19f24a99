"""What a demo run says it did, and why it could not run."""

from dataclasses import dataclass, field


class DemoError(Exception):
	"""The demo cannot run on this site as it stands; the message (translated) says what to do."""


@dataclass
class Report:
	"""Lines for the person who ran the demo, in order; ``passwords`` maps each demo user whose
	password was set in this run to it (shown once, stored nowhere else)."""

	lines: list[str] = field(default_factory=list)
	passwords: dict[str, str] = field(default_factory=dict)
	records: list[tuple[str, str]] = field(default_factory=list)  # (doctype, name) made in this run

	def say(self, line: str) -> None:
		self.lines.append(line)

	def made(self, doctype: str, name: str) -> None:
		self.records.append((doctype, name))

	def text(self) -> str:
		return "\n".join(self.lines)
