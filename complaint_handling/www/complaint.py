"""``/complaint``: the public complaint form, for everyone (Guest included), in the visitor's
language (``?_lang=zh``, the language cookie or the browser's Accept-Language).

The page only renders the form; it posts to ``channels.web_intake.submit``, which checks and
stores what is sent (see there).
"""

from frappe import _

from complaint_handling.channels.web_intake import form_context

# the answer carries a private link: never served from the page cache
no_cache = 1
sitemap = 1


def get_context(context):
	context.title = _("File a Complaint")
	form_context(context)
	context.strings = {
		"sending": _("Sending…"),
		"failed": _("Your complaint could not be sent. Please try again later."),
		"too_large": _("The files are too large to send."),
	}
	return context
