"""``/complaint-status``: a complainant's view of their complaint without an account, opened from
the private tracking link (``/complaint-status#t=<token>``) or with the reference and their email
address, in the visitor's language.

The page renders no complaint itself: its script asks ``channels.status`` (rate limited, the same
answer for every miss) with what the visitor holds, so the token never reaches a server log.
"""

from frappe import _

from complaint_handling.channels.web_intake import labels
from complaint_handling.rules import public_channel as rules

no_cache = 1
sitemap = 0  # a door for complainants, not a page to index


def get_context(context):
	context.title = _("Your Complaint")
	context.labels = labels()
	context.limits = rules.FIELD_LIMITS
	context.max_files = rules.MAX_FILES
	context.max_file_mb = rules.MAX_FILE_BYTES // (1024 * 1024)
	context.accept = ",".join(f".{extension}" for extension in sorted(rules.FILE_SIGNATURES))
	context.strings = {
		"failed": _("Something went wrong. Please try again later."),
		"too_large": _("The files are too large to send."),
		"no_letters": _("No letters yet."),
		"added": _("Thank you: your information has been added to your complaint."),
		"feedback_saved": _("Thank you: we have recorded your answer."),
		"sending": _("Sending…"),
	}
	return context
