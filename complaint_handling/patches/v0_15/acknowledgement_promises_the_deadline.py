import frappe

from complaint_handling.setup import defaults

# the acknowledgement as seeded before 0.15: it promised 48 hours whatever the SLA policy said
SEEDED = """<p>Dear {{ complainant_name }},</p>
<p>Thank you for telling us about "{{ subject }}". We registered your complaint on
{{ frappe.utils.format_datetime(received_on) }} under the reference <strong>{{ name }}</strong>;
please quote it whenever you write to us about this matter.</p>
<p>It has been passed to the department responsible. We will give you a first response within
48 hours, or tell you by then when you can expect our answer.</p>"""


def execute():
	"""Sites from 0.14: the seeded acknowledgement promised a first response within 48 hours; it
	now names the first-response deadline of the complaint's SLA policy. A template the admin has
	edited is left as it is."""
	name = defaults.ACKNOWLEDGEMENT
	current = frappe.db.get_value("Email Template", name, "response_html")
	if current and current.startswith(SEEDED):
		# what follows those paragraphs (attachment, tracking link, confidentiality) is unchanged
		response = defaults.ACKNOWLEDGEMENT_RESPONSE
		head = response[: response.index("\n<p>The attached acknowledgement")]
		frappe.db.set_value("Email Template", name, "response_html", head + current[len(SEEDED) :])
