"""The table's column header on a page: one label per column, each possibly wrapped over several
lines inside its cell (财政专户 / 拨款, 项目名称（资金使 / 用单位）) and centred at its own height.

The header is found from its text alone (ruled or not): a run of consecutive lines around a line
holding a short label, whose chars fall into exactly seven label blocks side by side, each
spelling its column's title top to bottom. Lines above or below that do not belong to it (the
单位名称 line, the first row) break a block's spelling, so the largest run that spells all seven
titles is the header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from extract.layouts.pdf.geometry import Char, TextLine, chars_to_lines, compact_text
from extract.layouts.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

COLUMN_TITLES = ("项目名称", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")
COLUMN_COUNT = len(COLUMN_TITLES)
NAME, TOTAL, FISCAL, SPECIAL, OTHER, GOAL, INDICATORS = range(COLUMN_COUNT)
AMOUNT_COLUMNS = (TOTAL, FISCAL, SPECIAL, OTHER)
# A title, optionally followed by a bracketed note: 项目名称（资金使用单位）.
TITLE_PATTERNS = tuple(re.compile(rf"^{title}(?:[（(][^（()）]*[)）])?$") for title in COLUMN_TITLES)
SEED_MARKS = ("总计", "其他资金", "绩效目标", "绩效指标")  # short labels, the ones that rarely wrap
LINE_PITCH_LIMIT = 2.0  # font sizes between the tops of two consecutive header lines, at most
LABEL_OVERLAP = 0.1  # pt two labels' chars may overlap (glyph boxes touching at a cell border)
MAX_LABEL_LENGTH = 30


@dataclass(frozen=True)
class ColumnHeader:
    first: int  # index of its first line among the page's lines
    last: int  # index of its last line
    top: float
    bottom: float
    labels: tuple[tuple[float, float], ...]  # (x0, x1) of each column's label, left to right

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def find_column_header(lines: Sequence[TextLine], settings: ReaderSettings = DEFAULT_SETTINGS) -> ColumnHeader | None:
    """The first column header among the page's lines (top to bottom), or None."""
    for seed, line in enumerate(lines):
        text = line.compact
        if not any(mark in text for mark in SEED_MARKS):
            continue
        found = _largest_band(lines, seed, settings)
        if found is not None:
            return found
    return None


def _largest_band(lines: Sequence[TextLine], seed: int, settings: ReaderSettings) -> ColumnHeader | None:
    reach = settings.header_reach
    first_limit = seed
    while first_limit > max(seed - reach, 0) and _close(lines[first_limit - 1], lines[first_limit]):
        first_limit -= 1
    last_limit = seed
    while last_limit < min(seed + reach, len(lines) - 1) and _close(lines[last_limit], lines[last_limit + 1]):
        last_limit += 1
    best: ColumnHeader | None = None
    for first in range(first_limit, seed + 1):
        for last in range(last_limit, seed - 1, -1):
            if best is not None and last - first <= best.last - best.first:
                break
            band = lines[first : last + 1]
            labels = label_extents([c for line in band for c in line.chars])
            if labels is not None:
                best = ColumnHeader(first, last, min(x.top for x in band), max(x.bottom for x in band), labels)
    return best


def _close(upper: TextLine, lower: TextLine) -> bool:
    return lower.top - upper.top <= LINE_PITCH_LIMIT * max(upper.size, lower.size)


def label_extents(chars: Sequence[Char]) -> tuple[tuple[float, float], ...] | None:
    """The (x0, x1) of the seven column labels the chars spell, or None if they spell anything else.

    Labels are cut apart where no char overlaps the next horizontally (the cells are side by side,
    however narrow the gap): the first cut after which the chars so far spell the next title.
    """
    visible = sorted((c for c in chars if not c["text"].isspace()), key=lambda c: c["x0"])
    cuts, reach = [], float("-inf")
    for i, char in enumerate(visible):
        if i and char["x0"] >= reach - LABEL_OVERLAP:
            cuts.append(i)
        reach = max(reach, char["x1"])
    cuts.append(len(visible))
    return _spell(visible, cuts, 0, 0)


def _spell(visible: Sequence[Char], cuts: Sequence[int], start: int,
           column: int) -> tuple[tuple[float, float], ...] | None:
    """Extents of labels `column`… spelled by visible[start:], trying each cut that spells the
    title (a title with a bracketed note also spells without it)."""
    if column == COLUMN_COUNT:
        return () if start == len(visible) else None
    title, pattern = COLUMN_TITLES[column], TITLE_PATTERNS[column]
    for end in cuts:
        if end - start < len(title):
            continue
        group = visible[start:end]
        text = "".join(compact_text(line.chars) for line in chars_to_lines(group))
        if pattern.match(text):
            rest = _spell(visible, cuts, end, column + 1)
            if rest is not None:
                return ((min(c["x0"] for c in group), max(c["x1"] for c in group)), *rest)
        elif len(text) > MAX_LABEL_LENGTH or not text.startswith(title[: len(text)][:2]):
            return None
    return None
