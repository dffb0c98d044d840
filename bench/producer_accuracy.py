"""How well the PDF reader reads the sample documents as independent producers print them.

Renders (cached in tests/.cache/producers/) every sample × producer × named layout variant of
``tests/extract/pdf/test_producers.py``, reads each PDF and prints, per producer and per variant:

* fields read right: of every field drawn (title and header line, 合计 amounts, unit and project
  names, each amount cell, goals, each indicator field), the share equal in the reading, units and
  projects matched by position;
* projects found / drawn;
* cases exact, cases refused (the document failed with an error finding naming a page), cases
  silently wrong (neither: the unacceptable outcome);
* pages/s of the reader, and of a bare pdfplumber pass (``page.chars`` and ``page.edges`` on every
  page) over the same PDFs.

Then one line per case that is not exact: its first difference and its PDF.

    .venv/bin/python bench/producer_accuracy.py [--producer browser] [--variant plain] [--quiet]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extract import extract_path  # noqa: E402
from tests.pdf_render import SAMPLES  # noqa: E402
from tests.producers.cache import Case, render_all, unavailable  # noqa: E402
from tests.producers.layout import PRODUCERS, VARIANTS, variant  # noqa: E402
from tests.producers.truth import (  # noqa: E402
    Selection,
    as_truth,
    expected,
    field_scores,
    first_difference,
    outcome,
    projects_drawn,
    projects_found,
)


@dataclass
class Result:
    case: Case
    name: str  # the variant's name
    pdf: Path
    outcome: str
    right: int
    fields: int
    found: int
    drawn: int
    pages: int
    reader_seconds: float
    bare_seconds: float
    difference: str | None


def bare_pass(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars  # noqa: B018 - building them is the work measured
            page.edges  # noqa: B018
            page.close()
        return len(pdf.pages)


def measure(case: Case, name: str, pdf: Path, truth: dict) -> Result:
    start = time.perf_counter()
    doc = extract_path(pdf)
    reader_seconds = time.perf_counter() - start
    start = time.perf_counter()
    pages = bare_pass(pdf)
    bare_seconds = time.perf_counter() - start
    right, fields = field_scores(doc, truth)
    result = outcome(doc, truth)
    difference = None
    if result != "exact":
        errors = [f"{f.code} p{f.lineage.pages}" for f in doc.findings if f.severity == "error"]
        difference = first_difference(as_truth(doc), expected(truth)) or "equal fields"
        difference += f" | errors: {errors}" if errors else ""
    return Result(case, name, pdf, result, right, fields, projects_found(doc), projects_drawn(truth), pages,
                  reader_seconds, bare_seconds, difference)


def table(title: str, groups: dict[str, list[Result]]) -> None:
    print(f"\n{title:<34} {'cases':>5} {'fields right':>12} {'projects':>11} {'exact':>5} {'refused':>7} "
          f"{'wrong':>5} {'reader p/s':>10} {'bare p/s':>8}")
    for key, results in groups.items():
        right, fields = sum(r.right for r in results), sum(r.fields for r in results)
        found, drawn = sum(r.found for r in results), sum(r.drawn for r in results)
        pages = sum(r.pages for r in results)
        counts = {o: sum(r.outcome == o for r in results) for o in ("exact", "refused", "wrong")}
        reader = pages / sum(r.reader_seconds for r in results)
        bare = pages / sum(r.bare_seconds for r in results)
        print(f"{key:<34} {len(results):>5} {100 * right / fields:>11.2f}% {f'{found}/{drawn}':>11} "
              f"{counts['exact']:>5} {counts['refused']:>7} {counts['wrong']:>5} {reader:>10.1f} {bare:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--producer", action="append", choices=PRODUCERS)
    parser.add_argument("--variant", action="append", choices=list(VARIANTS))
    parser.add_argument("--quiet", action="store_true", help="tables only, no line per inexact case")
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's Noto fonts: FontBBox warnings

    named = {}
    for producer in args.producer or PRODUCERS:
        for name in args.variant or VARIANTS:
            layout = variant(name, producer)
            reason = unavailable(layout)
            if reason:
                print(f"skipped {producer} {name}: {reason}")
                continue
            for sample in SAMPLES:
                named[Case(Selection(sample.name), layout)] = name
    start = time.perf_counter()
    rendered = render_all(list(named))
    print(f"{len(rendered)} cases rendered or found in the cache in {time.perf_counter() - start:.1f} s")

    results = [measure(case, named[case], pdf, truth) for case, (pdf, truth) in rendered.items()]
    by_producer: dict[str, list[Result]] = defaultdict(list)
    by_variant: dict[str, list[Result]] = defaultdict(list)
    by_both: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_producer[r.case.layout.producer].append(r)
        by_variant[r.name].append(r)
        by_both[f"{r.case.layout.producer} {r.name}"].append(r)
    table("producer", {**by_producer, "all": results})
    table("variant", by_variant)
    table("producer × variant", by_both)
    if not args.quiet:
        print("\ncases not read exactly (outcome, case, first difference, PDF):")
        for r in results:
            if r.outcome != "exact":
                print(f"{r.outcome:<7} {r.case.selection.key[:3]} {r.case.layout.producer} {r.name}: "
                      f"{r.difference[:300]}\n        {r.pdf.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
