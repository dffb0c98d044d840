"""Sample documents printed by independent producers read back exactly, or are refused with a page.

Every sample × producer (``office``: an .xlsx printed by LibreOffice Calc; ``browser``: an HTML table
printed by headless Chromium; ``reportlab``: platypus' table layout) × named layout variant
(`tests.producers.layout.VARIANTS`: header labels and amounts wrapping inside their cells, top,
centre and bottom alignment, rows split by page breaks with the name on the later page, unruled
tables with a multi-line header, three kinds of ruling, 7-11 pt, A4/A3, portrait/landscape, the
header repeated or printed once). The reading must equal the truth in every field: title, header
line, 合计, every unit and project name, amounts by column, goal, every indicator field. A reader
that cannot read a case may instead fail the document with an error finding that names a page;
a wrong reading without one is the unacceptable outcome. ``bench/producer_accuracy.py`` counts both.

The PDFs are rendered once per case for the whole session and cached in tests/.cache/producers/
(a cold run renders ~100 PDFs; soffice converts its sheets in one call per core). Cases whose
program or font is missing here skip and say which Debian package to install.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pdfplumber
import pytest

from extract import extract_path
from extract.model import ExtractedDocument
from tests.pdf_render import SAMPLES
from tests.producers.cache import Case, render_all, unavailable
from tests.producers.layout import PRODUCERS, VARIANTS, variant
from tests.producers.truth import (
    Selection,
    as_truth,
    expected,
    first_difference,
    refused_with_page,
    unnamed_errors,
)

# pdfminer warns about every Noto CJK font Chromium embeds (no FontBBox); the text reads fine.
logging.getLogger("pdfminer.pdffont").setLevel(logging.ERROR)

CASES = [(sample.name, producer, name) for sample in SAMPLES for producer in PRODUCERS for name in VARIANTS]
SPLIT_VARIANTS = ("centred_split_rows", "bottom_split_rows")


def _id(case: tuple[str, str, str]) -> str:
    return f"{case[0][:3]}-{case[1]}-{case[2]}"


def _case(sample: str, producer: str, name: str) -> Case:
    return Case(Selection(sample), variant(name, producer))


@pytest.fixture(scope="session")
def producer_pdfs(request: pytest.FixtureRequest) -> dict[Case, tuple[Path, dict, ExtractedDocument]]:
    """(pdf, truth, reading) of every case this session runs: rendered together (batched per
    producer), then read in one process per core."""
    wanted = [_case(*item.callspec.params["case"]) for item in request.session.items
              if getattr(item, "callspec", None) and "case" in item.callspec.params
              and item.module is not None and item.module.__name__ == __name__]
    rendered = render_all([c for c in wanted if unavailable(c.layout) is None])
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        docs = pool.map(extract_path, [pdf for pdf, _ in rendered.values()])
        return {case: (pdf, truth, doc) for (case, (pdf, truth)), doc in zip(rendered.items(), docs, strict=True)}


def _read(producer_pdfs: dict, case: tuple[str, str, str]) -> tuple[Path, dict, ExtractedDocument]:
    wanted = _case(*case)
    reason = unavailable(wanted.layout)
    if reason:
        pytest.skip(reason)
    if wanted not in producer_pdfs:
        pdf, truth = render_all([wanted])[wanted]
        producer_pdfs[wanted] = (pdf, truth, extract_path(pdf))
    return producer_pdfs[wanted]


@pytest.mark.parametrize("case", CASES, ids=map(_id, CASES))
def test_producer_pdf_reads_back_exactly_or_is_refused_with_a_page(producer_pdfs, case):
    pdf, truth, doc = _read(producer_pdfs, case)
    got = as_truth(doc)
    assert not unnamed_errors(doc), f"{pdf}: error findings that do not name their pages: {unnamed_errors(doc)}"
    if got == expected(truth):
        return
    errors = [f"{f.code} (pages {f.lineage.pages}): {f.message}" for f in doc.findings if f.severity == "error"]
    assert doc.failed and refused_with_page(doc), (
        f"{pdf} read wrong without an error finding naming a page: {first_difference(got, expected(truth))}; "
        f"error findings: {errors}")


def test_browser_split_variants_put_some_names_after_a_page_break(producer_pdfs):
    """The producer check behind the split variants: some project's goal starts on a page before the
    one its name is printed on (Chromium split the row and centred or bottom-aligned its cells)."""
    later = 0
    for sample in SAMPLES:
        for name in SPLIT_VARIANTS:
            pdf, truth, _ = _read(producer_pdfs, (sample.name, "browser", name))
            later += len(names_after_a_page_break(pdf, truth))
    assert later > 0


def names_after_a_page_break(pdf: Path, truth: dict) -> list[str]:
    """Projects whose name is printed on a later page than the first line of their goal."""
    with pdfplumber.open(pdf) as document:
        lines = [(number, "".join(line.split())) for number, page in enumerate(document.pages)
                 for line in page.extract_text().splitlines()]
    found, cursor = [], 0
    for project in (p for u in truth["units"] for p in u["projects"]):
        goal = next((i for i in range(cursor, len(lines)) if project["goal"][:6] in lines[i][1]), None)
        if not project["goal"] or goal is None:
            continue
        name = next((i for i in range(goal, len(lines)) if project["name"][:3] in lines[i][1]), None)
        if name is not None and lines[name][0] > lines[goal][0]:
            found.append(project["name"])
        cursor = goal + 1
    return found
