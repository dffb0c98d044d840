"""Pure functions from one PDF page's chars and ruling edges to the table's lines, columns and bands.

Nothing here opens a PDF: chars and edges are pdfplumber's dicts (``x0``, ``x1``, ``top``,
``bottom``, ``text``, ``size`` …), so every step can be tested on hand-made inputs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from extract.grammar.header import COLUMN_HEADER_MARKS

Char = dict[str, Any]
Edge = dict[str, Any]

COLUMN_TITLES = ("项目名称", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")
COLUMN_COUNT = len(COLUMN_TITLES)
TOTAL_COLUMN = 1
AMOUNT_COLUMNS = range(1, 5)

DEFAULT_LINE_TOLERANCE = 3.0  # chars whose tops differ by less are on one line
DEFAULT_DEDUPE_TOLERANCE = 1.0  # as pdfplumber's dedupe_chars
DEFAULT_SPACE_GAP = 0.4  # a gap wider than this many font sizes between two chars reads as a space
DEFAULT_RULING_TOLERANCE = 1.0
PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|[-—–]?\s*\d{1,4}\s*[-—–]?|\d+\s*[/／]\s*\d+)$")


@dataclass
class TextLine:
    """Chars sharing a baseline, left to right."""

    top: float
    bottom: float
    chars: list[Char]

    @property
    def text(self) -> str:
        return chars_to_text(self.chars)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Band:
    """The lines of one table row part (one ruled cell row, or one top-aligned row)."""

    lines: list[TextLine]


def dedupe_chars(chars: Sequence[Char], tolerance: float = DEFAULT_DEDUPE_TOLERANCE) -> list[Char]:
    """Chars without the copies drawn a hair apart for fake bold (same text, font and size).

    Same rule as ``pdfplumber.Page.dedupe_chars``, in linear time: pdfplumber 0.11 re-sorts its
    result by ``list.index``, which is quadratic and tripled the reading time of a page. Kept chars
    sit in a grid of cells twice the tolerance wide, so a copy can only be in 2 × 2 cells.
    """
    kept: list[Char] = []
    grids: dict[tuple[Any, ...], dict[tuple[int, int], list[Char]]] = {}
    cell = 2 * tolerance
    for char in chars:
        top, x0 = char["top"], char["x0"]
        grid = grids.setdefault((char["text"], char["fontname"], char["size"], char["upright"]), {})
        row, col = int(top // cell), int(x0 // cell)
        rows = (row, row - 1 if top - row * cell < tolerance else row + 1)
        cols = (col, col - 1 if x0 - col * cell < tolerance else col + 1)
        if not any(
            abs(other["top"] - top) <= tolerance and abs(other["x0"] - x0) <= tolerance
            for r in rows
            for c in cols
            for other in grid.get((r, c), ())
        ):
            kept.append(char)
            grid.setdefault((row, col), []).append(char)
    return kept


def chars_to_lines(chars: Sequence[Char], tolerance: float = DEFAULT_LINE_TOLERANCE) -> list[TextLine]:
    lines: list[TextLine] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if lines and char["top"] - lines[-1].top <= tolerance:
            line = lines[-1]
            line.chars.append(char)
            line.bottom = max(line.bottom, char["bottom"])
        else:
            lines.append(TextLine(char["top"], char["bottom"], [char]))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
    return lines


def chars_to_text(chars: Sequence[Char], space_gap: float = DEFAULT_SPACE_GAP) -> str:
    """The chars' text; a wide gap between two visible chars becomes one space."""
    out: list[str] = []
    previous: Char | None = None
    for char in chars:
        if (
            previous is not None
            and char["x0"] - previous["x1"] > space_gap * char["size"]
            and not previous["text"].isspace()
            and not char["text"].isspace()
        ):
            out.append(" ")
        out.append(char["text"])
        previous = char
    return "".join(out)


def is_column_header(line: TextLine) -> bool:
    compact = "".join(c["text"] for c in line.chars if not c["text"].isspace())
    return all(mark in compact for mark in COLUMN_HEADER_MARKS)


def title_extents(header: TextLine) -> list[tuple[float, float]] | None:
    """(x0, x1) of each column title in the header line, or None if one is missing."""
    visible = [c for c in header.chars if not c["text"].isspace()]
    compact = "".join(c["text"] for c in visible)
    extents, position = [], 0
    for title in COLUMN_TITLES:
        start = compact.find(title, position)
        if start < 0:
            return None
        end = start + len(title)
        # A title runs on to the end of its word, e.g. 项目名称（资金使用单位）.
        while end < len(compact) and visible[end]["x0"] - visible[end - 1]["x1"] < visible[end]["size"] * 0.5:
            end += 1
        extents.append((visible[start]["x0"], visible[end - 1]["x1"]))
        position = end
    return extents


# By geometry, not pdfplumber's `orientation`: on a page turned by /Rotate that is the unturned one.
def is_vertical(edge: Edge, tolerance: float = DEFAULT_RULING_TOLERANCE) -> bool:
    return edge["x1"] - edge["x0"] <= tolerance < edge["bottom"] - edge["top"]


def is_horizontal(edge: Edge, tolerance: float = DEFAULT_RULING_TOLERANCE) -> bool:
    return edge["bottom"] - edge["top"] <= tolerance < edge["x1"] - edge["x0"]


