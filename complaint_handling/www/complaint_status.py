"""``/complaint-status``: a complainant's view of their complaint without an account, opened from
the private tracking link (``/complaint-status#t=<token>``) or with the reference and their email
address, in the visitor's language.

The page renders no complaint itself: its script asks ``channels.status`` (rate limited, the same
answer for every miss) with what the visitor holds, so the token never reaches a server log.
"""

from frappe import _

from complaint_handling.channels.web_intake import form_context

no_cache = 1
sitemap = 0  # a door for complainants, not a page to index


def get_context(context):
	context.title = _("Your Complaint")
	form_context(context)
	context.strings = {
		"failed": _("Something went wrong. Please try again later."),
		"too_large": _("The files are too large to send."),
		"no_letters": _("No letters yet."),
		"added": _("Thank you: your information has been added to your complaint."),
		"feedback_saved": _("Thank you: we have recorded your answer."),
		"sending": _("Sending…"),
	}
	return context
