"""``/complaint``: the public complaint form, for everyone (Guest included), in the visitor's
language (``?_lang=zh``, the language cookie or the browser's Accept-Language).

The page only renders the form; it posts to ``channels.web_intake.submit``, which checks and
stores what is sent (see there).
"""

import frappe
from frappe import _

from complaint_handling.channels.web_intake import labels
from complaint_handling.rules import public_channel as rules

# the answer carries a private link: never served from the page cache
no_cache = 1
sitemap = 1


def get_context(context):
	context.title = _("File a Complaint")
	context.labels = labels()
	context.limits = rules.FIELD_LIMITS
	context.max_files = rules.MAX_FILES
	context.max_file_mb = rules.MAX_FILE_BYTES // (1024 * 1024)
	context.accept = ",".join(f".{extension}" for extension in sorted(rules.FILE_SIGNATURES))
	context.today = frappe.utils.today()
	context.strings = {
		"sending": _("Sending…"),
		"failed": _("Your complaint could not be sent. Please try again later."),
		"too_large": _("The files are too large to send."),
	}
	return context
