"""The app's layout, read from its source with ``ast`` (no site, nothing imported).

- no import cycle anywhere in the app, counting imports inside functions too;
- ``complaint_handling.rules`` imports neither frappe nor any other part of the app;
- the engines (``complaint_handling.engine``) know no capability: they import only rules,
  setup and each other, and learn of deadline sources through the ``complaint_alert_sources`` hook.
"""

import ast
import unittest
from pathlib import Path

APP = "complaint_handling"
ROOT = Path(__file__).resolve().parent.parent / APP
PURE = f"{APP}.rules"
ENGINE = f"{APP}.engine"
ENGINE_MAY_IMPORT = (PURE, ENGINE, f"{APP}.setup")


def module_name(path: Path) -> str:
	parts = path.relative_to(ROOT.parent).with_suffix("").parts
	return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
	return {module_name(path): path for path in ROOT.rglob("*.py")}


def imported_names(path: Path, module: str) -> set[str]:
	"""Every dotted name the module imports, wherever the import statement sits."""
	names = set()
	package = module if path.name == "__init__.py" else module.rpartition(".")[0]
	for node in ast.walk(ast.parse(path.read_text(), str(path))):
		if isinstance(node, ast.Import):
			names.update(alias.name for alias in node.names)
		elif isinstance(node, ast.ImportFrom):
			base = node.module or ""
			if node.level:
				anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
				base = f"{anchor}.{base}" if base else anchor
			names.add(base)
			# ``from package import module`` imports the module
			names.update(f"{base}.{alias.name}" for alias in node.names)
	return names


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
	"""Edges between the app's own modules; packages' empty ``__init__`` files add none."""
	graph = {}
	for module, path in modules.items():
		targets = set()
		for name in imported_names(path, module):
			while name and name not in modules:
				name = name.rpartition(".")[0]
			if name and name != module and modules[name].name != "__init__.py":
				targets.add(name)
		graph[module] = targets
	return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""Strongly connected components of more than one module (Tarjan), or a module importing itself."""
	index, low, stack, on_stack, found = {}, {}, [], set(), []

	def visit(node):
		index[node] = low[node] = len(index)
		stack.append(node)
		on_stack.add(node)
		for target in graph.get(node, ()):
			if target not in index:
				visit(target)
				low[node] = min(low[node], low[target])
			elif target in on_stack:
				low[node] = min(low[node], index[target])
		if low[node] == index[node]:
			component = []
			while True:
				member = stack.pop()
				on_stack.discard(member)
				component.append(member)
				if member == node:
					break
			if len(component) > 1 or node in graph.get(node, ()):
				found.append(sorted(component))

	for node in sorted(graph):
		if node not in index:
			visit(node)
	return found


class TestLayout(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		cls.modules = app_modules()
		cls.graph = import_graph(cls.modules)

	def test_finds_the_app(self):
		# the walk itself must see the layout, or the checks below pass on nothing
		self.assertIn(f"{APP}.engine.reminders", self.graph)
		self.assertIn(f"{APP}.rules.service_levels", self.graph[f"{APP}.engine.reminders"])

	def test_no_import_cycle(self):
		self.assertEqual(cycles(self.graph), [])

	def test_cycle_detection_sees_a_cycle(self):
		self.assertEqual(cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}), [["a", "b", "c"]])

	def test_rules_are_pure(self):
		for module, path in self.modules.items():
			if not module.startswith(PURE):
				continue
			for name in imported_names(path, module):
				with self.subTest(module=module, imports=name):
					self.assertFalse(
						name.split(".")[0] in {"frappe", "erpnext"}, "a pure module imports frappe"
					)
					if name.startswith(f"{APP}."):
						self.assertTrue(name.startswith(PURE), "a pure module imports site code")

	def test_engine_knows_no_capability(self):
		for module, targets in self.graph.items():
			if module.startswith(ENGINE):
				for target in targets:
					with self.subTest(module=module, imports=target):
						self.assertTrue(target.startswith(ENGINE_MAY_IMPORT))
