"""Modules import on their own and in any order (first module first, last module first); extract/ has no
import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extract", "orchestration", "expectations")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str) -> list[str]:
    return sorted(module_name(p) for p in (ROOT / package).rglob("*.py"))


ALL_MODULES = [m for package in PACKAGES for m in modules(package)]


def imports_of(module: str) -> set[str]:
    """The project modules `module` imports, at any depth of its body (a lazy import counts too)."""
    path = ROOT / Path(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & set(ALL_MODULES)
            found |= submodules or {node.module}  # `from extract import failpoints` needs extract.failpoints
    return {name for name in found if name in ALL_MODULES and name != module}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the path that closes it."""
    found: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for child in sorted(graph.get(node, ())):
            if state.get(child) == "open":
                found.append(path[path.index(child):] + [child])
            elif child not in state:
                visit(child, [*path, child])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_module_list_is_complete():
    assert {"extract.reader", "extract.document", "extract.findings", "orchestration.definitions",
            "expectations.runner"} <= set(ALL_MODULES)


def test_no_import_cycle_among_extract_modules():
    graph = {m: {i for i in imports_of(m) if i.startswith("extract")} for m in modules("extract")}
    assert sum(map(len, graph.values())) > 50  # the graph was read
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def _import_alone(module: str) -> tuple[str, int, str]:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    return module, done.returncode, done.stderr[-2000:]


def test_every_extract_module_imports_alone_in_a_fresh_process():
    """The library's modules one by one (each of orchestration's and expectations' would load Dagster or
    Great Expectations anew, ten seconds apiece: they are imported in two orders below)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(m, err) for m, code, err in pool.map(_import_alone, modules("extract")) if code != 0]
    assert not failed, failed


@pytest.mark.parametrize("order", ["sorted", "reversed"])
def test_every_module_imports_in_any_order_in_one_process(order):
    sequence = sorted(ALL_MODULES, reverse=order == "reversed")
    script = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    done = subprocess.run([sys.executable, "-c", script, *sequence], cwd=ROOT, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
