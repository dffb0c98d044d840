"""reportlab: the table as reportlab's platypus lays it out (`LongTable` of `Paragraph` cells).

A different code path from ``tests/pdf_render.py``, which places every line on a canvas itself:
platypus sizes each row to its tallest cell, aligns cells vertically, wraps the header labels inside
their columns and repeats the header row on each page (``repeatRows``). Body cells are wrapped here,
anywhere but next to a space (platypus drops the space it breaks at, which no reader could restore),
and handed over as lines. The page number is printed as ``- N -``. Font: wqy-zenhei embedded, whatever the layout asks
(reportlab cannot embed Noto's CFF outlines).

Rows move whole to the next page (``splitInRow=0``): reportlab 5.1's in-row split repeats the header
row once per split (up to 15 headers on a page) and pushes a centred cell that lands wholly in the
lower part of a split row up out of its row. A row taller than a page is printed as a row and
continuation rows (name and amount cells empty), its goal and indicator text cut between them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tests.pdf_render import COLUMN_TITLES
from tests.producers.layout import FONTS, MARGIN, Layout, header_line, rows

FONT = "ProducerWQY"
VALIGN = {"top": "TOP", "center": "MIDDLE", "bottom": "BOTTOM"}
PAD = 3.0


def font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = FONTS["wqy"].path
        if not path.exists():
            raise FileNotFoundError(f"{path} missing: install Debian's fonts-wqy-zenhei")
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


def render(truth: dict[str, Any], layout: Layout, path: Path) -> None:
    size = layout.font_size

    def style(align: int = TA_LEFT, indent: float = 0.0, font_size: float = size) -> ParagraphStyle:
        return ParagraphStyle("cell", fontName=font(), fontSize=font_size, leading=font_size * 1.25,
                              alignment=align, leftIndent=indent, wordWrap="CJK")

    label, currency = header_line(truth)
    widths = layout.column_widths()
    header = [Paragraph(escape(t), style(TA_CENTER)) for t in COLUMN_TITLES]
    data = [header]
    room = layout.page_size[1] - 2 * MARGIN - _height(header, widths) - 2 * size
    per_row = int((room - 4) // (size * 1.25))  # cell lines that fit in a row on a page

    def cell(lines: list[str], align: int = TA_LEFT, indent: float = 0.0) -> Paragraph:
        return Paragraph("<br/>".join(map(escape, lines)), style(align, indent))

    for row in rows(truth):
        indent = 2 * size if row.kind == "project" else 0.0
        name = wrap(row.name, widths[0] - 2 * PAD - indent, size)
        amounts = [wrap(a, w - 2 * PAD, size) for a, w in zip(row.amounts, widths[1:5], strict=True)]
        goal, indicators = wrap(row.goal, widths[5] - 2 * PAD, size), wrap("".join(row.indicators),
                                                                            widths[6] - 2 * PAD, size)
        first = True
        while first or goal or indicators:
            data.append([cell(name if first else [], indent=indent),
                         *(cell(a if first else [], TA_RIGHT) for a in amounts),
                         cell(goal[:per_row]), cell(indicators[:per_row])])
            goal, indicators, first = goal[per_row:], indicators[per_row:], False
    table = LongTable(data, colWidths=widths, repeatRows=1 if layout.repeat_header else 0, splitInRow=0,
                      style=TableStyle(_commands(layout, len(data))))
    line = Table([[Paragraph(escape(label), style(font_size=9)),
                   Paragraph(escape(currency), style(TA_RIGHT, font_size=9))]],
                 colWidths=[sum(widths) / 2] * 2, style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    title = Paragraph(escape(truth["title"] or ""), style(TA_CENTER, font_size=15))
    document = SimpleDocTemplate(str(path), pagesize=layout.page_size, leftMargin=MARGIN, rightMargin=MARGIN,
                                 topMargin=MARGIN, bottomMargin=MARGIN, title=truth["title"] or "", invariant=1)
    document.build([title, Spacer(1, 8), line, Spacer(1, 3), table], onFirstPage=_page_number,
                   onLaterPages=_page_number)


# A line may break between any two visible characters but not next to a space (as tests/pdf_render.py
# wraps): platypus drops the space it breaks at, and then no reader could tell it was there.
_ATOM = re.compile(r"\S(?:\s+\S)*")


def wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    current, used = "", 0.0
    for atom in _ATOM.findall(text):
        atom_width = pdfmetrics.stringWidth(atom, font(), size)
        if current and used + atom_width > width - 1:
            lines.append(current)
            current, used = "", 0.0
        current += atom
        used += atom_width
    return [*lines, current] if current else lines


def _height(cells: list[Paragraph], widths: tuple[float, ...]) -> float:
    return max(p.wrap(w - 2 * PAD, 1e6)[1] for p, w in zip(cells, widths, strict=True)) + 4


def _commands(layout: Layout, count: int) -> list[tuple[Any, ...]]:
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), VALIGN[layout.valign]),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if layout.rulings == "grid":
        commands.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    elif layout.rulings == "cells":
        commands += [("BOX", (c, r), (c, r), 0.5, colors.black) for r in range(count) for c in range(7)]
    return commands


def _page_number(canvas: Any, document: Any) -> None:
    canvas.saveState()
    canvas.setFont(font(), 9)
    canvas.drawCentredString(document.pagesize[0] / 2, MARGIN / 2, f"- {document.page} -")
    canvas.restoreState()


def render_many(jobs: list[tuple[dict[str, Any], Layout, Path]]) -> None:
    for job in jobs:
        render(*job)
