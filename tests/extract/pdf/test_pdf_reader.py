"""Every sample document drawn as a PDF in every variant reads back exactly as drawn.

Whole-document equality with the renderer's truth: every unit and project name, every amount
with its column, every goal and every indicator field. And the PDF and the text export of the
same document agree.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extract import extract_path
from extract.model import Amounts, ExtractedDocument
from tests.pdf_render import AMOUNT_KEYS, SAMPLES, VARIANTS, rendered

CASES = [(sample, variant) for sample in SAMPLES for variant in VARIANTS]
INDICATOR_FIELDS = ("seq", "level1_code", "level1", "level2_code", "level2", "name", "period_value",
                    "annual_value", "source_text")


def _id(case: tuple[Path, str]) -> str:
    return f"{case[0].name[:3]}-{case[1]}"


@pytest.fixture(scope="session")
def pdf_reading():
    """(pdf path, truth, extracted document) per sample and variant, each rendered and read once."""
    cache: dict[tuple[Path, str], tuple[Path, dict[str, Any], ExtractedDocument]] = {}

    def get(sample: Path, variant: str) -> tuple[Path, dict[str, Any], ExtractedDocument]:
        if (sample, variant) not in cache:
            pdf, truth = rendered(sample, VARIANTS[variant])
            cache[sample, variant] = (pdf, truth, extract_path(pdf))
        return cache[sample, variant]

    return get


@pytest.fixture(scope="session")
def text_reading():
    return {sample: extract_path(sample) for sample in SAMPLES}


def amounts_by_column(amounts: Amounts) -> dict[str, str | None]:
    return {k: None if getattr(amounts, k) is None else f"{getattr(amounts, k):.2f}" for k in AMOUNT_KEYS}


def as_truth(doc: ExtractedDocument) -> dict[str, Any]:
    """The extracted document in the renderer's truth shape."""
    return {
        "title": doc.title,
        "header_label": doc.header_label,
        "header_name": doc.header_name,
        "currency_unit": doc.currency_unit,
        "department_total": amounts_by_column(doc.department_total) if doc.department_total else None,
        "units": [
            {
                "name": unit.name,
                "amounts": amounts_by_column(unit.amounts),
                "projects": [
                    {
                        "name": p.name,
                        "amounts": amounts_by_column(p.amounts),
                        "goal": p.goal,
                        "indicators": [{k: getattr(i, k) for k in INDICATOR_FIELDS} for i in p.indicators],
                    }
                    for p in unit.projects
                ],
            }
            for unit in doc.units
        ],
    }


@pytest.mark.parametrize("case", CASES, ids=map(_id, CASES))
def test_pdf_reads_back_exactly_what_was_drawn(pdf_reading, case):
    _, truth, doc = pdf_reading(*case)
    assert not doc.failed, [f.message for f in doc.findings if f.severity == "error"]
    got = as_truth(doc)
    expected = {k: v for k, v in truth.items() if k != "document"}
    # first and last project first, for a readable failure; then the whole document
    assert got["units"][0]["projects"][0] == expected["units"][0]["projects"][0]
    assert got["units"][-1]["projects"][-1] == expected["units"][-1]["projects"][-1]
    assert got == expected
    assert not [f for f in doc.findings if f.code == "unparsed_text"]


@pytest.mark.parametrize("case", CASES, ids=map(_id, CASES))
def test_pdf_rows_carry_explicit_columns_and_pages(pdf_reading, case):
    pdf, _, doc = pdf_reading(*case)
    assert doc.source_format == "pdf" and doc.page_count and doc.page_count > 1
    for unit in doc.units:
        assert unit.attribution == "explicit"
        for project in unit.projects:
            assert project.attribution == "explicit"
            funding = [project.amounts.fiscal, project.amounts.special_account, project.amounts.other]
            assert project.components == [v for v in funding if v is not None]
            assert project.lineage.pages and set(project.lineage.pages) <= set(range(1, doc.page_count + 1))
            assert project.lineage.line_start is None
            for indicator in project.indicators:
                assert set(indicator.lineage.pages) <= set(project.lineage.pages)
    # rows split by page breaks exist and were stitched: some project spans two pages
    assert any(len(p.lineage.pages) > 1 for _, p in doc.projects())


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name[:3] for s in SAMPLES])
def test_pdf_and_text_export_agree(pdf_reading, text_reading, sample):
    _, _, pdf_doc = pdf_reading(sample, "truetype")
    text_doc = text_reading[sample]
    assert (pdf_doc.title, pdf_doc.header_label, pdf_doc.header_name, pdf_doc.currency_unit) == (
        text_doc.title, text_doc.header_label, text_doc.header_name, text_doc.currency_unit)
    assert pdf_doc.fiscal_year == text_doc.fiscal_year
    assert pdf_doc.indicator_format == text_doc.indicator_format
    assert (pdf_doc.department_total is None) == (text_doc.department_total is None)
    if text_doc.department_total is not None:
        assert pdf_doc.department_total.total == text_doc.department_total.total

    def summary(doc: ExtractedDocument) -> list[Any]:
        return [
            (unit.name, unit.amounts.total,
             [(p.name, p.amounts.total, sum(p.components, Decimal(0)), p.goal,
               [tuple(getattr(i, k) for k in INDICATOR_FIELDS) for i in p.indicators]) for p in unit.projects])
            for unit in doc.units
        ]

    assert summary(pdf_doc) == summary(text_doc)


def test_fake_bold_doubles_every_char_and_dedupe_removes_them(pdf_reading):
    import pdfplumber

    from extract.layouts.pdf.workarounds.dedupe import dedupe_chars

    pdf, _, _ = pdf_reading(SAMPLES[0], "fake_bold")
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        raw = page.chars
        ours = dedupe_chars(raw)
        theirs = page.dedupe_chars().chars
    assert len(raw) == 2 * len(ours)
    assert [(c["text"], c["x0"], c["top"]) for c in ours] == [(c["text"], c["x0"], c["top"]) for c in theirs]


@pytest.mark.parametrize("variant", ["in_budget", "header_once_unruled"])
def test_other_budget_tables_around_the_table_are_skipped(pdf_reading, variant):
    """A whole 部门预算: another table before and after; continuation pages repeat no column header."""
    _, _, doc = pdf_reading(SAMPLES[0], variant)
    first = doc.units[0].projects[0]
    assert doc.units[0].lineage.pages == [2] and first.lineage.pages[0] == 2
    assert doc.projects()[-1][1].lineage.pages[-1] == doc.page_count - 1
    headless = [f for f in doc.findings if f.code == "pages_without_column_header"]
    assert len(headless) == 1 and headless[0].lineage.pages == list(range(3, doc.page_count))
