"""office: the table as a spreadsheet (openpyxl), printed to PDF by LibreOffice Calc, headless.

As a budget system's export looks: a merged title row, the 单位名称 line, the column header, one
row per 合计/unit/project with project names indented, wrapped text, amounts as numbers formatted
#,##0.00 (as text where the columns are narrow: a number that does not fit prints as ###, text
wraps), a page footer 第 N 页，共 M 页, the sheet fitted to the page width.

Calc never splits a row over pages and clips a row taller than the page, so every row height is
computed from its text (generously: clipped text would make the truth unreadable) and the text
columns are widened, and the sheet shrunk to fit, until the tallest row fits on a page.
"""

from __future__ import annotations

import atexit
import math
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break

from tests.pdf_render import COLUMN_TITLES
from tests.producers.layout import MARGIN, Layout, Row, estimated_width, header_line, rows
from tests.producers.process import run

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PT_PER_WIDTH_UNIT = 7.0  # a column 1 unit wide in the .xlsx prints 7 pt wide (measured on Calc 7.4)
CELL_PAD = 6.0  # pt of a cell's width its text cannot use
INCH = 72.0
TOP_BOTTOM_MARGIN = 0.6  # inches; the footer sits in the bottom margin
FOOTER = "第 &P 页，共 &N 页"
TITLE_SIZE = 15
PAPER_SIZES = {"A4": 9, "A3": 8}  # openpyxl / Excel paperSize codes
BORDERS = {"grid": "thin", "cells": "medium"}
VALIGN = {"top": "top", "center": "center", "bottom": "bottom"}
PROJECTS_PER_FORCED_PAGE = 5
TEXT_COLUMNS = (0, 5, 6)
SECONDS_PER_FILE = 30


def render(truth: dict[str, Any], layout: Layout, path: Path) -> None:
    render_many([(truth, layout, path)])


def render_many(jobs: list[tuple[dict[str, Any], Layout, Path]]) -> None:
    """Write each job's .xlsx, convert them in a few soffice calls (one per core, each with its own
    profile: start-up is most of the time), move each PDF to its path."""
    if not SOFFICE:
        raise FileNotFoundError("soffice not found: install Debian's libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory(prefix="office_producer_") as tmp:
        workdir = Path(tmp)
        sheets = []
        for index, (truth, layout, _) in enumerate(jobs):
            sheet = workdir / f"job{index}.xlsx"
            write_xlsx(truth, layout, sheet)
            sheets.append(sheet)
        workers = max(1, min(os.cpu_count() or 1, len(sheets)))
        chunks = [sheets[i::workers] for i in range(workers)]
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(_convert, chunks, range(workers)))
        for sheet, (_, layout, path) in zip(sheets, jobs, strict=True):
            pdf = sheet.with_suffix(".pdf")
            if not pdf.exists():
                raise RuntimeError(f"soffice did not convert {sheet.name} ({layout.key})")
            shutil.move(pdf, path)


_PROFILES: dict[int, Path] = {}


def _convert(sheets: list[Path], worker: int) -> None:
    profile = _PROFILES.get(worker)
    if profile is None:
        profile = _PROFILES[worker] = Path(tempfile.mkdtemp(prefix=f"lo_profile_{os.getpid()}_{worker}_"))
        atexit.register(shutil.rmtree, profile, True)
    command = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(sheets[0].parent), *map(str, sheets)]
    done = run(command, timeout=60 + SECONDS_PER_FILE * len(sheets))
    if done.returncode != 0:
        raise RuntimeError(f"soffice failed ({done.returncode}): {done.stderr[-2000:]}")


# ---- the workbook --------------------------------------------------------------------------------

