"""The layouts a document can be in, tried in order: the first whose `sniff` accepts the file reads it.

Adding a layout is one new module exposing a `LAYOUT` and one entry in `LAYOUTS`.
"""

from __future__ import annotations

from extract.layouts.base import Layout
from extract.layouts.pdf.reader import LAYOUT as PDF
from extract.layouts.text.tabbed import LAYOUT as TEXT_TABBED
from extract.layouts.text.wrapped import LAYOUT as TEXT_WRAPPED

# The wrapped text export last: it accepts anything, and reports what it cannot read.
LAYOUTS: tuple[Layout, ...] = (PDF, TEXT_TABBED, TEXT_WRAPPED)


def layout_for(name: str, data: bytes) -> Layout:
    return next(layout for layout in LAYOUTS if layout.sniff(name, data))


__all__ = ["LAYOUTS", "Layout", "layout_for"]
