"""The table's eight column boundaries on a page: from its vertical rulings where the header is
ruled, else from the header's label blocks and the x-gaps of the body below them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise

from extract.layouts.pdf.column_header import COLUMN_COUNT, GOAL, INDICATORS, ColumnHeader
from extract.layouts.pdf.geometry import Char, TextLine
from extract.layouts.pdf.rulings import Rulings, verticals_at
from extract.layouts.pdf.settings import DEFAULT_RULING_TOLERANCE

TOUCH = 0.1  # font sizes: two chars closer than this touch (one run of text)
WORD_SPACE = 0.5  # font sizes: a free range narrower than this may be a space between two words
HANGING = frozenset("、。，．；：！？）］｝」』】〉》”’…,.;:!?)]}")  # never start a line: CJK breaking hangs them
CLOSERS = frozenset("”’）］｝」』】〉》)]}")  # may hang after another hung mark
TEXT_COLUMNS = (GOAL, INDICATORS)  # left-aligned text after another column
Bounds = list[float]  # COLUMN_COUNT + 1 x positions, left to right (the outer two may be infinite)


def columns_from_rulings(rulings: Rulings, header: ColumnHeader,
                         tolerance: float = DEFAULT_RULING_TOLERANCE) -> Bounds | None:
    """A vertical ruling left of the first label, one between each two labels and one right of the
    last, all crossing the header; None if the header is not ruled so (extra rulings, e.g. a page
    frame, are passed over: the ruling nearest each label gap counts)."""
    xs = verticals_at(rulings, header.middle, tolerance)
    labels = header.labels
    left = [x for x in xs if x <= labels[0][0] + tolerance]
    right = [x for x in xs if x >= labels[-1][1] - tolerance]
    if not left or not right:
        return None
    bounds = [max(left)]
    for (_, left_end), (right_start, _) in pairwise(labels):
        between = [x for x in xs if left_end - tolerance <= x <= right_start + tolerance]
        if not between:
            return None
        middle = (left_end + right_start) / 2
        bounds.append(min(between, key=lambda x: abs(x - middle)))
    bounds.append(min(right))
    return bounds


def columns_from_gaps(labels: Sequence[tuple[float, float]], body: Sequence[TextLine]) -> Bounds:
    """Boundaries of an unruled table: between two labels, the middle of an x-range that the fewest
    body chars cover (a stray line across the table counts once). Amounts are right-aligned and text
    left-aligned in their cells, so each column's content keeps clear of its neighbour's. Before a
    text column (绩效目标, 绩效指标) that is the first such range wide enough not to be a word
    space: the text's short lines leave wider ranges free inside it. Elsewhere, the widest."""
    chars = [c for line in body for c in line.chars if not c["text"].isspace()]
    xs, counts = _coverage(chars)
    sizes = sorted(c["size"] for c in chars)
    min_width = WORD_SPACE * (sizes[len(sizes) // 2] if sizes else 0.0)
    inner = [_clearest(xs, counts, left_end, right_start, min_width if column + 1 in TEXT_COLUMNS else None)
             for column, ((_, left_end), (right_start, _)) in enumerate(pairwise(labels))]
    return [float("-inf"), *inner, float("inf")]


def _coverage(chars: Sequence[Char]) -> tuple[list[float], list[int]]:
    """xs left to right, and how many chars cover the x-range from each x to the next."""
    events = sorted([(c["x0"], 1) for c in chars] + [(c["x1"], -1) for c in chars])
    xs, counts = [float("-inf")], [0]
    for x, step in events:
        if x == xs[-1]:
            counts[-1] += step
        else:
            xs.append(x)
            counts.append(counts[-1] + step)
    return xs, counts


def _clearest(xs: Sequence[float], counts: Sequence[int], lo: float, hi: float,
              leftmost_width: float | None = None) -> float:
    """The middle of the least covered range in lo..hi: the first at least `leftmost_width` wide if
    that is given and there is one, else the widest."""
    if hi <= lo:
        return (lo + hi) / 2
    ranges: list[list[float]] = []  # [left, right, count], neighbours of equal count merged
    for i in range(max(bisect_right(xs, lo) - 1, 0), len(xs)):
        if xs[i] >= hi:
            break
        left, right = max(xs[i], lo), min(xs[i + 1] if i + 1 < len(xs) else hi, hi)
        if right <= left:
            continue
        if ranges and ranges[-1][2] == counts[i] and ranges[-1][1] == left:
            ranges[-1][1] = right
        else:
            ranges.append([left, right, counts[i]])
    if not ranges:
        return (lo + hi) / 2
    fewest = min(r[2] for r in ranges)
    clear = [r for r in ranges if r[2] == fewest]
    wide = [r for r in clear if leftmost_width is not None and r[1] - r[0] >= leftmost_width]
    chosen = wide[0] if wide else max(clear, key=lambda r: r[1] - r[0])
    return (chosen[0] + chosen[1]) / 2


def column_of(x: float, inner_bounds: Sequence[float]) -> int:
    """The column a char centred at `x` falls in, given the bounds without the outer two."""
    return bisect_right(inner_bounds, x)


def split_line(line: TextLine, bounds: Bounds) -> list[list[Char]]:
    """The line's chars by column: each char goes to the column its centre falls in, except a char
    at a boundary that runs on from its neighbour across it (punctuation hung past its cell's edge,
    as CJK line breaking does with 、。）, or an amount too wide for its cell): it stays with that
    neighbour."""
    inner = bounds[1:-1]
    chars = line.chars
    columns = [bisect_right(inner, (c["x0"] + c["x1"]) / 2) for c in chars]
    for i in range(1, len(chars)):
        if columns[i] != columns[i - 1]:
            _settle(chars, columns, inner, i - 1)  # the last char before a boundary may run on across it
            _settle(chars, columns, inner, i)  # the first char after it may have run on from before it
    cells: list[list[Char]] = [[] for _ in range(COLUMN_COUNT)]
    for char, column in zip(chars, columns, strict=True):
        cells[column].append(char)
    return cells


def _settle(chars: Sequence[Char], columns: list[int], inner: Sequence[float], i: int) -> None:
    """Move chars[i] to its neighbour's column if it belongs with it across a boundary."""
    char, column = chars[i], columns[i]
    after_left = i > 0 and columns[i - 1] == column - 1 and _touch(chars[i - 1], char)
    before_right = i + 1 < len(chars) and _touch(char, chars[i + 1])
    hung_after_hung = char["text"] in CLOSERS and chars[i - 1]["text"] in HANGING  # 。” both hung
    if after_left and (char["x0"] < inner[column - 1] or hung_after_hung) and (
            char["text"] in HANGING or not before_right):
        columns[i] = column - 1
    elif before_right and char["text"] not in HANGING and column < len(inner) and char["x1"] > inner[column] \
            and columns[i + 1] == column + 1:
        columns[i] = column + 1


def _touch(left: Char, right: Char) -> bool:
    return right["x0"] - left["x1"] < TOUCH * right["size"]
