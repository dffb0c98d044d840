"""One PDF page of the table (pure): its furniture, its column boundaries, its row pieces, and
every column's lines for the amount ledger. Composes column_header → columns → cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.grammar.header import HEADER_LABEL, TITLE_MARK
from extract.layouts.pdf.amount_lines import looks_like_amount
from extract.layouts.pdf.cells import (
    Columns,
    Piece,
    gap_pieces,
    lines_to_columns,
    names_with_amounts,
    row_gap_threshold,
    ruled_pieces,
    split_rows,
)
from extract.layouts.pdf.column_header import AMOUNT_COLUMNS, TOTAL, find_column_header
from extract.layouts.pdf.columns import Bounds, columns_from_gaps, columns_from_rulings
from extract.layouts.pdf.geometry import Char, Edge, TextLine, chars_to_lines, is_page_number
from extract.layouts.pdf.rulings import Rulings, edges_to_rulings, grid_extent, rulings_match, separators
from extract.layouts.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

# The title of another table of a department budget, e.g. 政府采购预算表, 部门收支总表（续）.
OTHER_TABLE_TITLE = re.compile(r"^\S{2,30}表(?:[（(]\S{0,20}[)）])?$")
TITLE_SIZE = 1.2  # a line this many times larger than the table's text is a title


@dataclass
class PageTable:
    page: int
    bounds: Bounds  # 8 column boundaries (the outer two may be infinite)
    ruled: bool
    furniture: list[TextLine] = field(default_factory=list)  # title and header lines above the table
    columns: Columns = field(default_factory=list)  # every column's lines in the table's region
    pieces: list[Piece] = field(default_factory=list)
    stray: list[TextLine] = field(default_factory=list)  # lines outside the ruled grid (not page numbers)
    has_header: bool = True


def read_page(page: int, chars: Sequence[Char], edges: Sequence[Edge], previous: PageTable | None,
              settings: ReaderSettings = DEFAULT_SETTINGS) -> PageTable | None:
    """The table on one page; None when the page has no table (and none is running on from before).

    A page without the column header continues the previous page's table, with its columns, if it
    looks like it: the same vertical rulings (ruled tables), no other table's title (unruled ones).
    """
    lines = chars_to_lines(chars, settings.line_tolerance)
    rulings = edges_to_rulings(edges, settings.ruling_tolerance)
    header = find_column_header(lines, settings)
    if header is None and previous is None:
        return None
    if header is not None:
        furniture, body = lines[: header.first], _table_body(lines[header.last + 1 :])
        ruled_bounds = columns_from_rulings(rulings, header, settings.ruling_tolerance)
        bounds = ruled_bounds or columns_from_gaps(header.labels, body)
        table = PageTable(page, bounds, ruled_bounds is not None, furniture)
    else:
        assert previous is not None
        lead = 0
        while lead < len(lines) and _own_furniture(lines[lead].text):
            lead += 1
        if not _continues(lines[lead:], rulings, previous, settings):
            return None
        body = _table_body(lines[lead:])
        table = PageTable(page, previous.bounds, previous.ruled, lines[:lead], has_header=False)
    inside = body
    if table.ruled:
        ys = separators(rulings, table.bounds[0], table.bounds[TOTAL + 1], settings.ruling_tolerance)
        top, bottom = grid_extent(rulings, table.bounds, settings.ruling_tolerance)
        top, bottom = min([top, *ys[:1]]), max([bottom, *ys[-1:]])
        inside = [line for line in body if top <= line.middle <= bottom]
        table.stray = [line for line in body if not top <= line.middle <= bottom]
    columns = lines_to_columns(inside, table.bounds)
    if table.ruled:
        pieces = ruled_pieces(columns, ys, row_gap_threshold(columns, settings))
    else:
        pieces = gap_pieces(columns, settings)
    table.pieces = names_with_amounts([part for piece in pieces for part in split_rows(piece)])
    table.columns = lines_to_columns(body, table.bounds) if table.stray else columns
    return table


def amounts_off_the_table(page: int, chars: Sequence[Char], table: PageTable,
                          settings: ReaderSettings = DEFAULT_SETTINGS) -> list[str] | None:
    """What a page after the table began, but not read as part of it, prints in the table's amount
    columns that looks like an amount; None if the page starts another table (a title first)."""
    lines = _table_body(chars_to_lines(chars, settings.line_tolerance))
    if lines and (OTHER_TABLE_TITLE.match(lines[0].compact) or TITLE_MARK in lines[0].compact):
        return None
    columns = lines_to_columns(lines, table.bounds)
    return [line.compact for column in AMOUNT_COLUMNS for line in columns[column] if looks_like_amount(line.compact)]


def _own_furniture(text: str) -> bool:
    """The table's own title or header line, repeated on a page without the column header."""
    return TITLE_MARK in text or bool(HEADER_LABEL.search(text))


def _continues(lines: Sequence[TextLine], rulings: Rulings, previous: PageTable, settings: ReaderSettings) -> bool:
    if not lines:
        return False
    if previous.ruled:
        return rulings_match(rulings, previous.bounds, settings.ruling_tolerance)
    return not OTHER_TABLE_TITLE.match(lines[0].compact)


def _table_body(lines: list[TextLine]) -> list[TextLine]:
    """The lines of the table: without the page number below it, and up to another table's title."""
    if lines and is_page_number(lines[-1], lines[-2] if len(lines) > 1 else None):
        lines = lines[:-1]
    if not lines:
        return lines
    body_size = sorted(line.size for line in lines)[len(lines) // 2]
    for i, line in enumerate(lines):
        if line.size > TITLE_SIZE * body_size and OTHER_TABLE_TITLE.match(line.compact):
            return lines[:i]
    return lines
