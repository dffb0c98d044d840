"""The document model: typed records matching the extraction contract (`to_dict`). The pipeline
builds new records rather than changing them (`dataclasses.replace`).

Amounts are `Decimal` so sums reconcile exactly; they become JSON numbers only in `to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
Attribution = Literal["explicit", "inferred", "unknown"]
SourceFormat = Literal["pdf", "text"]


@dataclass
class Lineage:
    """Where a record came from: PDF pages and/or text-export line numbers (1-based)."""

    pages: list[int] = field(default_factory=list)
    line_start: int | None = None
    line_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.pages:
            out["pages"] = list(self.pages)
        if self.line_start is not None:
            out["line_start"] = self.line_start
        if self.line_end is not None:
            out["line_end"] = self.line_end
        return out

    @staticmethod
    def span(lines: list[int], pages: list[int] | None = None) -> Lineage:
        return Lineage(sorted(set(pages or [])), min(lines) if lines else None, max(lines) if lines else None)


@dataclass
class Amounts:
    total: Decimal | None = None
    fiscal: Decimal | None = None
    special_account: Decimal | None = None
    other: Decimal | None = None

    def to_dict(self) -> dict[str, float | None]:
        return {k: _num(getattr(self, k)) for k in ("total", "fiscal", "special_account", "other")}


@dataclass
class Indicator:
    seq: int
    level1_code: str | None
    level1: str
    level2_code: str | None
    level2: str | None
    name: str
    period_value: str | None
    annual_value: str | None
    source_text: str = ""
    lineage: Lineage = field(default_factory=Lineage)

    def to_dict(self) -> dict[str, Any]:
        return {**_fields(self, _INDICATOR_FIELDS), "lineage": self.lineage.to_dict()}


@dataclass
class Project:
    seq: int
    name: str
    amounts: Amounts
    components: list[Decimal]
    attribution: Attribution
    goal: str
    indicators: list[Indicator]
    lineage: Lineage = field(default_factory=Lineage)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            **_money(self.name, self.amounts, self.components, self.attribution),
            "goal": self.goal,
            "indicators": [i.to_dict() for i in self.indicators],
            "lineage": self.lineage.to_dict(),
        }


@dataclass
class Unit:
    name: str
    amounts: Amounts
    components: list[Decimal]
    attribution: Attribution
    projects: list[Project] = field(default_factory=list)
    lineage: Lineage = field(default_factory=Lineage)

    def to_dict(self) -> dict[str, Any]:
        return {
            **_money(self.name, self.amounts, self.components, self.attribution),
            "projects": [p.to_dict() for p in self.projects],
            "lineage": self.lineage.to_dict(),
        }


@dataclass
class Finding:
    severity: Severity
    code: str
    message: str
    unit: str | None = None
    project_seq: int | None = None
    lineage: Lineage = field(default_factory=Lineage)
    text: str | None = None  # the source text an unparsed_text finding holds, verbatim

    def to_dict(self) -> dict[str, Any]:
        out = {**_fields(self, ("severity", "code", "message", "unit", "project_seq")),
               "lineage": self.lineage.to_dict()}
        if self.text is not None:
            out["text"] = self.text
        return out


@dataclass
class ExtractedDocument:
    document: str
    document_id: str
    source_format: SourceFormat
    title: str | None = None
    header_label: str | None = None
    header_name: str | None = None
    currency_unit: str | None = None
    fiscal_year: int | None = None
    year_source: str = "unknown"
    indicator_format: str = "none"
    department_total: Amounts | None = None
    department_components: list[Decimal] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    department: str | None = None
    page_count: int | None = None
    line_count: int | None = None
    size_bytes: int | None = None
    source_path: str | None = None

    @property
    def failed(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def projects(self) -> list[tuple[Unit, Project]]:
        return [(u, p) for u in self.units for p in u.projects]

    def to_dict(self) -> dict[str, Any]:
        return {
            **_fields(self, ("document", "document_id", "source_format", "title", "header_label", "header_name",
                             "currency_unit", "fiscal_year", "year_source", "indicator_format")),
            "department_total": self.department_total.to_dict() if self.department_total else None,
            "units": [u.to_dict() for u in self.units],
            "findings": [f.to_dict() for f in self.findings],
            "department_components": [_num(c) for c in self.department_components],
            **_fields(self, ("department", "page_count", "line_count", "size_bytes")),
        }


_INDICATOR_FIELDS = ("seq", "level1_code", "level1", "level2_code", "level2", "name", "period_value",
                     "annual_value", "source_text")


def _fields(record: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields as they are, in the contract's order."""
    return {name: getattr(record, name) for name in names}


def _money(name: str, amounts: Amounts, components: list[Decimal], attribution: Attribution) -> dict[str, Any]:
    """The fields a unit row and a project row share, as the contract orders them."""
    return {
        "name": name,
        "amounts": amounts.to_dict(),
        "components": [_num(c) for c in components],
        "attribution": attribution,
    }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
