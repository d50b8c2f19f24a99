import unittest

from complaint_handling.rules.mail_text import (
	candidate_numbers,
	clean_subject,
	decode_header_text,
	display_name,
	is_forward,
	strip_history,
)


class TestMailText(unittest.TestCase):
	def test_subject_prefixes(self):
		self.assertEqual(clean_subject("RE: 回复：Fwd:FW： 答复：Broken seal"), "Broken seal")
		self.assertEqual(clean_subject("Re[2]: Aw: 转发: Broken"), "Broken")
		self.assertEqual(clean_subject("Regarding: seal"), "Regarding: seal")
		self.assertTrue(is_forward("Re: 转发：x"))
		self.assertFalse(is_forward("Re: Fwd-less"))

	def test_history_and_names(self):
		self.assertEqual(strip_history("Fine.\n> old\nMore."), "Fine.\nMore.")
		self.assertEqual(strip_history("From: me\nI bought it."), "From: me\nI bought it.")
		self.assertEqual(strip_history("On Monday I wrote:\nit broke"), "On Monday I wrote:\nit broke")
		self.assertEqual(display_name("=?utf-8?b?5p2O6Zu3?= <li.lei@example.com>"), "李雷")
		self.assertEqual(display_name("li.lei@example.com"), "")

	def test_candidate_numbers(self):
		self.assertEqual(
			candidate_numbers("Re: We have received your complaint TS-III-26-001"), ["TS-III-26-001"]
		)
		self.assertEqual(candidate_numbers("回复：投诉 261129001 的答复"), ["261129001"])
		self.assertEqual(candidate_numbers("Re: your letter"), [])

	def test_headers_in_gbk_and_quoted_printable(self):
		self.assertEqual(decode_header_text("=?gbk?b?wO7A1w==?="), "李雷")
		self.assertEqual(
			decode_header_text("=?utf-8?q?=E6=9D=8E=E9=9B=B7?= <li@example.com>"), "李雷 <li@example.com>"
		)
