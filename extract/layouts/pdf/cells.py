"""A page's table body from lines to cells: each line cut at the column boundaries, the column
lines grouped into row pieces (one row's part on this page), whatever the cells' alignment.

* Ruled: a piece is the space between two horizontal rulings (a row's cell rectangles); one left
  open below or holding more than one row's amounts is parted as an unruled body is.
* Unruled: rows are set apart by their cell padding, so a piece ends at every horizontal strip
  that no column's text covers and that is wider than a cell's own line gap by a margin.

Either way, a piece that holds the amounts of more than one row (a ruling missing, rows printed
with no padding) is cut between each two rows' amounts at the widest strip no text covers, or, when
the strips are all alike, where the rows' alignment says.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from extract.layouts.pdf.amount_lines import group_amount_lines, looks_like_amount
from extract.layouts.pdf.column_header import AMOUNT_COLUMNS, COLUMN_COUNT, NAME
from extract.layouts.pdf.columns import Bounds, split_line
from extract.layouts.pdf.geometry import TextLine
from extract.layouts.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

Columns = list[list[TextLine]]  # per column, its lines top to bottom
LINE_GAP_LIMIT = 0.6  # font sizes: a usual gap between two lines of one cell is at most this
DISTINCT_GAP = 0.5  # pt: a strip this much wider than every other one parts two rows
ALIGNED = 1.0  # pt: amounts this close to the top (bottom) of their piece are top- (bottom-) aligned


@dataclass
class Piece:
    """One row's part on one page: its lines per column, top to bottom."""

    top: float
    bottom: float
    cells: Columns

    def lines(self) -> Iterator[TextLine]:
        for column in self.cells:
            yield from column

    @property
    def has_amounts(self) -> bool:
        return any(looks_like_amount(line.compact) for c in AMOUNT_COLUMNS for line in self.cells[c])

    @property
    def has_name(self) -> bool:
        return bool(self.cells[NAME])


def lines_to_columns(lines: Sequence[TextLine], bounds: Bounds) -> Columns:
    """Each page line cut at the column boundaries; a column's lines stay in page order."""
    columns: Columns = [[] for _ in range(COLUMN_COUNT)]
    for line in lines:
        for column, chars in enumerate(split_line(line, bounds)):
            if any(not c["text"].isspace() for c in chars):
                columns[column].append(TextLine(min(c["top"] for c in chars), max(c["bottom"] for c in chars), chars))
    return columns


def _piece(lines: Sequence[tuple[int, TextLine]]) -> Piece:
    cells: Columns = [[] for _ in range(COLUMN_COUNT)]
    for column, line in lines:
        cells[column].append(line)
    for cell in cells:
        cell.sort(key=lambda line: line.top)
    return Piece(min(line.top for _, line in lines), max(line.bottom for _, line in lines), cells)


def _tagged(columns: Columns) -> list[tuple[int, TextLine]]:
    return sorted(((c, line) for c, lines in enumerate(columns) for line in lines), key=lambda t: t[1].top)


def ruled_pieces(columns: Columns, separators: Sequence[float], threshold: float) -> list[Piece]:
    """Lines between two consecutive separators form one piece (each line by its middle). A piece
    no ruling closes below (vertical rulings only, or a row the page break left open), or one that
    holds more than one row's amounts, is parted at row gaps as an unruled body is."""
    slots: dict[int, list[tuple[int, TextLine]]] = {}
    for column, line in _tagged(columns):
        slots.setdefault(bisect_right(separators, line.middle), []).append((column, line))
    pieces = []
    for slot in sorted(slots):
        piece = _piece(slots[slot])
        if slot == len(separators) or len(amount_extents(piece)) > 1:
            pieces += gap_pieces(piece.cells, threshold=threshold)
        else:
            pieces.append(piece)
    return pieces


def gap_pieces(columns: Columns, settings: ReaderSettings = DEFAULT_SETTINGS,
               threshold: float | None = None) -> list[Piece]:
    """Pieces of an unruled body, parted at strips no text covers that are wider than a row gap."""
    tagged = _tagged(columns)
    if not tagged:
        return []
    if threshold is None:
        threshold = row_gap_threshold(columns, settings)
    pieces, current, reach = [], [tagged[0]], tagged[0][1].bottom
    for column, line in tagged[1:]:
        if line.top - reach > threshold:
            pieces.append(_piece(current))
            current = []
        current.append((column, line))
        reach = max(reach, line.bottom)
    pieces.append(_piece(current))
    return pieces


def row_gap_threshold(columns: Columns, settings: ReaderSettings = DEFAULT_SETTINGS) -> float:
    """The usual gap between two lines of one cell (the most common gap between consecutive lines
    of a column), plus the margin that makes a gap a row gap."""
    gaps: Counter[float] = Counter()
    sizes: list[float] = []
    for lines in columns:
        for upper, lower in zip(lines, lines[1:], strict=False):
            size = max(upper.size, lower.size)
            gap = lower.top - upper.bottom
            if -0.5 < gap <= LINE_GAP_LIMIT * size:
                gaps[round(gap * 4) / 4] += 1
            sizes.append(size)
    size = max(sizes, default=max((line.size for lines in columns for line in lines), default=0.0))
    usual = max(gaps.items(), key=lambda kv: (kv[1], -kv[0]))[0] if gaps else 0.0
    return max(usual, 0.0) + max(settings.min_row_gap, settings.row_gap * size)


