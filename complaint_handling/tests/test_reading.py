# Copyright (c) 2026, complaint_handling contributors
# License: MIT. See license.txt

"""engine.reading as each role: the rows, fields and linked values ``frappe.get_list`` gives them,
whether read a row at a time, in one aggregate or in chunks."""

import frappe

from complaint_handling.engine import reading
from complaint_handling.tests.utils import (
	AUDITOR_USER,
	GM_USER,
	HANDLER_USER,
	INTAKE_USER,
	INVESTIGATOR_USER,
	QM_USER,
	ComplaintTestCase,
	as_user,
	make_complaint,
)

FIELDS = ["name", "subject", "received_on", "complainant", "tracking_token_hash"]
PARTY = reading.Lookup("complainant", "Complainant", "party_name")


class TestReading(ComplaintTestCase):
	def setUp(self):
		super().setUp()
		made = [
			make_complaint(subject=f"Reading {i}", complainant_name=f"Reading Party {i}") for i in range(5)
		]
		self.filters = [["Complaint", "name", "in", [c.name for c in made]]]

	def test_rows_are_those_get_list_gives_each_role(self):
		for user in (QM_USER, HANDLER_USER, INTAKE_USER, AUDITOR_USER, GM_USER, INVESTIGATOR_USER):
			with self.subTest(user), as_user(user):
				try:
					expected = frappe.get_list(
						"Complaint", filters=self.filters, fields=FIELDS, order_by="name"
					)
				except frappe.PermissionError:
					with self.assertRaises(frappe.PermissionError):
						reading.read_rows("Complaint", FIELDS, self.filters, ("name",))
					continue
				rows = reading.read_rows(
					"Complaint", FIELDS, self.filters, ("name",), lookups={"party": PARTY}
				)
				self.assertEqual([r.name for r in rows], [e.name for e in expected])
				if not rows:
					continue
				# only the fields at the permission levels the role reads (Frappe 15's get_list
				# itself lets through the field after each one it leaves out)
				levels = frappe.get_meta("Complaint").get_permlevel_access("read")
				self.assertNotIn("tracking_token_hash", rows[0])  # level 2: the public channel's
				self.assertEqual("complainant" in rows[0], 1 in levels)
				for row, stored in zip(rows, expected, strict=True):
					self.assertEqual(row.subject, stored.subject)
					self.assertEqual(frappe.utils.get_datetime(row.received_on), stored.received_on)
				parties = {row.party for row in rows}
				may_see = 1 in levels and frappe.has_permission("Complainant", "read")
				self.assertEqual(parties, {f"Reading Party {i}" for i in range(5)} if may_see else {None})
		with as_user(INVESTIGATOR_USER):  # works single cases: none of these is theirs
			self.assertEqual(frappe.get_list("Complaint", filters=self.filters), [])

	def test_one_aggregate_and_chunks_read_the_same_rows(self):
		query = reading.query("Complaint", ["name", "subject"], self.filters)
		columns = [reading.text("r.name"), reading.text("r.subject")]
		whole = sorted(reading.arrays(query, columns))
		self.assertEqual([subject for _name, subject in whole], [f"Reading {i}" for i in range(5)])
		for chunk in (1, 2, 5, 6):
			self.assertEqual(sorted(reading.arrays(query, columns, chunk)), whole, chunk)

	def test_text_over_max_allowed_packet_is_read_again_in_chunks(self):
		"""Two descriptions of two thirds of max_allowed_packet each: the whole text is cut, and
		so is a chunk of both; each comes back whole in a chunk of its own."""
		packet = frappe.db.sql("select @@max_allowed_packet")[0][0]
		big = "长" * (packet * 2 // 3 // 3)  # three bytes a character in UTF-8
		names = [name for name in self.filters[0][3]]
		for name in names[:2]:
			frappe.db.set_value("Complaint", name, "description", big, update_modified=False)
		query = reading.query("Complaint", ["name", "description"], self.filters)
		rows = dict(reading.arrays(query, [reading.text("r.name"), reading.text("r.description")]))
		self.assertEqual(sorted(rows), sorted(names))
		self.assertEqual([rows[name] == big for name in names], [True, True, False, False, False])

	def test_text_comes_back_as_stored(self):
		"""MariaDB escapes each value of the JSON text: quotes, separators, newlines and control
		characters come back as they were, and NULL as None."""
		stored = 'a "quoted", \\ back [slash]\n}{ 中文 \x01'
		query = f"select 'x' as name, {frappe.db.escape(stored)} as subject, null as missing, 2.5 as hours"
		columns = [reading.text("r.subject"), reading.text("r.missing"), reading.number("r.hours")]
		self.assertEqual(
			list(reading.arrays(query, [*columns, reading.number("r.missing")])), [[stored, None, 2.5, None]]
		)
