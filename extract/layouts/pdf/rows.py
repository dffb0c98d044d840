"""Row bands of successive PDF pages to layout-neutral `TableRow`s.

A band whose amount cells are all empty continues the row before it (a row split by a page
break: the continuation has an empty name cell). A row's kind follows its name: 合计 is the
department total; names indented relative to the least indented row so far are projects, the
others unit rows. Amounts keep their column, so the rows carry explicit funding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from extract.grammar.amounts import parse_amount
from extract.grammar.header import DEPARTMENT_TOTAL_NAMES
from extract.layouts.pdf.geometry import (
    AMOUNT_COLUMNS,
    COLUMN_COUNT,
    Char,
    TextLine,
    chars_to_text,
    split_cells,
)
from extract.layouts.pdf.page import PageTable
from extract.model import Amounts, Finding, Lineage
from extract.table import JoinedText, TableRow

DEFAULT_INDENT = 0.5  # font sizes of extra left offset that make a name a project name
NAME, TOTAL, FISCAL, SPECIAL, OTHER, GOAL, INDICATORS = range(COLUMN_COUNT)


@dataclass
class _OpenRow:
    cells: list[JoinedText] = field(default_factory=lambda: [JoinedText() for _ in range(COLUMN_COUNT)])
    pages: set[int] = field(default_factory=set)
    name_x0: float | None = None
    size: float = 0.0

    def add(self, band: list[list[list[Char]]], page: int) -> None:
        for line in band:
            for column, chars in enumerate(line):
                if not chars:
                    continue
                if column == NAME and self.name_x0 is None:
                    visible = [c for c in chars if not c["text"].isspace()]
                    if visible:
                        self.name_x0, self.size = visible[0]["x0"], visible[0]["size"]
                self.cells[column].add(chars_to_text(chars), page=page)
        self.pages.add(page)


class RowAssembler:
    """Fed page by page; hands back each row once the next one has started."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        self.open: _OpenRow | None = None
        self.least_indent: float | None = None

    def add_page(self, table: PageTable) -> list[TableRow]:
        done: list[TableRow] = []
        for band in table.bands:
            cells = [split_cells(line, table.bounds) for line in band.lines]
            if not any(not c["text"].isspace() for line in cells for column in AMOUNT_COLUMNS for c in line[column]):
                if self.open is not None:
                    self.open.add(cells, table.page)
                else:
                    self._stray(band.lines, table.page, "text before the first row of the table")
                continue
            if self.open is not None:
                done.append(self._close(self.open))
            self.open = _OpenRow()
            self.open.add(cells, table.page)
            x0 = self.open.name_x0
            if x0 is not None and (self.least_indent is None or x0 < self.least_indent):
                self.least_indent = x0
        if table.stray:
            self._stray(table.stray, table.page, "text outside the ruled table")
        return done

    def finish(self) -> list[TableRow]:
        rows = [self._close(self.open)] if self.open is not None else []
        self.open = None
        return rows

    def _close(self, row: _OpenRow) -> TableRow:
        name = row.cells[NAME].text
        lineage = Lineage(sorted(row.pages))
        funding = Amounts(*(self._amount(row.cells[c], lineage) for c in (TOTAL, FISCAL, SPECIAL, OTHER)))
        components = [v for v in (funding.fiscal, funding.special_account, funding.other) if v is not None]
        if "".join(name.split()) in DEPARTMENT_TOTAL_NAMES:  # also when letter-spaced: 合 计
            kind = "total"
        elif self._indented(row):
            kind = "project"
        else:
            kind = "unit"
        return TableRow(kind, name, funding.total, components, funding, row.cells[GOAL], row.cells[INDICATORS],
                        lineage)

    def _indented(self, row: _OpenRow) -> bool:
        if row.name_x0 is None or self.least_indent is None:
            return False
        return row.name_x0 - self.least_indent > DEFAULT_INDENT * row.size

    def _amount(self, cell: JoinedText, lineage: Lineage) -> Decimal | None:
        text = "".join(cell.text.split())
        if not text:
            return None
        value = parse_amount(text)
        if value is None:
            self.findings.append(Finding("warning", "unparsed_text",
                                         f"Page(s) {', '.join(map(str, lineage.pages))}: an amount cell holds "
                                         f"{text!r}, which is not an amount.", lineage=lineage, text=text))
        return value

    def _stray(self, lines: list[TextLine], page: int, why: str) -> None:
        text = " / ".join(line.text for line in lines)
        self.findings.append(Finding("warning", "unparsed_text",
                                     f"Page {page}: {why} could not be placed in a field: {text!r}",
                                     lineage=Lineage([page]), text=text))
