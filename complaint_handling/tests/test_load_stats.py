"""The load benchmark's figures, without a site (benchmarks/public_load.py, its pure part)."""

import unittest
from collections import Counter

from complaint_handling.benchmarks.public_load import (
	Result,
	describe_server,
	not_2xx,
	percentiles,
	ratio,
	ratio_table,
	row,
)


def result(label: str, latencies: list[float], statuses: dict, elapsed: float = 10.0) -> Result:
	return Result(label, list(latencies), Counter(statuses), elapsed=elapsed)


class TestFigures(unittest.TestCase):
	def test_percentiles_of_1_to_100(self):
		p50, p95, p99 = percentiles([float(n) for n in range(1, 101)])
		self.assertAlmostEqual(p50, 50.5)
		self.assertAlmostEqual(p95, 95.05)
		self.assertAlmostEqual(p99, 99.01)

	def test_percentiles_of_few_values(self):
		self.assertIsNone(percentiles([]))
		self.assertEqual(percentiles([0.2]), (0.2, 0.2, 0.2))
		p50, p95, p99 = percentiles([0.1, 0.3])
		self.assertAlmostEqual(p50, 0.2)
		self.assertTrue(0.1 <= p95 <= p99 <= 0.3)

	def test_not_2xx_by_status_most_frequent_first(self):
		self.assertEqual(not_2xx(Counter({200: 50, 204: 1})), "0")
		self.assertEqual(not_2xx(Counter({200: 5, 500: 2, 429: 900, 404: 2})), "429:900 404:2 500:2")

	def test_merge_and_rate(self):
		total = result("GET /x", [0.1], {200: 1}, elapsed=2.0)
		total.merge(result("GET /x", [0.2, 0.3], {200: 1, 429: 1}))
		total.errors["ConnectTimeout"] += 1
		self.assertEqual((total.answered, total.ok, total.rate), (3, 2, 1.5))
		line = row(total)
		self.assertTrue(line.startswith("GET /x"))
		self.assertIn("429:1 / ConnectTimeout:1", line)

	def test_ratio_of_p95s(self):
		ours = result("ours", [0.2] * 10, {200: 10})
		theirs = result("theirs", [0.1] * 10, {200: 10})
		self.assertAlmostEqual(ratio(ours, theirs), 2.0)
		self.assertIsNone(ratio(ours, result("none", [], {})))
		table = ratio_table([ours], [theirs, result("none", [], {})])
		self.assertEqual(len(table), 2)
		self.assertIn("2.00", table[1])
		self.assertTrue(table[1].rstrip().endswith("-"))

	def test_server_described_from_its_header(self):
		self.assertIn("Werkzeug development server", describe_server("Werkzeug/3.0.6 Python/3.11.2", ""))
		self.assertTrue(describe_server("gunicorn", "gunicorn -w 2").startswith("gunicorn -w 2; gunicorn"))
		self.assertEqual(describe_server("", ""), "Server header: none")
