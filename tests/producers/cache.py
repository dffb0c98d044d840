"""Rendered PDFs and their truth, kept in tests/.cache/producers/ (not committed).

A case is a document (`Selection`) printed in a `Layout`. Its files are named after the case and a
digest of what made them: the producer's code and the shared modules, the sample's bytes, the case.
Missing cases are rendered in batches per producer (soffice converts many sheets per start-up), each
file written under a private name and renamed, so concurrent test processes never see half a file.
Every new PDF is checked to hold every character drawn, so a broken producer fails loudly here
instead of as a reader failure.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pypdfium2 as pdfium

from tests.producers import browser, office, reportlab_table
from tests.producers.layout import FONTS, Layout, header_line, rows
from tests.producers.truth import Selection, truth_of

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "producers"
HERE = Path(__file__).resolve().parent
SHARED_CODE = (HERE / "layout.py", HERE / "truth.py", HERE / "cache.py", HERE.parent / "pdf_render.py")
MODULES: dict[str, ModuleType] = {"office": office, "browser": browser, "reportlab": reportlab_table}
RADICALS = (0x2E80, 0x2FDF)  # CJK Radicals Supplement and Kangxi Radicals
FONT_PACKAGES = {"wqy": "fonts-wqy-zenhei", "noto": "fonts-noto-cjk"}


class ProducerError(RuntimeError):
    """A producer wrote a PDF that does not hold what it was asked to draw."""


@dataclass(frozen=True)
class Case:
    selection: Selection
    layout: Layout

    @property
    def id(self) -> str:
        return f"{self.selection.key}-{self.layout.key}"


def unavailable(layout: Layout) -> str | None:
    """Why this machine cannot print `layout` (a missing program or font), or None."""
    if layout.producer == "office" and not office.SOFFICE:
        return "soffice not found: install Debian's libreoffice-calc-nogui (.ci/run does)"
    if layout.producer == "browser" and not browser.CHROMIUM:
        return "chromium not found: install Debian's chromium (.ci/run does)"
    font = "wqy" if layout.producer == "reportlab" else layout.font  # reportlab embeds wqy-zenhei only
    if not FONTS[font].path.exists():
        return f"{FONTS[font].path} not found: install Debian's {FONT_PACKAGES[font]} (make setup does)"
    return None


def files(case: Case) -> tuple[Path, Path]:
    digest = hashlib.sha256()
    module = MODULES[case.layout.producer].__file__
    assert module is not None
    for path in (*SHARED_CODE, Path(module), case.selection.path):
        digest.update(path.read_bytes())
    digest.update(case.id.encode())
    stem = f"{case.id}.{digest.hexdigest()[:12]}"
    return CACHE / f"{stem}.pdf", CACHE / f"{stem}.truth.json"


def render_all(cases: list[Case]) -> dict[Case, tuple[Path, dict[str, Any]]]:
    """Each case's PDF and truth, rendering those not cached yet (batched per producer)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cases = list(dict.fromkeys(cases))
    missing = [c for c in cases if not all(p.exists() for p in files(c))]
    for producer, module in MODULES.items():
        batch = [c for c in missing if c.layout.producer == producer]
        if not batch:
            continue
        truths = [truth_of(c.selection) for c in batch]
        partials = [_partial(files(c)[0]) for c in batch]
        module.render_many([(t, c.layout, p) for t, c, p in zip(truths, batch, partials, strict=True)])
        for case, truth, partial in zip(batch, truths, partials, strict=True):
            check_text(partial, truth, case)
            pdf, truth_file = files(case)
            truth_partial = _partial(truth_file)
            truth_partial.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
            truth_partial.replace(truth_file)
            partial.replace(pdf)
    out = {}
    for case in cases:
        pdf, truth_file = files(case)
        out[case] = (pdf, json.loads(truth_file.read_text(encoding="utf-8")))
    return out


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def drawn_text(truth: dict[str, Any]) -> str:
    """Every character the producers draw for `truth`: title, header line, column titles, cells."""
    cells = [truth["title"] or "", *header_line(truth)]
    for row in rows(truth):
        cells += [row.name, *row.amounts, row.goal, *row.indicators]
    return "".join("".join(cells).split())


def check_text(pdf: Path, truth: dict[str, Any], case: Case) -> None:
    """Raise `ProducerError` unless the PDF's text layer holds every character drawn (as a multiset).

    Chromium with Noto CJK writes a glyph shared by an ideograph and a radical as the radical
    (一 as ⼀ U+2F00, 户 as ⼾, 车 as ⻋): a faithful print whose text layer the reader must map back,
    so each radical found may stand for one character drawn.
    """
    document = pdfium.PdfDocument(pdf)  # pdfplumber would take ten times as long
    found: Counter[str] = Counter()
    for page in document:
        # pdfium reports a hyphen that ends a line as U+FFFE
        found.update(c for c in page.get_textpage().get_text_range().replace("\ufffe", "-") if not c.isspace())
    document.close()
    radicals = sum(n for text, n in found.items() if any(RADICALS[0] <= ord(c) <= RADICALS[1] for c in text))
    lost = Counter(drawn_text(truth)) - found
    if sum(lost.values()) > radicals:
        sample = "".join(sorted(lost.elements())[:40])
        raise ProducerError(f"{case.id}: {sum(lost.values())} drawn characters are not in {pdf}'s text "
                            f"(e.g. {sample!r}): the producer clipped, dropped or garbled text")
