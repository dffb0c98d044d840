"""Ruling lines of a page from pdfplumber's edges: lines, rectangle sides (a border drawn as a thin
filled rectangle, or each cell framed on its own) and curve segments alike, by their geometry.

By geometry, not pdfplumber's ``orientation``: on a page turned by /Rotate that is the unturned one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

from extract.layouts.pdf.geometry import Edge
from extract.layouts.pdf.settings import DEFAULT_RULING_TOLERANCE

CELL_SPACING = 3.0  # pt: pieces of one horizontal ruling may leave gaps this wide between cells
BAR = 3.0  # pt: a filled rectangle at most this thick is a ruling drawn as a bar


@dataclass(frozen=True)
class Rulings:
    vertical: list[tuple[float, float, float]] = field(default_factory=list)  # (x, top, bottom), by x
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1), by y

    def __bool__(self) -> bool:
        return bool(self.vertical or self.horizontal)


def page_edges(lines: Sequence[dict[str, Any]], rects: Sequence[dict[str, Any]],
               curves: Sequence[dict[str, Any]]) -> list[Edge]:
    """The edges that may rule a table: lines, curves, the sides of stroked rectangles and of filled
    bars (a border drawn as a thin filled rectangle). A filled rectangle wider and taller than a bar
    is shading behind text (a header row, zebra stripes), not a ruling: pdfplumber's page.edges
    counts its sides too."""
    edges = [line_to_edge(line) for line in lines]
    for rect in rects:
        if rect.get("stroke") or min(rect["width"], rect["height"]) <= BAR:
            edges += rect_to_edges(rect)
    for curve in curves:
        edges += curve_to_edges(curve)
    return edges


def edges_to_rulings(edges: Sequence[Edge], tolerance: float = DEFAULT_RULING_TOLERANCE) -> Rulings:
    vertical, horizontal = [], []
    for e in edges:
        width, height = e["x1"] - e["x0"], e["bottom"] - e["top"]
        if width <= tolerance < height:
            vertical.append(((e["x0"] + e["x1"]) / 2, e["top"], e["bottom"]))
        elif height <= tolerance < width:
            horizontal.append(((e["top"] + e["bottom"]) / 2, e["x0"], e["x1"]))
    return Rulings(sorted(vertical), sorted(horizontal))


def verticals_at(rulings: Rulings, y: float, tolerance: float = DEFAULT_RULING_TOLERANCE) -> list[float]:
    """The x of the vertical rulings crossing height `y`, those closer than `tolerance` merged."""
    merged: list[float] = []
    for x, top, bottom in rulings.vertical:
        if top - tolerance <= y <= bottom + tolerance and (not merged or x - merged[-1] > tolerance):
            merged.append(x)
    return merged


def separators(rulings: Rulings, x0: float, x1: float, tolerance: float = DEFAULT_RULING_TOLERANCE) -> list[float]:
    """The y of horizontal rulings that run across [x0, x1]; collinear pieces are joined first, over
    the spacing between cells framed each on its own (a browser's ``border-collapse: separate``)."""
    pieces = rulings.horizontal
    ys: list[float] = []
    start = 0
    while start < len(pieces):
        end = start
        while end + 1 < len(pieces) and pieces[end + 1][0] - pieces[start][0] <= tolerance:
            end += 1
        spans = sorted((p[1], p[2]) for p in pieces[start : end + 1])
        if _covers(spans, x0 + CELL_SPACING, x1 - CELL_SPACING, CELL_SPACING):
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


def grid_extent(rulings: Rulings, bounds: Sequence[float],
                tolerance: float = DEFAULT_RULING_TOLERANCE) -> tuple[float, float]:
    """(top, bottom) of the table's vertical rulings (at `bounds`) on this page: its grid."""
    at_bounds = [(top, bottom) for x, top, bottom in rulings.vertical if any(abs(x - b) <= tolerance for b in bounds)]
    if not at_bounds:
        return float("inf"), float("-inf")
    return min(top for top, _ in at_bounds), max(bottom for _, bottom in at_bounds)


def rulings_match(rulings: Rulings, bounds: Sequence[float], tolerance: float = DEFAULT_RULING_TOLERANCE) -> bool:
    """Whether the page has a vertical ruling at each of `bounds` (the same grid as before)."""
    xs = [x for x, _, _ in rulings.vertical]
    return all(any(abs(x - bound) <= tolerance for x in xs) for bound in bounds)
