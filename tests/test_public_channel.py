"""The public channel's rules, without a site (rules/public_channel.py)."""

import unittest

from complaint_handling.rules import public_channel as rules
from complaint_handling.rules.complaint import Status


class TestCleaning(unittest.TestCase):
	def test_single_line_drops_markup_and_nested_tricks(self):
		self.assertEqual(rules.single_line("<b>Li</b> Wei"), "Li Wei")
		self.assertEqual(rules.single_line("<scr<script>ipt>alert(1)</script>"), "alert(1)")
		self.assertNotIn("<", rules.single_line("a < b > c <img src=x onerror=alert(1)"))
		self.assertEqual(rules.single_line("  Li\tWei\n\x00 "), "Li Wei")

	def test_multi_line_keeps_lines_and_the_characters_typed(self):
		text = rules.multi_line("Line 1\r\n<script>x</script>\n\n\n\nLine 3\x07")
		self.assertEqual(text, "Line 1\n<script>x</script>\n\nLine 3")

	def test_limits_and_required(self):
		values = rules.clean({"complainant_name": "x" * 141, "email": "a@b.c", "description": " "})
		self.assertEqual(rules.too_long(values), ["complainant_name"])
		self.assertEqual(rules.missing(values), ["description"])

	def test_phone(self):
		self.assertTrue(rules.valid_phone("+86 (21) 5555-0101"))
		self.assertTrue(rules.valid_phone(""))
		self.assertFalse(rules.valid_phone("call me'; drop table"))

	def test_subject_from_first_line(self):
		self.assertEqual(rules.subject_from("\nBroken seal\nmore", "Vial 10 ml"), "Vial 10 ml: Broken seal")
		self.assertEqual(len(rules.subject_from("x" * 500)), 120)
		# markup typed into the description is not a subject (it would show as &lt;script&gt;)
		self.assertEqual(
			rules.subject_from("<script>alert('x')</script> Kit warm\nmore", "Kit"),
			"Kit: alert('x') Kit warm",
		)
		self.assertEqual(rules.subject_from("<b></b>\n2 is less than 3"), "2 is less than 3")


class TestDuplicates(unittest.TestCase):
	def test_same_address_and_words_whatever_the_spacing_and_case(self):
		one = rules.fingerprint("Li@Example.org ", "The seal  was\nbroken")
		self.assertEqual(one, rules.fingerprint("li@example.org", "the seal was broken"))
		self.assertNotEqual(one, rules.fingerprint("other@example.org", "the seal was broken"))


class TestFiles(unittest.TestCase):
	def test_kind_is_checked_by_content(self):
		self.assertIsNone(rules.file_problem("report.pdf", 10, b"%PDF-1.7 ..."))
		self.assertIsNone(rules.file_problem("photo.JPG", 10, b"\xff\xd8\xff\xe0"))
		self.assertEqual(rules.file_problem("photo.png", 10, b"<script>"), "content")
		self.assertEqual(rules.file_problem("page.html", 10, b"<html>"), "type")
		self.assertEqual(rules.file_problem("run.exe", 10, b"MZ"), "type")
		self.assertIsNone(rules.file_problem("notes.txt", 5, "质量问题".encode()))
		self.assertEqual(rules.file_problem("notes.txt", 5, b"\x00\x01"), "content")
		self.assertEqual(rules.file_problem("fake.pdf", 10, b"MZ\x90\x00"), "content")

	def test_size(self):
		self.assertEqual(rules.file_problem("a.pdf", 0, b""), "size")
		self.assertEqual(rules.file_problem("a.pdf", rules.MAX_FILE_BYTES + 1, b"%PDF-"), "size")

	def test_safe_file_name(self):
		self.assertEqual(rules.safe_file_name("../../etc/passwd"), "passwd")
		self.assertEqual(rules.safe_file_name("C:\\x\\<img>.PDF"), "img.pdf")
		self.assertEqual(rules.safe_file_name("检测报告.pdf"), "检测报告.pdf")
		self.assertLessEqual(len(rules.safe_file_name("a" * 300 + ".pdf")), rules.FILE_NAME_LIMIT)


class TestTokens(unittest.TestCase):
	def test_only_a_hash_is_kept(self):
		token = "A" * 43
		self.assertEqual(len(rules.token_hash(token)), 64)
		self.assertNotIn(token, rules.token_hash(token))

	def test_well_formed(self):
		self.assertTrue(rules.well_formed_token("abc_DEF-123" * 4))
		self.assertFalse(rules.well_formed_token("' or 1=1 --"))
		self.assertFalse(rules.well_formed_token("short"))


class TestPublicStatus(unittest.TestCase):
	def test_every_status_maps_to_a_public_one(self):
		expected = {
			Status.DRAFT: "Received",
			Status.REGISTERED: "Received",
			Status.ACKNOWLEDGED: "Received",
			Status.UNDER_INVESTIGATION: "Under Review",
			Status.PENDING_APPROVAL: "Under Review",
			Status.REOPENED: "Under Review",
			Status.RESPONDED: "Answered",
			Status.CLOSED: "Closed",
			Status.REJECTED: "Closed",
		}
		for status, public in expected.items():
			self.assertEqual(rules.public_status(status), public)
		self.assertEqual(rules.public_status("Some Admin State"), "Under Review")
		self.assertEqual(rules.public_status(Status.CLOSED, appeal_open=True), "Under Appeal")

	def test_feedback_only_on_a_responded_complaint_without_one(self):
		self.assertTrue(rules.takes_feedback(Status.RESPONDED, ""))
		self.assertFalse(rules.takes_feedback(Status.RESPONDED, "Fine"))
		self.assertFalse(rules.takes_feedback(Status.CLOSED, ""))
