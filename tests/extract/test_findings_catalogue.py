"""Every finding code is defined once, in `extract.findings.CATALOGUE`, and listed in the README."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from extract.errors import ExtractError
from extract.findings import CATALOGUE, UnknownFindingCode, catalogue_markdown, finding

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted((ROOT / "extract").rglob("*.py"))
# Codes in the catalogue that no source raises yet: the PDF reader's, issue 12. Remove once raised.
NOT_YET_RAISED = {"unplaced_amount", "row_missing_amounts"}


def codes_in_source() -> dict[str, set[str]]:
    """code -> files, for each string literal given as a finding code: finding(code, …),
    ExtractError(code, …), Finding(severity, code, …), and comparisons `….code == "…"`."""
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for code in _code_literals(node):
                found.setdefault(code, set()).add(str(path.relative_to(ROOT)))
    return found


def _code_literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        position = {"finding": 0, "ExtractError": 0, "Finding": 1}.get(name)
        keyword = next((k.value for k in node.keywords if k.arg == "code"), None)
        argument = node.args[position] if position is not None and len(node.args) > position else keyword
        if position is not None and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            return [argument.value]
    if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr == "code":
        return [c.value for c in node.comparators if isinstance(c, ast.Constant) and isinstance(c.value, str)]
    return []


def test_every_code_used_in_the_source_is_in_the_catalogue():
    unknown = {code: files for code, files in codes_in_source().items() if code not in CATALOGUE}
    assert not unknown, f"add these codes to extract/findings.py: {unknown}"


def test_every_catalogued_code_is_used_in_the_source():
    unused = set(CATALOGUE) - set(codes_in_source()) - NOT_YET_RAISED
    assert not unused, f"no source raises these codes; remove them from extract/findings.py: {sorted(unused)}"


def test_the_source_tree_is_actually_scanned():
    assert {"unparsed_text", "truncated_document", "no_projects", "reader_failure", "file_not_found",
            "corrupt_pdf", "unit_total_mismatch"} <= set(codes_in_source())


def test_the_readme_lists_exactly_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalogue_markdown() in readme, "README's finding codes differ: paste `python -m extract.findings`"
    listed = set(re.findall(r"^\| `([a-z_]+)` \| (?:error|warning|info) \|", readme, re.M))
    assert listed == set(CATALOGUE)


def test_a_finding_takes_its_severity_from_the_catalogue():
    made = finding("unit_total_mismatch", "gap", unit="U", project_seq=None)
    assert (made.severity, made.code, made.unit) == ("warning", "unit_total_mismatch", "U")
    assert finding("no_projects", "x").severity == "error"


def test_unknown_codes_raise():
    with pytest.raises(UnknownFindingCode):
        finding("no_such_code", "x")
    with pytest.raises(UnknownFindingCode):
        ExtractError("no_such_code", "x")


def test_an_extract_error_takes_only_error_codes():
    with pytest.raises(ValueError):
        ExtractError("unparsed_text", "a warning cannot reject a document")