def names_with_amounts(pieces: list[Piece]) -> list[Piece]:
    """Pieces rejoined where a row's name and its amounts were parted by a gap (text cells aligned
    top and amount cells bottom in a tall row): a piece with amounts but no name joins its
    neighbour with a name but no amounts; where both neighbours are such, the side the page's
    other such pieces joined. The first piece joins nothing after it: it may finish the row of the
    page before."""
    named = [p.has_name and not p.has_amounts for p in pieces]
    loose = [p.has_amounts and not p.has_name for p in pieces]

    def sides(i: int) -> tuple[bool, bool]:
        return i > 0 and named[i - 1], i > 0 and i + 1 < len(pieces) and named[i + 1]

    votes = [sides(i) for i in range(len(pieces)) if loose[i]]
    before_votes, after_votes = sum(b and not a for b, a in votes), sum(a and not b for b, a in votes)
    prefer = "before" if before_votes > after_votes else "after" if after_votes > before_votes else None
    out: list[Piece] = []
    used: set[int] = set()  # named pieces already joined
    i = 0
    while i < len(pieces):
        if loose[i]:
            before, after = sides(i)
            before, after = before and i - 1 not in used, after and i + 1 not in used
            side = "before" if before and not after else "after" if after and not before else (
                prefer if before and after else None)
            if side == "before":
                out[-1] = _joined(out[-1], pieces[i])
                used.add(i - 1)
                i += 1
                continue
            if side == "after":
                out.append(_joined(pieces[i], pieces[i + 1]))
                used.add(i + 1)
                i += 2
                continue
        out.append(pieces[i])
        i += 1
    return out


def _joined(upper: Piece, lower: Piece) -> Piece:
    return Piece(upper.top, lower.bottom, [a + b for a, b in zip(upper.cells, lower.cells, strict=True)])


def split_rows(piece: Piece) -> list[Piece]:
    """The piece cut between the amounts of different rows, at the widest strip no text covers."""
    groups = amount_extents(piece)
    if len(groups) <= 1:
        return [piece]
    tagged = _tagged(piece.cells)
    if abs(groups[0][0] - piece.top) <= ALIGNED:
        ties = "top"  # rows start with their amounts: a row ends just above the next one's
    elif abs(groups[-1][1] - piece.bottom) <= ALIGNED:
        ties = "bottom"
    else:
        ties = "middle"
    cuts = [_cut(_strips(tagged, upper[1], lower[0]), upper[1], lower[0], ties)
            for upper, lower in zip(groups, groups[1:], strict=False)]
    parts: dict[int, list[tuple[int, TextLine]]] = {}
    for column, line in tagged:
        parts.setdefault(bisect_right(cuts, line.middle), []).append((column, line))
    return [_piece(parts[k]) for k in sorted(parts)]


def amount_extents(piece: Piece) -> list[tuple[float, float]]:
    """The (top, bottom) of each row's amounts in the piece: amounts of one row overlap in height
    (they share the row's alignment), those of different rows do not."""
    spans = []
    for column in AMOUNT_COLUMNS:
        lines = [line for line in piece.cells[column] if looks_like_amount(line.compact)]
        for group in group_amount_lines([line.compact for line in lines]):
            spans.append((lines[group[0]].top, lines[group[-1]].bottom))
    merged: list[tuple[float, float]] = []
    for top, bottom in sorted(spans):
        if merged and top < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
        else:
            merged.append((top, bottom))
    return merged


def _strips(tagged: Sequence[tuple[int, TextLine]], lo: float, hi: float) -> list[tuple[float, float]]:
    """The strips between `lo` and `hi` that no line covers, top to bottom."""
    strips, reach = [], lo
    for _, line in tagged:
        if line.bottom <= reach:
            continue
        if line.top >= hi:
            break
        if line.top > reach:
            strips.append((reach, line.top))
        reach = max(reach, line.bottom)
    if hi > reach:
        strips.append((reach, hi))
    return strips


def _cut(strips: Sequence[tuple[float, float]], lo: float, hi: float, ties: str) -> float:
    """Where two rows part: the middle of the widest strip; when no strip is clearly the widest (rows
    printed without padding), the one the alignment points to (the middle of lo..hi with none)."""
    if not strips:
        return (lo + hi) / 2
    widths = sorted((b - a for a, b in strips), reverse=True)
    if len(widths) == 1 or widths[0] - widths[1] >= DISTINCT_GAP:
        chosen = max(strips, key=lambda s: s[1] - s[0])
    elif ties == "top":
        chosen = strips[-1]
    elif ties == "bottom":
        chosen = strips[0]
    else:
        chosen = min(strips, key=lambda s: abs((s[0] + s[1]) / 2 - (lo + hi) / 2))
    return (chosen[0] + chosen[1]) / 2
