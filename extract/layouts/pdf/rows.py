"""Row pieces of successive pages to layout-neutral `TableRow`s.

A row is the pieces of one row of the table: the piece holding its amounts, and those a page
break split from it. A piece without amounts at the top of a page continues the row before it (a
top-aligned row carried over); pieces without amounts at the bottom of a page wait for the next
piece with amounts (a centred or bottom-aligned row whose name and amounts landed on the next
page). A row's kind: 合计 is the department total; a row stating a goal or indicators is a
project; of the others, those indented past the least indented so far are projects (without
goal and indicators), the rest unit rows. Amounts keep their column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract.findings import finding
from extract.grammar.amounts import parse_amount
from extract.grammar.header import DEPARTMENT_TOTAL_NAMES
from extract.layouts.pdf.amount_lines import is_complete
from extract.layouts.pdf.cells import Piece
from extract.layouts.pdf.column_header import (
    AMOUNT_COLUMNS,
    COLUMN_COUNT,
    COLUMN_TITLES,
    GOAL,
    INDICATORS,
    NAME,
)
from extract.layouts.pdf.geometry import TextLine, chars_to_text
from extract.layouts.pdf.ledger import AmountLedger
from extract.layouts.pdf.settings import DEFAULT_SETTINGS, ReaderSettings
from extract.model import Amounts, Finding, Lineage
from extract.table import JoinedText, TableRow

FOOTNOTE = re.compile(r"^(?:注|说明|备注|数据来源|资料来源)\S{0,3}[：:]")


@dataclass
class _OpenRow:
    cells: list[JoinedText] = field(default_factory=lambda: [JoinedText() for _ in range(COLUMN_COUNT)])
    pages: list[int] = field(default_factory=list)
    name_x0: float | None = None
    size: float = 0.0
    space_after: list[bool] = field(default_factory=lambda: [False] * COLUMN_COUNT)  # a cell's last line ends in a space

    def add(self, piece: Piece, page: int) -> None:
        for column, lines in enumerate(piece.cells):
            cell = self.cells[column]
            for line in lines:
                if column == NAME and self.name_x0 is None:
                    visible = [c for c in line.chars if not c["text"].isspace()]
                    self.name_x0, self.size = visible[0]["x0"], visible[0]["size"]
                if self.space_after[column] and cell.pieces:
                    cell.pieces[-1].text += " "  # the space a line break fell on, drawn at the line's end
                cell.add(chars_to_text(line.chars), page=page)
                self.space_after[column] = line.chars[-1]["text"].isspace()
        if page not in self.pages:
            self.pages.append(page)

    def completes_amounts(self, piece: Piece) -> bool:
        """Whether `piece` holds only the ends of amounts this row's cells leave unfinished
        (``13,994.`` on one page, ``71`` on the next)."""
        ends = [(column, "".join(line.compact for line in piece.cells[column])) for column in AMOUNT_COLUMNS
                if piece.cells[column]]
        return bool(ends) and all(
            not is_complete(self.text(column)) and is_complete(self.text(column) + end) for column, end in ends)

    @property
    def lacks_amounts(self) -> bool:
        """A name without amounts so far: its amounts may follow on the next page."""
        return bool(self.cells[NAME].pieces) and not any(self.text(column) for column in AMOUNT_COLUMNS)

    def text(self, column: int) -> str:
        return "".join(self.cells[column].text.split())


class RowAssembler:
    """Fed page by page; hands back each row once the next one has started."""

    def __init__(self, findings: list[Finding], ledger: AmountLedger | None = None,
                 settings: ReaderSettings = DEFAULT_SETTINGS) -> None:
        self.findings = findings
        self.ledger = ledger if ledger is not None else AmountLedger()
        self.settings = settings
        self.open: _OpenRow | None = None
        self.waiting: list[tuple[Piece, int]] = []  # pieces without amounts, for the next row
        self.least_indent: float | None = None

    def add_page(self, page: int, pieces: list[Piece], stray: list[TextLine] | None = None) -> list[TableRow]:
        done: list[TableRow] = []
        anchored = [i for i, piece in enumerate(pieces) if piece.has_amounts]
        first, last = (anchored[0], anchored[-1]) if anchored else (len(pieces), len(pieces))
        for i, piece in enumerate(pieces):
            if i == 0 and self.open is not None and not self.waiting and (
                    not piece.has_amounts or self.open.completes_amounts(piece)
                    or (not piece.has_name and self.open.lacks_amounts)):
                self.open.add(piece, page)  # a row carried over from the page before
            elif piece.has_amounts:
                done += self._start(piece, page)
            elif i > last or (i < first and self.waiting):
                self.waiting.append((piece, page))  # part of a row whose amounts come later
            elif piece.has_name:
                done += self._start(piece, page)  # a row without amounts: reported when closed
            elif self.open is None:
                self._stray(list(piece.lines()), page, "text before the first row of the table")
            else:
                self.open.add(piece, page)  # text set apart inside the row above
        if stray:
            self._stray(stray, page, "text outside the ruled table")
        return done

    def finish(self) -> list[TableRow]:
        """The last row; pieces still waiting for amounts are a row without them if they hold a
        name (a footnote below an unruled table is only reported)."""
        waiting, self.waiting = self.waiting, []
        rows: list[TableRow] = []
        for piece, page in waiting:
            if piece.has_name and not FOOTNOTE.match(piece.cells[NAME][0].compact):
                rows += self._start(piece, page)
            else:
                self._stray(list(piece.lines()), page, "text after the last row of the table")
        if self.open is not None:
            rows.append(self._close(self.open))
        self.open = None
        return rows

    def _start(self, piece: Piece, page: int) -> list[TableRow]:
        done = [self._close(self.open)] if self.open is not None else []
        self.open = _OpenRow()
        for waiting, waiting_page in self.waiting:
            self.open.add(waiting, waiting_page)
        self.waiting = []
        self.open.add(piece, page)
        return done

    def _close(self, row: _OpenRow) -> TableRow:
        name = row.cells[NAME].text
        lineage = Lineage(sorted(row.pages))
        values = [self._amount(row, column, lineage) for column in AMOUNT_COLUMNS]
        funding = Amounts(*values)
        components = [v for v in values[1:] if v is not None]
        if "".join(name.split()) in DEPARTMENT_TOTAL_NAMES:  # also when letter-spaced: 合 计
            kind = "total"
        elif row.cells[GOAL].text or row.cells[INDICATORS].text or self._indented(row):
            kind = "project"  # only projects state goals and indicators (names may be centred)
        else:
            kind = "unit"
        table_row = TableRow(kind, name, funding.total, components, funding, row.cells[GOAL], row.cells[INDICATORS],
                             lineage)
        self._check(table_row, row)
        return table_row

    def _indented(self, row: _OpenRow) -> bool:
        """Whether a row without goal and indicators is indented past the unit rows so far."""
        if row.name_x0 is None:
            return False
        if self.least_indent is None or row.name_x0 < self.least_indent:
            self.least_indent = row.name_x0
        return row.name_x0 - self.least_indent > self.settings.indent * row.size

    def _amount(self, row: _OpenRow, column: int, lineage: Lineage) -> Decimal | None:
        text = row.text(column)
        if not text:
            return None
        value = parse_amount(text)
        pieces = row.cells[column].pieces
        page = pieces[0].page if pieces else None
        if value is not None:
            self.ledger.placed(column, value, page)
            return value
        pages = ", ".join(map(str, lineage.pages))
        self.ledger.unreadable_in_row(text)
        where = f"Page(s) {pages}: the {COLUMN_TITLES[column]} cell of row {row.cells[NAME].text or '(no name)'}"
        if set(text) == {"#"}:
            self.findings.append(finding(
                "unplaced_amount", f"{where} prints {text!r}: the spreadsheet's column was too narrow to show the "
                "number, so the amount is not in the PDF; export it again with wider columns.",
                lineage=lineage, text=text))
        elif any(ch.isdigit() for ch in text):
            self.findings.append(finding(
                "unplaced_amount", f"{where} holds {text!r}, which is not one amount: its money could not be read.",
                lineage=lineage, text=text))
        else:
            self.findings.append(finding("unparsed_text", f"{where} holds {text!r}, which is not an amount.",
                                         lineage=lineage, text=text))
        return None

    def _check(self, table_row: TableRow, row: _OpenRow) -> None:
        """A row that lost its amounts, or amounts that lost their row, is an error: money is involved."""
        pages = ", ".join(map(str, table_row.lineage.pages))
        has_amount_text = any(row.text(column) for column in AMOUNT_COLUMNS)
        if not table_row.name.strip() and has_amount_text:
            printed = ", ".join(row.text(c) for c in AMOUNT_COLUMNS if row.text(c))
            self.findings.append(finding(
                "unplaced_amount", f"Page(s) {pages}: amounts {printed} are printed in a row without a name "
                "(or their row's name could not be found): their money cannot be attributed.",
                lineage=table_row.lineage, text=printed))
        elif table_row.kind != "total" and not has_amount_text:
            self.findings.append(finding(
                "row_missing_amounts", f"Page(s) {pages}: the {table_row.kind} row {table_row.name!r} prints no "
                "amount in 总计…其他资金: its amounts were not found next to it.",
                unit=table_row.name if table_row.kind == "unit" else None, lineage=table_row.lineage))

    def _stray(self, lines: list[TextLine], page: int, why: str) -> None:
        text = " / ".join(line.text for line in lines)
        if not text.strip():
            return
        self.findings.append(finding("unparsed_text", f"Page {page}: {why} could not be placed in a field: {text!r}",
                                     lineage=Lineage([page]), text=text))
