"""pdfplumber's ``dedupe_chars`` rule (drop the copies of a char drawn a hair apart for fake bold),
in linear time.

``pdfplumber.utils.text.dedupe_chars`` (0.11.10) ends with ``sorted(deduped, key=chars.index)``:
``list.index`` is linear, so the whole is quadratic in the page's chars and tripled the reading
time of a table page (no upstream issue found; the line is in pdfplumber/utils/text.py). The rule
is the same here: same text, font, size and uprightness, within `tolerance` in top and x0; the
first drawn is kept and order is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extract.layouts.pdf.settings import DEFAULT_DEDUPE_TOLERANCE

Char = dict[str, Any]


def dedupe_chars(chars: Sequence[Char], tolerance: float = DEFAULT_DEDUPE_TOLERANCE) -> list[Char]:
    """Kept chars sit in a grid of cells twice the tolerance wide, so a copy can only be in 2 × 2 cells."""
    kept: list[Char] = []
    grid: dict[tuple[Any, ...], list[Char]] = {}
    cell = 2 * tolerance
    for char in chars:
        top, x0 = char["top"], char["x0"]
        kind = (char["text"], char["fontname"], char["size"], char["upright"])
        row, col = int(top // cell), int(x0 // cell)
        other_row = row - 1 if top - row * cell < tolerance else row + 1
        other_col = col - 1 if x0 - col * cell < tolerance else col + 1
        copy = False
        for key in ((kind, row, col), (kind, row, other_col), (kind, other_row, col), (kind, other_row, other_col)):
            for other in grid.get(key, ()):
                if abs(other["top"] - top) <= tolerance and abs(other["x0"] - x0) <= tolerance:
                    copy = True
                    break
            if copy:
                break
        if not copy:
            kept.append(char)
            grid.setdefault((kind, row, col), []).append(char)
    return kept
