"""Layout fuzzing: random producers, layouts and small documents; the reader reads them exactly or
refuses them with an error finding that names a page.

Hypothesis draws a producer (those installed here), a `Layout` (column widths, vertical alignment,
rulings, 7-11 pt, A4/A3, portrait/landscape, header repeated or once, font, forced page breaks) and a
document: one to three projects of a sample under their unit, the unit row and the 合计 row printing
the sums of what was picked (one to three pages). Each example is rendered once and cached in
tests/.cache/producers/ like the named variants of test_producers.py.

CI runs 12 examples, derandomized (the same ones every run, no example database) and without
shrinking, so a failure reports the first failing layout as drawn and costs no extra renders. A long
run, and one that shrinks a failure to a minimal layout:

    LAYOUT_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/extract/pdf/test_layout_fuzz.py
    LAYOUT_FUZZ_SHRINK=1 .venv/bin/python -m pytest tests/extract/pdf/test_layout_fuzz.py

Last long runs (issue #12, on the reader of 2026-11-30): 150 examples, no failure, 3 min; 500
examples, no failure, 32 min on a shared 2-core machine (load about 10; most of it rendering).
Earlier runs' failures are the regression tests in tests/extract/pdf/regressions/.
"""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from extract import extract_path
from tests.pdf_render import SAMPLES
from tests.producers.cache import Case, render_all, unavailable
from tests.producers.layout import (
    FONT_SIZES,
    FONTS,
    ORIENTATIONS,
    PAPERS,
    PRODUCERS,
    RULINGS,
    VALIGNS,
    WIDTHS,
    Layout,
    for_producer,
)
from tests.producers.truth import (
    Selection,
    as_truth,
    expected,
    first_difference,
    refused_with_page,
    truth_of,
    unnamed_errors,
)

# pdfminer warns about every Noto CJK font Chromium embeds (no FontBBox); the text reads fine.
logging.getLogger("pdfminer.pdffont").setLevel(logging.ERROR)

EXAMPLES = int(os.environ.get("LAYOUT_FUZZ_EXAMPLES", "12"))
PHASES = (Phase.explicit, Phase.generate, *((Phase.shrink,) if os.environ.get("LAYOUT_FUZZ_SHRINK") else ()))
MAX_PROJECTS = 3

INSTALLED = [p for p in PRODUCERS if unavailable(Layout(producer=p)) is None]
FONTS_HERE = [f for f in FONTS if FONTS[f].path.exists()]

layouts = st.builds(
    Layout,
    producer=st.sampled_from(INSTALLED or PRODUCERS),
    widths=st.sampled_from(WIDTHS),
    valign=st.sampled_from(VALIGNS),
    rulings=st.sampled_from(RULINGS),
    font_size=st.sampled_from(FONT_SIZES),
    paper=st.sampled_from(tuple(PAPERS)),
    orientation=st.sampled_from(ORIENTATIONS),
    repeat_header=st.booleans(),
    font=st.sampled_from(FONTS_HERE or list(FONTS)),
    manual_breaks=st.booleans(),
).map(for_producer)


@st.composite
def selections(draw: st.DrawFn) -> Selection:
    sample = draw(st.sampled_from(SAMPLES)).name
    units = truth_of(Selection(sample))["units"]
    unit = draw(st.integers(0, len(units) - 1))
    count = len(units[unit]["projects"])
    projects = draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=MAX_PROJECTS, unique=True))
    return Selection(sample, ((unit, tuple(sorted(projects))),))


@pytest.mark.skipif(not INSTALLED, reason="no producer installed: need soffice, chromium or the wqy-zenhei font")
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, phases=PHASES)
@given(layout=layouts, selection=selections())
def test_any_layout_reads_back_exactly_or_is_refused_with_a_page(layout, selection):
    case = Case(selection, layout)
    reason = unavailable(layout)
    if reason:
        pytest.skip(reason)
    pdf, truth = render_all([case])[case]
    doc = extract_path(pdf)
    got = as_truth(doc)
    assert not unnamed_errors(doc), f"{pdf}: error findings that do not name their pages: {unnamed_errors(doc)}"
    if got == expected(truth):
        return
    errors = [f"{f.code} (pages {f.lineage.pages})" for f in doc.findings if f.severity == "error"]
    assert doc.failed and refused_with_page(doc), (
        f"{pdf} read wrong without an error finding naming a page: {first_difference(got, expected(truth))}; "
        f"error findings: {errors}")
