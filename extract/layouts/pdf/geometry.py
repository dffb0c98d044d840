"""Pure functions on one PDF page's chars: lines and their text.

Nothing here opens a PDF: chars are pdfplumber's dicts (``x0``, ``x1``, ``top``, ``bottom``,
``text``, ``size`` …), so every step can be tested on hand-made inputs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from extract.layouts.pdf.settings import DEFAULT_LINE_TOLERANCE, DEFAULT_SPACE_GAP

Char = dict[str, Any]
Edge = dict[str, Any]
TOP_X0 = itemgetter("top", "x0")
X0 = itemgetter("x0")

PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|[-—–]?\s*\d{1,4}\s*[-—–]?|\d+\s*[/／]\s*\d+)$")
# A footer line that ends with its page number, as a browser prints one: the page's address, 1/5.
FOOTER = re.compile(r"\s(?:第\s*\d+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?|[-—–]\s*\d{1,4}\s*[-—–]|\d+\s*[/／]\s*\d+)$")


@dataclass
class TextLine:
    """Chars sharing a baseline, left to right."""

    top: float
    bottom: float
    chars: list[Char]
    _size: float | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return chars_to_text(self.chars)

    @property
    def compact(self) -> str:
        return compact_text(self.chars)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def size(self) -> float:
        if self._size is None:
            self._size = max(c["size"] for c in self.chars)
        return self._size

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)


def chars_to_lines(chars: Sequence[Char], tolerance: float = DEFAULT_LINE_TOLERANCE) -> list[TextLine]:
    """Chars grouped into lines top to bottom: a char starts a new line when its top is more than
    `tolerance` below the top of the line's first char."""
    lines: list[TextLine] = []
    for char in sorted(chars, key=TOP_X0):
        if lines and char["top"] - lines[-1].top <= tolerance:
            line = lines[-1]
            line.chars.append(char)
            if char["bottom"] > line.bottom:
                line.bottom = char["bottom"]
        else:
            lines.append(TextLine(char["top"], char["bottom"], [char]))
    for line in lines:
        line.chars.sort(key=X0)
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


def compact_text(chars: Sequence[Char]) -> str:
    """The chars' text without any whitespace."""
    return "".join(c["text"] for c in chars if not c["text"].isspace())


def is_page_number(line: TextLine, previous: TextLine | None) -> bool:
    """The page number, alone or ending a footer line, set apart below the table."""
    gap = line.top - previous.bottom if previous is not None else float("inf")
    text = line.text.strip()
    return gap > line.size and bool(PAGE_NUMBER.match(text) or FOOTER.search(text))