def write_xlsx(truth: dict[str, Any], layout: Layout, path: Path) -> None:
    table = rows(truth)
    size, font = layout.font_size, layout.font_face.family
    widths, heights = _fitted(table, layout)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目支出绩效目标表"
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width / PT_PER_WIDTH_UNIT

    sheet.append([truth["title"]])
    sheet.merge_cells("A1:G1")
    sheet["A1"].font = Font(name=font, size=TITLE_SIZE)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = TITLE_SIZE * 2
    label, currency = header_line(truth)
    sheet.append([label, None, None, None, None, None, currency])
    sheet.merge_cells("A2:E2")
    for cell, horizontal in (("A2", "left"), ("G2", "right")):
        sheet[cell].font = Font(name=font, size=9)
        sheet[cell].alignment = Alignment(horizontal=horizontal, vertical="bottom")
    sheet.row_dimensions[2].height = 20

    sheet.append(list(COLUMN_TITLES))
    for cell in sheet[3]:
        cell.font = Font(name=font, size=size)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[3].height = heights[0]

    as_text = layout.widths == "narrow"
    projects = 0
    for row, height in zip(table, heights[1:], strict=True):
        amounts: list[Any] = [a if as_text or not a else float(Decimal(a.replace(",", ""))) for a in row.amounts]
        sheet.append([row.name, *amounts, row.goal, "\n".join(row.indicators)])
        number = sheet.max_row
        sheet.row_dimensions[number].height = height
        for column, cell in enumerate(sheet[number]):
            cell.font = Font(name=font, size=size)
            horizontal = "right" if 1 <= column <= 4 else "left"
            indent = 2 if column == 0 and row.kind == "project" else 0
            cell.alignment = Alignment(horizontal=horizontal, vertical=VALIGN[layout.valign], wrap_text=True,
                                       indent=indent)
            if 1 <= column <= 4 and not as_text:
                cell.number_format = "#,##0.00"
        projects += row.kind == "project"
        if layout.manual_breaks and row.kind == "project" and projects % PROJECTS_PER_FORCED_PAGE == 0:
            sheet.row_breaks.append(Break(id=number))

    if layout.rulings in BORDERS:
        side = Side(style=BORDERS[layout.rulings])
        for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row, max_col=7):
            for cell in line:
                cell.border = Border(left=side, right=side, top=side, bottom=side)
    _page_setup(sheet, layout)
    workbook.save(path)


def _page_setup(sheet: Any, layout: Layout) -> None:
    if layout.repeat_header:
        sheet.print_title_rows = "3:3"
    sheet.page_setup.paperSize = PAPER_SIZES[layout.paper]
    sheet.page_setup.orientation = layout.orientation
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    side = MARGIN / INCH
    sheet.page_margins = PageMargins(left=side, right=side, top=TOP_BOTTOM_MARGIN, bottom=TOP_BOTTOM_MARGIN,
                                     header=0.3, footer=0.3)
    sheet.oddFooter.center.text = FOOTER
    sheet.oddFooter.center.size = 9
    sheet.oddFooter.center.font = layout.font_face.family


def _fitted(table: list[Row], layout: Layout) -> tuple[list[float], list[float]]:
    """Column widths and row heights (header row first), in pt before Calc's fit-to-width scaling,
    such that the tallest row fits on a page once scaled."""
    page_width, page_height = layout.page_size
    usable_width = page_width - 2 * MARGIN
    widths = list(layout.column_widths())
    while True:
        header = _height(list(COLUMN_TITLES), widths, layout)
        heights = [header] + [_height([r.name, *r.amounts, r.goal, "\n".join(r.indicators)], widths, layout,
                                      indent=r.kind == "project") for r in table]
        scale = min(1.0, usable_width / sum(widths))
        room = page_height - 2 * TOP_BOTTOM_MARGIN * INCH - (header if layout.repeat_header else 0) * scale
        if max(heights) * scale <= 0.85 * room:
            return widths, heights
        widths = [w * 1.2 if i in TEXT_COLUMNS else w for i, w in enumerate(widths)]


def _height(cells: list[str], widths: list[float], layout: Layout, indent: bool = False) -> float:
    size = layout.font_size
    lines = 1
    for column, (text, width) in enumerate(zip(cells, widths, strict=True)):
        room = width - CELL_PAD - (2 * size if indent and column == 0 else 0)
        count = sum(max(1, math.ceil(1.1 * estimated_width(part, size) / room)) for part in text.split("\n"))
        lines = max(lines, count)
    return lines * size * layout.font_face.line_height + 6
