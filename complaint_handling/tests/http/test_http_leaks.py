"""Canary leak probes and count oracles over HTTP (README "Permission matrix", the party rows).

The fixture complainant and appellant have contact details made of unique canary strings
(``canary-<hex>`` and a random digit run in the phone number). Every persona that README says
may not read that kind of party sends each probe below, and no response body may contain a
canary. Personas that may read it see the canary in the form (positive control: the probe can
fail). The oracles check that filtering on a contact field tells such a persona nothing: the same
request with a matching and a non-matching pattern must get the same answer.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from complaint_handling.tests.http import harness as h


def setUpModule():
	h.fixtures()


def tearDownModule():
	h.release()


KINDS = {kind: {"row": h.party_row(kind), "doctype": case} for kind, case in h.KIND_CASE.items()}


class Ctx:
	"""What a probe needs: the session, the case and its contact fields."""

	def __init__(self, persona: str, kind: str):
		self.fx = h.fixtures()
		self.c = h.client(persona)
		self.kind = kind
		self.doctype = KINDS[kind]["doctype"]
		self.name = self.fx.docs[self.doctype]
		self.fields = list(h.CASE_FIELDS[self.doctype][1])  # name, organisation, email, phone
		self.email, self.phone = self.fields[2], self.fields[3]
		self.party = self.fx.parties.get(kind) or "none"
		self.party_doctype = h.party_doctype(self.doctype) or "Complaint Party"
		meta = frappe.get_meta(self.party_doctype)
		self.party_fields = [f for f in h.PARTY_FIELDS if meta.has_field(f)] or ["name"]
		self.link = h.CASE_FIELDS[self.doctype][0]
		self.filters = [[self.doctype, "name", "=", self.name]]

	def listing(self, fields):
		return self.c.resource_list(self.doctype, fields=fields, filters=self.filters, limit_page_length=5)


def _sql(expression):
	return lambda x: x.listing([expression.format(f=x.email, p=x.phone, t=f"tab{x.doctype}")])


PROBES = {
	# /api/resource list and document
	"resource_doc": lambda x: x.c.resource(x.doctype, x.name),
	"resource_list_star": lambda x: x.listing(["*"]),
	"resource_list_contact_fields": lambda x: x.listing(["name", *x.fields]),
	"resource_list_two_restricted_in_a_row": lambda x: x.listing(["name", x.email, x.phone]),
	"resource_list_backticked": _sql("`{t}`.`{f}`"),
	"resource_list_alias": _sql("{f} as contact"),
	"sql_elt": _sql("elt(2, name, {f})"),
	"sql_replace": _sql("replace({f},'@','#')"),
	"sql_json_object": _sql("json_object('a', {f})"),
	"sql_concat": _sql("concat(name, '|', {f}, '|', {p})"),
	"sql_if": _sql("if(1, {f}, name)"),
	"sql_lower": _sql("lower({f})"),
	"sql_group_concat": _sql("group_concat({f})"),
	"sql_subquery": lambda x: x.listing(
		[f"(select email from `tab{x.party_doctype}` where name = `tab{x.doctype}`.`{x.link}`) as e"]
	),
	"link_field_dot": lambda x: x.listing([f"{x.link}.email", f"{x.link}.phone"]),
	"api_v2_document": lambda x: x.c.get(f"/api/v2/document/{x.doctype}/{x.name}"),
	"api_v2_list": lambda x: x.c.get(
		f"/api/v2/document/{x.doctype}", {"fields": ["name", *x.fields], "filters": x.filters}
	),
	# frappe.client
	"client_get": lambda x: x.c.call("frappe.client.get", doctype=x.doctype, name=x.name),
	"client_get_list_star": lambda x: x.c.call(
		"frappe.client.get_list", doctype=x.doctype, fields=["*"], filters=x.filters
	),
	"client_get_list_sql": lambda x: x.c.call(
		"frappe.client.get_list",
		doctype=x.doctype,
		fields=["name", f"elt(2, name, {x.email})", x.email, x.phone],
		filters=x.filters,
	),
	"client_get_value": lambda x: x.c.call(
		"frappe.client.get_value", doctype=x.doctype, fieldname=x.fields, filters=x.name
	),
	"client_validate_link_party": lambda x: x.c.call(
		"frappe.client.validate_link", doctype=x.party_doctype, docname=x.party, fields=x.party_fields
	),
	"client_validate_link_case": lambda x: x.c.call(
		"frappe.client.validate_link", doctype=x.doctype, docname=x.name, fields=x.fields
	),
	# desk report view
	"reportview_get": lambda x: x.c.call(
		"frappe.desk.reportview.get",
		doctype=x.doctype,
		fields=[f"`tab{x.doctype}`.`name`", *[f"`tab{x.doctype}`.`{f}`" for f in x.fields]],
		filters=x.filters,
	),
	"reportview_get_sql": lambda x: x.c.call(
		"frappe.desk.reportview.get",
		doctype=x.doctype,
		fields=[f"elt(2, name, {x.email})", f"json_object('a', {x.phone})"],
		filters=x.filters,
	),
	"reportview_export_query": lambda x: x.c.call(
		"frappe.desk.reportview.export_query",
		doctype=x.doctype,
		file_format_type="CSV",
		title="export",
		fields=[f"`tab{x.doctype}`.`name`", *[f"`tab{x.doctype}`.`{f}`" for f in x.fields]],
		filters=x.filters,
	),
	"reportview_sidebar_stats": lambda x: x.c.call(
		"frappe.desk.reportview.get_sidebar_stats", stats=x.fields, doctype=x.doctype, filters=x.filters
	),
	"listview_group_by_count": lambda x: [
		x.c.call(
			"frappe.desk.listview.get_group_by_count", doctype=x.doctype, current_filters=x.filters, field=f
		)
		for f in x.fields
	],
	# link search
	"search_link_contact_field": lambda x: x.c.call(
		"frappe.desk.search.search_link",
		doctype=x.doctype,
		txt=x.fx.canaries(x.kind)[0],
		searchfield=x.email,
	),
	"search_widget_contact_filter": lambda x: x.c.call(
		"frappe.desk.search.search_widget",
		doctype=x.doctype,
		txt="",
		searchfield=x.email,
		filters={x.email: ["like", "%canary%"]},
		filter_fields=x.fields,
		as_dict=1,
	),
	"search_link_party": lambda x: x.c.call(
		"frappe.desk.search.search_link", doctype=x.party_doctype, txt=x.fx.canaries(x.kind)[0]
	),
	"search_widget_party_email": lambda x: x.c.call(
		"frappe.desk.search.search_widget",
		doctype=x.party_doctype,
		txt="canary",
		searchfield="email",
		filter_fields=x.party_fields,
		as_dict=1,
	),
	# the form
	"form_getdoc": lambda x: x.c.get(
		"/api/method/frappe.desk.form.load.getdoc", {"doctype": x.doctype, "name": x.name}
	),
	"form_get_docinfo": lambda x: x.c.call(
		"frappe.desk.form.load.get_docinfo", doctype=x.doctype, name=x.name
	),
	"form_get_communications": lambda x: x.c.call(
		"frappe.desk.form.load.get_communications", doctype=x.doctype, name=x.name
	),
	"party_getdoc": lambda x: x.c.get(
		"/api/method/frappe.desk.form.load.getdoc", {"doctype": x.party_doctype, "name": x.party}
	),
	"party_get_docinfo": lambda x: x.c.call(
		"frappe.desk.form.load.get_docinfo", doctype=x.party_doctype, name=x.party
	),
	# print
	"printview_pages": lambda x: [
		x.c.get(
			"/printview",
			{"doctype": doctype, "name": name, "format": fmt, "no_letterhead": 1},
			headers={"Accept": "text/html"},
		)
		for doctype, name, fmt in print_targets(x)
	],
	"printview_get_html_and_style": lambda x: [
		x.c.call("frappe.www.printview.get_html_and_style", doc=doctype, name=name, print_format=fmt)
		for doctype, name, fmt in print_targets(x)
	],
	# other DocTypes that carry the contact
	"communication_list": lambda x: x.c.resource_list(
		"Communication", fields=["*"], filters=[["reference_name", "=", x.name]]
	),
	"communication_docs": lambda x: [x.c.resource("Communication", name) for name in x.fx.communications],
	"communication_client_get_list": lambda x: x.c.call(
		"frappe.client.get_list",
		doctype="Communication",
		fields=["name", "content", "recipients", "subject"],
		filters={"reference_doctype": x.doctype},
		limit_page_length=500,
	),
	"communication_reportview": lambda x: x.c.call(
		"frappe.desk.reportview.get",
		doctype="Communication",
		fields=[
			"`tabCommunication`.`name`",
			"`tabCommunication`.`content`",
			"`tabCommunication`.`recipients`",
		],
		filters=[["Communication", "reference_name", "=", x.name]],
	),
	"version_list": lambda x: x.c.resource_list(
		"Version", fields=["*"], filters=[["docname", "in", [x.name, x.party]]]
	),
	"email_queue_list": lambda x: x.c.resource_list(
		"Email Queue", fields=["*"], filters=[["reference_name", "=", x.name]]
	),
	# the list view's copy of the timeline, and tags, which every user reads with the record's title
	"list_comments_column": lambda x: x.listing(["name", "_comments"]),
	"client_get_value_comments": lambda x: x.c.call(
		"frappe.client.get_value", doctype=x.doctype, fieldname=["_comments"], filters=x.name
	),
	"tag_link_list": lambda x: x.c.call(
		"frappe.client.get_list",
		doctype="Tag Link",
		fields=["document_type", "document_name", "title"],
		filters=[["document_name", "in", [x.name, x.party]]],
	),
	"documents_for_tag": lambda x: x.c.call("frappe.desk.doctype.tag.tag.get_documents_for_tag", tag=h.TAG),
	"party_list": lambda x: x.c.resource_list(
		x.party_doctype, fields=["*"], filters=[["name", "=", x.party]]
	),
	"party_list_sql": lambda x: x.c.resource_list(
		x.party_doctype,
		fields=["elt(2, name, email)", "concat(party_name, phone)", "json_object('a', address)"],
		filters=[["name", "=", x.party]],
	),
	"party_doc": lambda x: x.c.resource(x.party_doctype, x.party),
	"party_client_get_list": lambda x: x.c.call(
		"frappe.client.get_list", doctype=x.party_doctype, fields=["*"], limit_page_length=500
	),
	"party_client_get_value": lambda x: x.c.call(
		"frappe.client.get_value", doctype=x.party_doctype, fieldname=x.party_fields, filters=x.party
	),
	"party_group_by_count": lambda x: x.c.call(
		"frappe.desk.listview.get_group_by_count", doctype=x.party_doctype, current_filters=[], field="email"
	),
	"party_export_query": lambda x: x.c.call(
		"frappe.desk.reportview.export_query",
		doctype=x.party_doctype,
		file_format_type="CSV",
		title="export",
		fields=[f"`tab{x.party_doctype}`.`{f}`" for f in x.party_fields],
		filters=[[x.party_doctype, "name", "=", x.party]],
	),
}


def print_targets(x: Ctx) -> list[tuple[str, str, str]]:
	"""The case in Standard print and in every app print format, and the app print formats of the
	documents hanging off the complaint (an investigation report may name the complainant)."""
	fx = x.fx
	targets = [(x.doctype, x.name, "Standard")]
	formats = frappe.get_all(
		"Print Format", filters={"module": "Complaint Handling"}, fields=["name", "doc_type"]
	)
	for fmt in formats:
		name = fx.docs.get(fmt.doc_type)
		if name and (fmt.doc_type == x.doctype or x.kind == "complainant"):
			targets.append((fmt.doc_type, name, fmt.name))
	return targets


class LeakProbes(FrappeTestCase):
	def probe(self, kind: str, persona: str, probe: str):
		x = Ctx(persona, kind)
		responses = PROBES[probe](x)
		responses = responses if isinstance(responses, list) else [responses]
		leaks = []
		for r in responses:
			text = h.body(r)
			found = [canary for canary in x.fx.canaries(kind) if canary in text]
			if found:
				at = text.find(found[0])
				leaks.append(
					f"{r.request.method} {r.url[:160]} -> {r.status_code}: …{text[max(0, at - 120) : at + 60]}…"
				)
		self.assertFalse(leaks, f"{persona} may not read the {kind} but: " + " | ".join(leaks))

	def control(self, kind: str, persona: str):
		x = Ctx(persona, kind)
		r = PROBES["form_getdoc"](x)
		self.assertEqual(r.status_code, 200, h.body(r)[:300])
		token = x.fx.canaries(kind)[0]
		self.assertIn(token, h.body(r), f"{persona} may read the {kind} but the form does not show it")


class CountOracles(FrappeTestCase):
	"""A matching and a non-matching pattern on a contact field must answer alike, on the case
	(Complaint / Complaint Appeal) and on the party DocType itself."""

	def oracle(self, kind: str, persona: str, endpoint: str, target: str):
		x = Ctx(persona, kind)
		party = x.fx.complainant if kind == "complainant" else x.fx.appellant
		if target == "case":
			doctype, name = x.doctype, x.name
			fields = {field: party[key] for field, key in h.CASE_FIELDS[x.doctype][1].items()}
		else:
			doctype, name = x.party_doctype, x.party
			keys = {"party_name": "name"}
			fields = {f: party[keys.get(f, f)] for f in x.party_fields if keys.get(f, f) in party}
		differences = []
		for field, value in fields.items():
			hit, miss = value[:3] + "%", "zzq%"
			answers = [ORACLES[endpoint](x, doctype, name, field, pattern) for pattern in (hit, miss)]
			normal = [normalise(r) for r in answers]
			if normal[0] != normal[1]:
				differences.append(
					f"{doctype}.{field} like {hit!r} -> {normal[0]} but like {miss!r} -> {normal[1]}"
				)
		self.assertFalse(
			differences, f"{persona} learns the {kind}'s contact via {endpoint}: " + "; ".join(differences)
		)


def normalise(r):
	if r.status_code >= 400:
		return (r.status_code,)
	return (r.status_code, repr(h.data_of(r))[:200])


def _filters(doctype, name, field, pattern):
	return [[doctype, "name", "=", name], [doctype, field, "like", pattern]]


ORACLES = {
	"client_get_count": lambda x, dt, n, f, p: x.c.call(
		"frappe.client.get_count", doctype=dt, filters=_filters(dt, n, f, p)
	),
	# the addresses the app's emails went to, counted with no reference to the case at all
	"email_queue_recipient_count": lambda x, dt, n, f, p: x.c.call(
		"frappe.client.get_count", doctype="Email Queue Recipient", filters=[["recipient", "like", p]]
	),
	"reportview_get_count": lambda x, dt, n, f, p: x.c.call(
		"frappe.desk.reportview.get_count", doctype=dt, filters=_filters(dt, n, f, p)
	),
	"reportview_get_count_field": lambda x, dt, n, f, p: x.c.call(
		"frappe.desk.reportview.get",
		doctype=dt,
		fields=[f"count(`tab{dt}`.`name`) as total"],
		filters=_filters(dt, n, f, p),
	),
	"client_get_list": lambda x, dt, n, f, p: x.c.call(
		"frappe.client.get_list", doctype=dt, fields=["name"], filters=_filters(dt, n, f, p)
	),
	"client_get_list_or_filters": lambda x, dt, n, f, p: x.c.call(
		"frappe.client.get_list",
		doctype=dt,
		fields=["name"],
		filters=[[dt, "name", "=", n]],
		or_filters=[[dt, f, "like", p], [dt, "name", "=", "none"]],
	),
	"client_get_value": lambda x, dt, n, f, p: x.c.call(
		"frappe.client.get_value", doctype=dt, fieldname="name", filters=_filters(dt, n, f, p)
	),
	"resource_list": lambda x, dt, n, f, p: x.c.resource_list(
		dt, fields=["name"], filters=_filters(dt, n, f, p)
	),
	"search_widget": lambda x, dt, n, f, p: x.c.call(
		"frappe.desk.search.search_widget", doctype=dt, txt="", filters=_filters(dt, n, f, p), as_dict=1
	),
	"group_by_count": lambda x, dt, n, f, p: x.c.call(
		"frappe.desk.listview.get_group_by_count",
		doctype=dt,
		current_filters=_filters(dt, n, f, p),
		field="owner",
	),
	"link_field_filter": lambda x, dt, n, f, p: (
		x.c.resource_list(
			x.doctype,
			fields=["name"],
			filters=[[x.doctype, "name", "=", x.name], [x.doctype, f"{x.link}.{f}", "like", p]],
		)
		if dt != x.doctype
		else x.c.resource_list(dt, fields=["name"], filters=_filters(dt, n, f, p))
	),
}


def _leak(kind, persona, probe):
	def test(self):
		self.probe(kind, persona, probe)

	return test


def _control(kind, persona):
	def test(self):
		self.control(kind, persona)

	return test


def _oracle(kind, persona, endpoint, target):
	def test(self):
		self.oracle(kind, persona, endpoint, target)

	return test


for _kind, _spec in KINDS.items():
	_readers, _others = h.party_readers(_spec["row"])
	for _persona in sorted(_others):
		for _probe in PROBES:
			setattr(LeakProbes, f"test_{_kind}__{h.slug(_persona)}__{_probe}", _leak(_kind, _persona, _probe))
		for _endpoint in ORACLES:
			for _target in ("case", "party"):
				setattr(
					CountOracles,
					f"test_{_kind}__{h.slug(_persona)}__{_target}__{_endpoint}",
					_oracle(_kind, _persona, _endpoint, _target),
				)
	for _persona in sorted(_readers):
		setattr(
			LeakProbes, f"test_{_kind}__{h.slug(_persona)}__control_sees_party", _control(_kind, _persona)
		)
