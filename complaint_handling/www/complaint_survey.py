"""``/complaint-survey``: a complainant answers the satisfaction survey from the private one-time
link we emailed them (``/complaint-survey#t=<token>``), in the visitor's language, without an
account (``channels.survey``).

The page renders no survey itself: its script asks ``channels.survey`` (rate limited, the status
page's answer for every miss) with the token from the address's ``#``, so the token never reaches a
server log.
"""

import frappe
from frappe import _

from complaint_handling.channels.web_intake import labels
from complaint_handling.rules import public_channel as rules

no_cache = 1
sitemap = 0  # a door for complainants, not a page to index


def get_context(context):
	context.title = _("How Satisfied Are You?")
	context.labels = labels()
	# sent back by the page's script, so that answers come in the page's language
	context.lang = frappe.local.lang
	context.limits = rules.FIELD_LIMITS
	context.strings = {
		"failed": _("Something went wrong. Please try again later."),
		"no_link": _("Open the private link from our email to answer the survey."),
		"thanks": _("Thank you: we have recorded your answer."),
		"sending": _("Sending…"),
	}
	return context
