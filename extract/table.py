"""Layout-neutral table rows: what a layout reader (text export, PDF) hands to the document builder."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from extract.model import Amounts, Finding, Lineage

RowKind = Literal["total", "unit", "project"]


@dataclass
class Piece:
    """One physical line (text export) or cell line (PDF) of a wrapped cell."""

    text: str
    line: int | None = None
    page: int | None = None


@dataclass
class JoinedText:
    """Wrapped cell text joined with no separator, remembering where each piece began."""

    pieces: list[Piece] = field(default_factory=list)

    def add(self, text: str, line: int | None = None, page: int | None = None) -> None:
        text = text.strip()
        if text:
            self.pieces.append(Piece(text, line, page))

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    def lineage(self, start: int = 0, end: int | None = None) -> Lineage:
        """Lineage of the characters text[start:end]."""
        if not self.pieces:
            return Lineage()
        offsets, pos = [], 0
        for p in self.pieces:
            offsets.append(pos)
            pos += len(p.text)
        end = pos if end is None else end
        first = max(bisect_right(offsets, start) - 1, 0)
        last = max(bisect_right(offsets, max(end - 1, start)) - 1, 0)
        chosen = self.pieces[first : last + 1]
        lines = [p.line for p in chosen if p.line is not None]
        pages = [p.page for p in chosen if p.page is not None]
        return Lineage.span(lines, pages)


@dataclass
class TableRow:
    kind: RowKind
    name: str
    total: Decimal | None
    components: list[Decimal]
    funding: Amounts | None = None  # set when the layout shows each amount's column
    goal: JoinedText = field(default_factory=JoinedText)
    indicators: JoinedText = field(default_factory=JoinedText)
    lineage: Lineage = field(default_factory=Lineage)


@dataclass(frozen=True)
class TableHeader:
    """What the table prints above its column header: title, 单位名称/部门名称 and currency unit."""

    title: str | None = None
    label: str | None = None
    name: str | None = None
    currency: str | None = None


@dataclass
class TableRead:
    """What a layout reader returns: the table's header, its rows in order, and what did not fit."""

    source_format: Literal["pdf", "text"]
    header: TableHeader
    rows: list[TableRow]
    findings: list[Finding] = field(default_factory=list)
    page_count: int | None = None
    line_count: int | None = None
