"""Every non-blank character of a table body ends up in a field or in an unparsed_text finding."""

from __future__ import annotations

from collections import Counter

import pytest

from extract import extract_path
from extract.layouts.text.export import Line, decode, find_header, is_page_furniture
from tests.extract.conftest import SAMPLE_DOCS


def body_characters(path) -> Counter:
    text, _ = decode(path.read_bytes())
    lines = [Line(n, raw) for n, raw in enumerate(text.splitlines(), 1)]
    header = find_header(lines)
    kept = [ln.raw for ln in lines[header.body_start:] if ln.text and not is_page_furniture(ln.text, header)]
    return Counter(c for raw in kept for c in raw if not c.isspace() and c != "\t")


def field_characters(doc) -> Counter:
    parts: list[str] = []
    amounts = lambda a, comps: [f"{v:,.2f}" for v in ([a.total] + comps) if v is not None]  # noqa: E731
    if doc.department_total is not None:
        parts += ["合计", *amounts(doc.department_total, doc.department_components)]
    for unit in doc.units:
        parts += [unit.name, *amounts(unit.amounts, unit.components)]
        for p in unit.projects:
            parts += [p.name, *amounts(p.amounts, p.components), p.goal]
            parts += [i.source_text for i in p.indicators]
    parts += [f.text for f in doc.findings if f.text]
    return Counter(c for part in parts for c in part if not c.isspace())


@pytest.mark.parametrize("path", SAMPLE_DOCS, ids=lambda p: p.name[:3])
def test_every_character_is_accounted_for(path):
    doc = extract_path(path)
    body, fields = body_characters(path), field_characters(doc)
    assert body - fields == Counter(), "characters lost"
    assert fields - body == Counter(), "characters invented"


@pytest.mark.parametrize("path", SAMPLE_DOCS, ids=lambda p: p.name[:3])
def test_indicator_fields_come_from_their_source_text(path):
    for _, project in extract_path(path).projects():
        for ind in project.indicators:
            for value in (ind.level1, ind.level2, ind.name, ind.period_value, ind.annual_value):
                assert value is None or value in ind.source_text
            assert ind.lineage.line_start is not None


def test_unplaceable_text_is_reported_with_its_lines(tmp_path):
    # item 3 of the first project loses its 年度指标值 label: the grammar cannot place it
    text = SAMPLE_DOCS[0].read_text(encoding="utf-8").replace("资金完成及时率；实施周期指标值:100%；年度", "资金完成及时率；实施周期指标值:100%；年份")
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    doc = extract_path(path)
    unparsed = [f for f in doc.findings if f.code == "unparsed_text"]
    assert len(unparsed) == 1
    assert unparsed[0].text.startswith("3、1-产出指标；13-时效指标；资金完成及时率") and unparsed[0].text.endswith("100%。")
    assert (unparsed[0].lineage.line_start, unparsed[0].lineage.line_end, unparsed[0].project_seq) == (22, 26, 1)
    assert [i.seq for i in doc.units[0].projects[0].indicators] == [1, 2, 4, 5, 6, 7, 8, 9]
    assert body_characters(path) == field_characters(doc)
