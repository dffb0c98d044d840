"""How the PDF reader reads a table: one validated, frozen set of tolerances, as pdfplumber's
`TableSettings`. Distances are in points (pt) or in font sizes of the text concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

DEFAULT_LINE_TOLERANCE = 3.0  # pt: chars of one column whose tops differ by less are on one line
DEFAULT_DEDUPE_TOLERANCE = 1.0  # pt: a same char this close is a fake-bold copy (as pdfplumber)
DEFAULT_SPACE_GAP = 0.4  # font sizes: a wider gap between two chars of a line reads as a space
DEFAULT_RULING_TOLERANCE = 1.0  # pt: rulings this close are one (a thin filled rectangle's sides)
DEFAULT_HEADER_REACH = 3  # lines above and below a header line that a wrapped label may take
DEFAULT_ROW_GAP = 0.25  # font sizes beyond a cell's usual line gap that part two unruled rows
DEFAULT_MIN_ROW_GAP = 1.0  # pt: … and never less than this
DEFAULT_INDENT = 0.5  # font sizes of extra left offset that make a name a project name
DEFAULT_UNMAPPED_SHARE = 0.05  # more (cid:NNN) glyphs than this share and a page is unreadable

NON_NEGATIVE = ("space_gap", "row_gap", "min_row_gap", "indent")
POSITIVE = ("line_tolerance", "dedupe_tolerance", "ruling_tolerance")


@dataclass(frozen=True)
class ReaderSettings:
    line_tolerance: float = DEFAULT_LINE_TOLERANCE
    dedupe_tolerance: float = DEFAULT_DEDUPE_TOLERANCE
    space_gap: float = DEFAULT_SPACE_GAP
    ruling_tolerance: float = DEFAULT_RULING_TOLERANCE
    header_reach: int = DEFAULT_HEADER_REACH
    row_gap: float = DEFAULT_ROW_GAP
    min_row_gap: float = DEFAULT_MIN_ROW_GAP
    indent: float = DEFAULT_INDENT
    unmapped_share: float = DEFAULT_UNMAPPED_SHARE

    def __post_init__(self) -> None:
        for name in NON_NEGATIVE:
            if getattr(self, name) < 0:
                raise ValueError(f"ReaderSettings.{name} cannot be negative")
        for name in POSITIVE:
            if getattr(self, name) <= 0:
                raise ValueError(f"ReaderSettings.{name} must be positive")
        if not isinstance(self.header_reach, int) or self.header_reach < 0:
            raise ValueError("ReaderSettings.header_reach must be a whole number of lines, 0 or more")
        if not 0 <= self.unmapped_share <= 1:
            raise ValueError("ReaderSettings.unmapped_share is a share, between 0 and 1")

    @classmethod
    def resolve(cls, settings: ReaderSettings | dict[str, Any] | None) -> ReaderSettings:
        """Settings from None (the defaults), a dict of some of them, or settings as they are."""
        if settings is None:
            return DEFAULT_SETTINGS
        if isinstance(settings, cls):
            return settings
        if isinstance(settings, dict):
            known = {f.name for f in fields(cls)}
            unknown = sorted(set(settings) - known)
            if unknown:
                raise ValueError(f"unknown ReaderSettings: {', '.join(unknown)}")
            return cls(**settings)
        raise ValueError(f"cannot resolve reader settings from {settings!r}")


DEFAULT_SETTINGS = ReaderSettings()
