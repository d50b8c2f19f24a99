"""``/complaints-process``: the published complaints process, for everyone (Guest included), in the
visitor's language (``?_lang=zh``, the language cookie or the browser's Accept-Language).

What it says is built in ``channels/process_page.py`` from the SLA policy and Complaint Settings.
"""

import frappe
from frappe import _

from complaint_handling.channels.process_page import process_context

# the deadlines follow the policy and settings the moment they are saved: no page cache
no_cache = 1
sitemap = 1


def get_context(context):
	context.title = _("Our Complaints Process")
	context.process = frappe._dict(process_context())
	return context
