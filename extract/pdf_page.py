"""One PDF page of the table: its furniture, its column boundaries and its row bands (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.pdf_layout import (
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
    title_extents,
)


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

    A page without the column header continues the previous page's table with its columns.
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
        body = _without_page_number(lines)
        table = PageTable(page, previous.bounds, previous.ruled, has_header=False)
        top = float("-inf")
    if table.ruled:
        separators = [y for y in horizontal_rulings(edges, table.bounds) if y > top]
        table.bands, table.stray = ruled_bands(body, separators)
    else:
        table.bands = aligned_bands(body, table.bounds)
    return table


def _without_page_number(lines: list[TextLine]) -> list[TextLine]:
    if lines and is_page_number(lines[-1], lines[-2] if len(lines) > 1 else None):
        return lines[:-1]
    return lines
