"""Every label, action and message the app shows has a Chinese translation (issue 12): from the
app's ``translations/zh.csv`` or, for Frappe's and ERPNext's own words (Status, Company…), theirs.

Reads the source as text: ``_("…")`` in Python, ``__("…")`` in JavaScript, DocType labels,
descriptions and Select options, workflow states and actions, workspace, card and shortcut labels.
"""

import ast
import csv
import glob
import json
import os
import re
import unittest

import frappe

from complaint_handling.setup import defaults

APP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY_CALL = re.compile(r'(?<![\w.])_\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
JS_CALL = re.compile(r'__\(\s*"((?:[^"\\]|\\.)*)"')
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def translated() -> set[str]:
	known = set()
	for app in ("frappe", "erpnext", "complaint_handling"):
		path = frappe.get_app_path(app, "translations", "zh.csv")
		if os.path.exists(path):
			with open(path, encoding="utf-8") as f:
				known |= {row[0] for row in csv.reader(f) if len(row) > 1 and row[1].strip()}
	return known


def shown_strings() -> dict[str, str]:
	"""String -> where it is shown."""
	found = {}
	for path in glob.glob(f"{APP}/**/*.py", recursive=True):
		if "/tests/" in path or os.path.basename(path).startswith("test_") or "/patches/" in path:
			continue
		for match in PY_CALL.finditer(open(path, encoding="utf-8").read()):
			found.setdefault("".join(ast.literal_eval(s) for s in STRING.findall(match.group(1))), path)
	for path in glob.glob(f"{APP}/**/*.js", recursive=True):
		for match in JS_CALL.finditer(open(path, encoding="utf-8").read()):
			found.setdefault(json.loads(f'"{match.group(1)}"'), path)
	for path in glob.glob(f"{APP}/complaint_handling/doctype/*/*.json"):
		doc = json.load(open(path, encoding="utf-8"))
		for field in doc.get("fields", []):
			for key in ("label", "description"):
				if field.get(key):
					found.setdefault(field[key], path)
			if field.get("fieldtype") == "Select":
				for option in filter(None, (field.get("options") or "").split("\n")):
					found.setdefault(option, path)
	workspace = json.load(
		open(f"{APP}/complaint_handling/workspace/complaints/complaints.json", encoding="utf-8")
	)
	for item in (*workspace["shortcuts"], *workspace["links"], *workspace["number_cards"]):
		found.setdefault(item["label"], "workspace")
		if item.get("format"):
			found.setdefault(item["format"], "workspace")
	for _name, states, transitions in defaults.WORKFLOWS.values():
		for state in states:
			found.setdefault(state[0], "workflow")
		for transition in transitions:
			found.setdefault(transition[1], "workflow")
	return found


class TestChinese(unittest.TestCase):
	def test_everything_the_app_shows_has_a_chinese_translation(self):
		known = translated()
		missing = {text: where for text, where in shown_strings().items() if text not in known}
		self.assertEqual(missing, {}, f"{len(missing)} strings without zh")
