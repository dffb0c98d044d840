"""What a producer draws (a sample's truth, or a subset of its units and projects) and how a reading
of the PDF compares with it.

The truth of a whole sample is `tests.pdf_render.document_truth`: the wrapped exports' amounts dealt
to funding columns, unit rows printing their projects' column sums. A subset recomputes the sums it
prints: a unit row's total and columns are its chosen projects' sums, the 合计 row's its units'.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Literal

from extract.model import Amounts, ExtractedDocument, Finding
from tests.pdf_render import AMOUNT_KEYS, SAMPLES, document_truth

INDICATOR_FIELDS = ("seq", "level1_code", "level1", "level2_code", "level2", "name", "period_value",
                    "annual_value", "source_text")
HEADER_FIELDS = ("title", "header_label", "header_name", "currency_unit")
Outcome = Literal["exact", "refused", "wrong"]
# "Page 3", "Page(s) 3, 4", "pages 1–12", "pages 2–4, 7", "page 5": the pages a message names.
TEXT_SHOWN = 15  # characters of an unplaced text a sentence shows at least (a cut list: its first items)
PAGES_NAMED = re.compile(r"\b[Pp]ages?(?:\(s\))? ((?:\d+(?:–\d+)?)(?:, \d+(?:–\d+)?)*)")


@dataclass(frozen=True)
class Selection:
    """A sample document, whole (`picks` None) or its units and projects picked by position."""

    sample: str  # file name in data/sample
    picks: tuple[tuple[int, tuple[int, ...]], ...] | None = None  # (unit index, project indexes)

    @property
    def key(self) -> str:
        if self.picks is None:
            return f"{self.sample[:3]}-whole"
        return f"{self.sample[:3]}-" + "_".join(f"u{u}p{'.'.join(map(str, ps))}" for u, ps in self.picks)

    @property
    def path(self) -> Path:
        return next(s for s in SAMPLES if s.name == self.sample)


@cache
def _sample_truth(sample: str) -> dict[str, Any]:
    return document_truth(next(s for s in SAMPLES if s.name == sample))


def truth_of(selection: Selection) -> dict[str, Any]:
    whole = copy.deepcopy(_sample_truth(selection.sample))
    if selection.picks is None:
        return whole
    units = []
    for unit_index, project_indexes in selection.picks:
        unit = whole["units"][unit_index]
        projects = [unit["projects"][i] for i in project_indexes]
        units.append({"name": unit["name"], "amounts": _sums(projects), "projects": projects})
    whole["units"] = units
    if whole["department_total"] is not None:
        whole["department_total"] = _sums(units)
    return whole


def _sums(rows: list[dict[str, Any]]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in AMOUNT_KEYS:
        values = [Decimal(r["amounts"][key]) for r in rows if r["amounts"][key] is not None]
        out[key] = f"{sum(values, Decimal(0)):.2f}" if values else None
    return out


# ---- comparing a reading with the truth ----------------------------------------------------------

def amounts_by_column(amounts: Amounts) -> dict[str, str | None]:
    return {k: None if getattr(amounts, k) is None else f"{getattr(amounts, k):.2f}" for k in AMOUNT_KEYS}


def as_truth(doc: ExtractedDocument) -> dict[str, Any]:
    """The extracted document in the truth's shape (as tests/test_pdf_reader.py compares it)."""
    return {
        **{k: getattr(doc, k) for k in HEADER_FIELDS},
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


def expected(truth: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in truth.items() if k != "document"}


def pages_named(message: str) -> set[int]:
    """The page numbers a finding's sentence names, ranges spelled out."""
    named: set[int] = set()
    for listed in PAGES_NAMED.findall(message):
        for part in listed.split(", "):
            first, _, last = part.partition("–")
            named.update(range(int(first), int(last or first) + 1))
    return named


def names_its_pages(found: Finding) -> bool:
    """A finding a person can act on: its sentence names the (document-relative) pages it concerns,
    and, for money that was not placed, the text."""
    named = pages_named(found.message)
    if not named or not set(found.lineage.pages) <= named:
        return False
    if found.code != "unplaced_amount":
        return True
    shown = (found.text, repr(found.text), found.text[:TEXT_SHOWN])  # a long text may be cut short: its start
    return bool(found.text) and any(text in found.message for text in shown)


def unnamed_errors(doc: ExtractedDocument) -> list[str]:
    """Error findings that concern pages without saying which in their sentence."""
    return [f"{f.code} (pages {f.lineage.pages}): {f.message}" for f in doc.findings
            if f.severity == "error" and f.lineage.pages and not names_its_pages(f)]


def refused_with_page(doc: ExtractedDocument) -> bool:
    """The reader said it could not read the document, and where: an error finding naming a page
    (in its lineage and its sentence, or in its sentence alone when the whole document is refused)."""
    return any(f.severity == "error" and names_its_pages(f) for f in doc.findings)


def outcome(doc: ExtractedDocument, truth: dict[str, Any]) -> Outcome:
    if as_truth(doc) == expected(truth):
        return "exact"
    return "refused" if doc.failed and refused_with_page(doc) else "wrong"


def first_difference(got: Any, want: Any, where: str = "") -> str | None:
    """A readable path to the first place the reading departs from the truth."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want:
            found = first_difference(got.get(key), want[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list):
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            found = first_difference(g, w, f"{where}[{i}]")
            if found:
                return found
        if len(got) != len(want):
            return f"{where}: {len(got)} items read, {len(want)} drawn"
        return None
    if got == want:
        return None
    if isinstance(got, str) and isinstance(want, str) and max(len(got), len(want)) > 60:
        at = next((i for i, (g, w) in enumerate(zip(got, want, strict=False)) if g != w), min(len(got), len(want)))
        return (f"{where}: from character {at} read {got[max(at - 20, 0):at + 40]!r}, "
                f"drawn {want[max(at - 20, 0):at + 40]!r} ({len(got)} and {len(want)} characters)")
    return f"{where}: read {got!r}, drawn {want!r}"


def field_scores(doc: ExtractedDocument, truth: dict[str, Any]) -> tuple[int, int]:
    """(fields read right, fields drawn): header fields, 合计 amounts, unit and project names, each amount
    cell, goals, each indicator field. Units and projects are matched by position."""
    got, want = as_truth(doc), expected(truth)
    right = sum(got[k] == want[k] for k in HEADER_FIELDS)
    total = len(HEADER_FIELDS)
    if want["department_total"] is not None:
        right += _matches(got["department_total"] or {}, want["department_total"], AMOUNT_KEYS)
        total += len(AMOUNT_KEYS)
    for u, unit in enumerate(want["units"]):
        got_unit = got["units"][u] if u < len(got["units"]) else {"name": None, "amounts": {}, "projects": []}
        right += (got_unit["name"] == unit["name"]) + _matches(got_unit["amounts"], unit["amounts"], AMOUNT_KEYS)
        total += 1 + len(AMOUNT_KEYS)
        for p, project in enumerate(unit["projects"]):
            got_p = got_unit["projects"][p] if p < len(got_unit["projects"]) else None
            total += 2 + len(AMOUNT_KEYS) + len(INDICATOR_FIELDS) * len(project["indicators"])
            if got_p is None:
                continue
            right += (got_p["name"] == project["name"]) + (got_p["goal"] == project["goal"])
            right += _matches(got_p["amounts"], project["amounts"], AMOUNT_KEYS)
            for i, indicator in enumerate(project["indicators"]):
                if i < len(got_p["indicators"]):
                    right += _matches(got_p["indicators"][i], indicator, INDICATOR_FIELDS)
    return right, total


def _matches(got: dict[str, Any], want: dict[str, Any], keys: tuple[str, ...]) -> int:
    return sum(got.get(k, object()) == want[k] for k in keys)


def projects_found(doc: ExtractedDocument) -> int:
    return sum(len(u.projects) for u in doc.units)


def projects_drawn(truth: dict[str, Any]) -> int:
    return sum(len(u["projects"]) for u in truth["units"])