def columns_from_rulings(edges: Sequence[Edge], header: TextLine,
                         tolerance: float = DEFAULT_RULING_TOLERANCE) -> list[float] | None:
    """The x of the 8 vertical rulings crossing the column header, or None without such a grid."""
    xs = sorted(e["x0"] for e in edges if is_vertical(e) and e["top"] <= header.middle <= e["bottom"])
    merged: list[float] = []
    for x in xs:
        if not merged or x - merged[-1] > tolerance:
            merged.append(x)
    return merged if len(merged) == COLUMN_COUNT + 1 else None


def rulings_match(edges: Sequence[Edge], bounds: Sequence[float],
                  tolerance: float = DEFAULT_RULING_TOLERANCE) -> bool:
    """Whether the page has a vertical ruling at each of `bounds` (the same grid as before)."""
    xs = sorted(e["x0"] for e in edges if is_vertical(e))
    return all(any(abs(x - bound) <= tolerance for x in xs) for bound in bounds)


def columns_from_gaps(extents: list[tuple[float, float]], body: Sequence[TextLine]) -> list[float]:
    """Column boundaries of an unruled table: between two column titles, the middle of the widest
    x-range that no body char covers (amounts are right-aligned, text left-aligned, so each column's
    content keeps clear of its neighbour's)."""
    spans = sorted((c["x0"], c["x1"]) for line in body for c in line.chars)
    inner = [_widest_gap(spans, left_end, right_start)
             for (_, left_end), (right_start, _) in zip(extents, extents[1:], strict=False)]
    return [float("-inf"), *inner, float("inf")]


def _widest_gap(spans: Sequence[tuple[float, float]], lo: float, hi: float) -> float:
    best, best_width, cursor = (lo + hi) / 2, -1.0, lo
    for x0, x1 in spans:
        if x1 <= cursor or x0 >= hi:
            if x0 >= hi:
                break
            continue
        if x0 > cursor and x0 - cursor > best_width:
            best, best_width = (cursor + x0) / 2, x0 - cursor
        cursor = max(cursor, x1)
    if hi - cursor > best_width:
        best = (cursor + hi) / 2
    return best


def split_cells(line: TextLine, bounds: Sequence[float]) -> list[list[Char]]:
    """The line's chars by column: each char goes to the column its centre falls in."""
    cells: list[list[Char]] = [[] for _ in range(COLUMN_COUNT)]
    inner = bounds[1:-1]
    for char in line.chars:
        cells[bisect_right(inner, (char["x0"] + char["x1"]) / 2)].append(char)
    return cells


def horizontal_rulings(edges: Sequence[Edge], bounds: Sequence[float],
                       tolerance: float = DEFAULT_RULING_TOLERANCE) -> list[float]:
    """The y of horizontal rulings that run across the name and total columns (row separators).

    Collinear pieces are joined first: some producers rule each cell on its own.
    """
    pieces = sorted((e["top"], e["x0"], e["x1"]) for e in edges if is_horizontal(e))
    ys: list[float] = []
    start = 0
    while start < len(pieces):
        end = start
        while end + 1 < len(pieces) and pieces[end + 1][0] - pieces[start][0] <= tolerance:
            end += 1
        if _covers(sorted(p[1:] for p in pieces[start : end + 1]), bounds[0] + tolerance, bounds[2] - tolerance,
                   tolerance):
            ys.append(pieces[start][0])
        start = end + 1
    return ys


def _covers(spans: Sequence[tuple[float, float]], lo: float, hi: float, tolerance: float) -> bool:
    """Whether the spans (sorted by x0), joined where they touch, cover [lo, hi]."""
    reach = None
    for x0, x1 in spans:
        if reach is None:
            if x0 > lo:
                return False
            reach = x1
        elif x0 <= reach + tolerance:
            reach = max(reach, x1)
        else:
            break
        if reach >= hi:
            return True
    return reach is not None and reach >= hi


def ruled_bands(lines: Sequence[TextLine], separators: Sequence[float]) -> tuple[list[Band], list[TextLine]]:
    """Lines between consecutive separators form one band; lines outside the grid are returned apart."""
    bands: dict[int, Band] = {}
    outside: list[TextLine] = []
    for line in lines:
        slot = bisect_right(separators, line.middle)
        if slot == 0 or slot == len(separators):
            outside.append(line)
        else:
            bands.setdefault(slot, Band([])).lines.append(line)
    return [bands[k] for k in sorted(bands)], outside


def aligned_bands(lines: Sequence[TextLine], bounds: Sequence[float]) -> list[Band]:
    """Unruled rows are top-aligned: a row starts at each line with an amount in the 总计 column."""
    left, right = bounds[TOTAL_COLUMN], bounds[TOTAL_COLUMN + 1]
    bands: list[Band] = []
    for line in lines:
        if not bands or any(left <= (c["x0"] + c["x1"]) / 2 < right and not c["text"].isspace() for c in line.chars):
            bands.append(Band([line]))
        else:
            bands[-1].lines.append(line)
    return bands


def is_page_number(line: TextLine, previous: TextLine | None) -> bool:
    """The page number: a short numeric line set apart below the table."""
    gap = line.top - previous.bottom if previous is not None else float("inf")
    size = max(c["size"] for c in line.chars)
    return gap > size and bool(PAGE_NUMBER.match(line.text.strip()))
