"""One PDF page of the table: its furniture, its column boundaries and its row bands (pure)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.grammar.header import HEADER_LABEL, TITLE_MARK
from extract.layouts.pdf.geometry import (
    Band,
    Char,
    Edge,
    TextLine,
    aligned_bands,
    chars_to_lines,
    columns_from_gaps,
    columns_from_rulings,
    horizontal_rulings,
    is_column_header,
    is_page_number,
    ruled_bands,
    rulings_match,
    title_extents,
)

# The title of another table of a department budget, e.g. 政府采购预算表, 部门收支总表（续）.
OTHER_TABLE_TITLE = re.compile(r"^\S{2,30}表(?:[（(]\S{0,20}[)）])?$")


@dataclass
class PageTable:
    page: int
    bounds: list[float]  # 8 column boundaries (the outer two may be infinite)
    ruled: bool
    furniture: list[TextLine] = field(default_factory=list)  # title and header lines above the table
    bands: list[Band] = field(default_factory=list)
    stray: list[TextLine] = field(default_factory=list)  # lines inside no row (not page numbers)
    has_header: bool = True


def read_page(page: int, chars: Sequence[Char], edges: Sequence[Edge],
              previous: PageTable | None) -> PageTable | None:
    """The table on one page; None when the page has no table (and none is running on from before).

    A page without the column header continues the previous page's table, with its columns, if it
    looks like it: the same vertical rulings (ruled tables), no other table's title (unruled ones).
    """
    lines = chars_to_lines(chars)
    header_at = next((i for i, line in enumerate(lines) if is_column_header(line)), None)
    if header_at is None and previous is None:
        return None
    if header_at is not None:
        header = lines[header_at]
        furniture, body = lines[:header_at], lines[header_at + 1 :]
        ruled_bounds = columns_from_rulings(edges, header)
        extents = title_extents(header) if ruled_bounds is None else None
        if ruled_bounds is None and extents is None:
            return None
        body = _without_page_number(body)
        bounds = ruled_bounds or columns_from_gaps(extents or [], body)
        table = PageTable(page, bounds, ruled_bounds is not None, furniture)
        top = header.middle
    else:
        assert previous is not None
        lead = 0
        while lead < len(lines) and _own_furniture(lines[lead].text):
            lead += 1
        if not _continues(lines[lead:], edges, previous):
            return None
        body = _without_page_number(lines[lead:])
        table = PageTable(page, previous.bounds, previous.ruled, lines[:lead], has_header=False)
        top = lines[lead - 1].middle if lead else float("-inf")
    if table.ruled:
        separators = [y for y in horizontal_rulings(edges, table.bounds) if y > top]
        table.bands, table.stray = ruled_bands(body, separators)
    else:
        table.bands = aligned_bands(body, table.bounds)
    return table


def _own_furniture(text: str) -> bool:
    """The table's own title or header line, repeated on a page without the column header."""
    return TITLE_MARK in text or bool(HEADER_LABEL.search(text))


def _continues(lines: Sequence[TextLine], edges: Sequence[Edge], previous: PageTable) -> bool:
    if not lines:
        return False
    if previous.ruled:
        return rulings_match(edges, previous.bounds)
    return not OTHER_TABLE_TITLE.match("".join(lines[0].text.split()))


def _without_page_number(lines: list[TextLine]) -> list[TextLine]:
    if lines and is_page_number(lines[-1], lines[-2] if len(lines) > 1 else None):
        return lines[:-1]
    return lines
