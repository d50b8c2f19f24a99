import unittest
from datetime import date

from complaint_handling.rules.naming import InvalidPattern, MissingValue, NamingPattern


class TestNamingPattern(unittest.TestCase):
	def test_seed_pattern_ts_class_year_sequence(self):
		pattern = NamingPattern("TS-{severity}-{YY}-{###}")
		self.assertEqual(pattern.render(date(2013, 5, 2), {"severity": "I"}, 1), "TS-I-13-001")
		self.assertEqual(pattern.digits, 3)

	def test_aabbccddd_runs_one_sequence_per_year(self):
		pattern = NamingPattern("{YY}{MM}{DD}{###}")
		self.assertEqual(pattern.render(date(2013, 5, 2), {}, 17), "130502017")
		# month and day do not restart the counter, the year does
		self.assertEqual(pattern.series_key(date(2013, 5, 2), {}), pattern.series_key(date(2013, 12, 31), {}))
		self.assertNotEqual(
			pattern.series_key(date(2013, 5, 2), {}), pattern.series_key(date(2014, 1, 1), {})
		)

	def test_series_is_per_class_and_year(self):
		pattern = NamingPattern("TS-{severity}-{YY}-{###}")
		key = pattern.series_key
		self.assertEqual(key(date(2013, 1, 1), {"severity": "I"}), "Complaint:TS-I-2013-#")
		self.assertNotEqual(
			key(date(2013, 1, 1), {"severity": "I"}), key(date(2013, 1, 1), {"severity": "II"})
		)
		# a two-digit year is kept as four in the key so 1913 and 2013 never share a counter
		self.assertNotEqual(
			key(date(1913, 1, 1), {"severity": "I"}), key(date(2013, 1, 1), {"severity": "I"})
		)

	def test_pattern_without_year_never_restarts(self):
		pattern = NamingPattern("CMP-{#####}")
		self.assertEqual(pattern.series_key(date(2013, 1, 1), {}), pattern.series_key(date(2020, 1, 1), {}))
		self.assertEqual(pattern.render(date(2020, 1, 1), {}, 42), "CMP-00042")

	def test_sequence_past_the_padding_stays_unique(self):
		self.assertEqual(NamingPattern("A-{##}").render(date(2020, 1, 1), {}, 100), "A-100")

	def test_four_digit_year_and_company(self):
		pattern = NamingPattern("{company}-{YYYY}-{####}")
		self.assertEqual(pattern.render(date(2024, 2, 29), {"company": "LAB"}, 5), "LAB-2024-0005")
		self.assertEqual(pattern.value_tokens, {"company"})

	def test_invalid_patterns(self):
		for bad in ("TS-{YY}", "TS-{##}-{###}", "TS-{colour}-{###}", "TS/{###}", "TS-{sev-{###}"):
			with self.subTest(bad=bad), self.assertRaises(InvalidPattern):
				NamingPattern(bad)

	def test_missing_value_names_the_token(self):
		with self.assertRaises(MissingValue) as caught:
			NamingPattern("TS-{severity}-{###}").render(date(2020, 1, 1), {"severity": " "}, 1)
		self.assertEqual(caught.exception.token, "severity")
