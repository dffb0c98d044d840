"""Test fixture: draw a sample document as the departments publish it, as a PDF, beside its truth.

The truth comes from the text export (``extract.extract_path``). The wrapped exports do not say
which funding column an amount is in, so each project's components are dealt to columns by a
stable rule (a hash of its name picks one of the column combinations, in column order); a unit
row then prints its projects' column sums beside its printed total, and the 合计 row its units'
(explicit columns, as in the tab-separated 001, are kept). The PDF prints the amounts there and
the truth records them there. The indicator cell is rebuilt from each
indicator's ``source_text`` so it parses back to the same fields.

Variants: an embedded TrueType CJK font, the non-embedded CID font STSong-Light (its table ruled
cell by cell), no ruling lines,
fake bold (every string drawn twice, a hair apart), and portrait pages turned landscape by
/Rotate. PDFs are cached in ``tests/.cache/``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from extract import extract_path
from extract.model import Amounts

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "data" / "sample").glob("*.txt"))
CACHE = Path(__file__).resolve().parent / ".cache"
TRUETYPE_FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)

FUNDING = ("fiscal", "special_account", "other")
AMOUNT_KEYS = ("total", *FUNDING)
COLUMN_TITLES = ("项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")
COLUMN_WIDTHS = (130.0, 60.0, 60.0, 64.0, 60.0, 178.0, 218.0)
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 36.0
FONT_SIZE = 8.0
LEADING = 11.0
PAD = 3.0
INDENT = 2 * FONT_SIZE
BOLD_OFFSET = 0.3
TABLE_TOP = PAGE_HEIGHT - 92.0
TABLE_BOTTOM = 48.0


@dataclass(frozen=True)
class Variant:
    font: str = "truetype"  # "truetype" (embedded) or "cid" (STSong-Light, not embedded)
    ruled: bool = True
    cell_borders: bool = False  # each cell ruled as its own rectangle instead of table-wide lines
    fake_bold: bool = False
    rotated: bool = False  # portrait pages shown landscape by /Rotate 90, content turned to match
    repeat_header: bool = True  # title, header line and column header on every page, or on the first only
    neighbours: bool = False  # other budget tables on a page before and a page after, as in a whole 部门预算
    repeat: int = 1  # the units drawn this many times over (long documents for the benchmark)

    @property
    def key(self) -> str:
        return f"{self.font}{'' if self.ruled else '-unruled'}{'-cells' if self.cell_borders else ''}" + (
            f"{'-bold' if self.fake_bold else ''}{'' if self.repeat_header else '-header-once'}"
            f"{'-in-budget' if self.neighbours else ''}") + (
            f"{'-rotated' if self.rotated else ''}{f'-x{self.repeat}' if self.repeat > 1 else ''}")


VARIANTS = {
    "truetype": Variant(),
    "cid": Variant(font="cid", cell_borders=True),
    "unruled": Variant(ruled=False),
    "fake_bold": Variant(fake_bold=True),
    "rotated": Variant(rotated=True),
    "in_budget": Variant(repeat_header=False, neighbours=True),
    "header_once_unruled": Variant(ruled=False, repeat_header=False, neighbours=True),
}
# Tables a whole department budget prints around the performance table: title, columns, rows.
BEFORE = ("部门收支总表", ("收入项目", "本年预算", "支出项目", "本年预算"),
          [("一、一般公共预算拨款", "4,189.07", "教育支出", "9,830.12"), ("二、财政专户拨款", "6,850.56", "科学技术支出", "1,639.16")])
AFTER = ("政府采购预算表", ("采购项目", "采购品目", "数量", "采购金额", "备注"),
         [("信息化运维服务", "信息技术服务", "1", "372.65", ""), ("物业管理服务", "物业管理服务", "1", "130.67", "")])


# ---- truth ---------------------------------------------------------------------------------------

def document_truth(text_path: Path) -> dict[str, Any]:
    """Units, projects (amounts by column), goals and indicators of a sample, as JSON-ready data."""
    doc = extract_path(text_path)
    units = []
    for unit in doc.units:
        projects = [
            {
                "name": p.name,
                "amounts": _by_column(p.name, p.amounts, p.components, p.attribution),
                "goal": p.goal,
                "indicators": [_indicator(i) for i in p.indicators],
            }
            for p in unit.projects
        ]
        if unit.attribution == "explicit" or not projects:
            amounts = _by_column(unit.name, unit.amounts, unit.components, unit.attribution)
        else:
            amounts = {"total": _text(unit.amounts.total), **_column_sums(projects)}
        units.append({"name": unit.name, "amounts": amounts, "projects": projects})
    return {
        "document": text_path.name,
        "title": doc.title,
        "header_label": doc.header_label,
        "header_name": doc.header_name,
        "currency_unit": doc.currency_unit,
        "department_total": _department_total(doc.department_total, units),
        "units": units,
    }


def _by_column(name: str, amounts: Amounts, components: list[Decimal], attribution: str) -> dict[str, str | None]:
    out: dict[str, str | None] = {"total": _text(amounts.total), **{c: None for c in FUNDING}}
    if attribution == "explicit":
        out.update({c: _text(getattr(amounts, c)) for c in FUNDING})
        return out
    combos = list(itertools.combinations(FUNDING, len(components)))
    chosen = combos[int(hashlib.sha256(name.encode()).hexdigest(), 16) % len(combos)]
    out.update({column: _text(value) for column, value in zip(chosen, components, strict=True)})
    return out


def _department_total(total: Amounts | None, units: list[dict[str, Any]]) -> dict[str, str | None] | None:
    """The 合计 row: its total as printed, its columns the units' column sums."""
    if total is None:
        return None
    return {"total": _text(total.total), **_column_sums(units)}


def _column_sums(rows: list[dict[str, Any]]) -> dict[str, str | None]:
    """Per funding column, the sum of the rows' amounts in it (None where no row has one)."""
    out: dict[str, str | None] = {}
    for column in FUNDING:
        values = [Decimal(r["amounts"][column]) for r in rows if r["amounts"][column] is not None]
        out[column] = _text(sum(values, Decimal(0))) if values else None
    return out


def _indicator(indicator: Any) -> dict[str, Any]:
    keys = ("seq", "level1_code", "level1", "level2_code", "level2", "name", "period_value", "annual_value")
    return {k: getattr(indicator, k) for k in keys} | {"source_text": indicator.source_text}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


# ---- rendering -----------------------------------------------------------------------------------

@dataclass
class _Row:
    cells: list[list[str]]  # wrapped lines per column
    indent: bool


def font_name(variant: Variant) -> str:
    if variant.font == "cid":
        if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    if "CJKTrueType" not in pdfmetrics.getRegisteredFontNames():
        path = next((p for p in TRUETYPE_FONT_FILES if p.exists()), None)
        if path is None:
            raise FileNotFoundError("no CJK TrueType font: run `make setup` (installs fonts-wqy-zenhei)")
        pdfmetrics.registerFont(TTFont("CJKTrueType", str(path), subfontIndex=0))
    return "CJKTrueType"


def render_pdf(truth: dict[str, Any], path: Path, variant: Variant) -> int:
    """Draw `truth` as a PDF at `path`; returns the page count."""
    font = font_name(variant)
    canvas = Canvas(str(path), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    canvas.setTitle(truth["title"] or "")
    page = _Page(canvas, font, variant, truth)
    if variant.neighbours:
        page.other_table(*BEFORE)
    page.start()
    for row in _rows(truth, font):
        page.draw_row(row)
    page.finish()
    if variant.neighbours:
        canvas.showPage()
        page.other_table(*AFTER)
    canvas.save()
    if variant.rotated:
        _turn_pages(path)
    return page.number


def _turn_pages(path: Path) -> None:
    """Portrait media boxes with /Rotate 90 and the content turned a quarter back: looks the same."""
    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        page.add_transformation(Transformation().rotate(90).translate(PAGE_HEIGHT, 0))
        page.mediabox = RectangleObject([0, 0, PAGE_HEIGHT, PAGE_WIDTH])
        page.rotation = 90
    with path.open("wb") as handle:
        writer.write(handle)


def _rows(truth: dict[str, Any], font: str) -> list[_Row]:
    rows = []
    if truth["department_total"] is not None:
        rows.append(_row("合计", truth["department_total"], "", "", font, indent=False))
    for unit in truth["units"]:
        rows.append(_row(unit["name"], unit["amounts"], "", "", font, indent=False))
        for p in unit["projects"]:
            indicators = "".join(i["source_text"] for i in p["indicators"])
            rows.append(_row(p["name"], p["amounts"], p["goal"], indicators, font, indent=True))
    return rows


def _row(name: str, amounts: dict[str, str | None], goal: str, indicators: str, font: str, indent: bool) -> _Row:
    widths = [w - 2 * PAD for w in COLUMN_WIDTHS]
    cells = [wrap(name, widths[0] - (INDENT if indent else 0), font)]
    cells += [[_amount(amounts[k])] if amounts[k] is not None else [] for k in AMOUNT_KEYS]
    cells += [wrap(goal, widths[5], font), wrap(indicators, widths[6], font)]
    return _Row(cells, indent)


def _amount(text: str | None) -> str:
    return f"{Decimal(text or 0):,.2f}"


# A line may break between any two visible characters, but never next to a space: the reader trims
# each wrapped line, so a space at a line edge would be lost.
_ATOM = re.compile(r"\S(?:\s+\S)*")


def wrap(text: str, width: float, font: str) -> list[str]:
    lines: list[str] = []
    current, used = "", 0.0
    for atom in _ATOM.findall(text):
        atom_width = pdfmetrics.stringWidth(atom, font, FONT_SIZE)
        if current and used + atom_width > width:
            lines.append(current)
            current, used = "", 0.0
        current += atom
        used += atom_width
    if current:
        lines.append(current)
    return lines


class _Page:
    """The current page: furniture, column header, rows drawn top-down, ruling when finished."""

    def __init__(self, canvas: Canvas, font: str, variant: Variant, truth: dict[str, Any]) -> None:
        self.canvas, self.font, self.variant, self.truth = canvas, font, variant, truth
        self.number = self.first_table_page = 0
        self.xs = list(itertools.accumulate(COLUMN_WIDTHS, initial=MARGIN))

    def start(self) -> None:
        self.number += 1
        self.first_table_page = self.first_table_page or self.number
        if not self.variant.repeat_header and self.number > self.first_table_page:
            self.row_edges = [TABLE_TOP + 40]
            self.y = TABLE_TOP + 40
            return
        title = self.truth["title"] or ""
        self._text(title, PAGE_WIDTH / 2, PAGE_HEIGHT - 50, size=15, align="center")
        label = f"{self.truth['header_label']}：{self.truth['header_name']}"
        self._text(label, MARGIN, PAGE_HEIGHT - 78, size=9)
        self._text(f"单位：{self.truth['currency_unit']}", self.xs[-1], PAGE_HEIGHT - 78, size=9, align="right")
        header_bottom = TABLE_TOP - LEADING - 2 * PAD
        for title_text, left, right in zip(COLUMN_TITLES, self.xs, self.xs[1:], strict=False):
            self._text(title_text, (left + right) / 2, TABLE_TOP - PAD - FONT_SIZE, align="center")
        self.row_edges = [TABLE_TOP, header_bottom]
        self.y = header_bottom

    def draw_row(self, row: _Row) -> None:
        height = max((len(c) for c in row.cells), default=0) or 1
        offset = 0
        while offset < height:
            room = int((self.y - TABLE_BOTTOM - 2 * PAD) // LEADING)
            needed = max(len(row.cells[0]), 1) if offset == 0 else 1
            if room < needed:
                self._next_page()
                continue
            take = min(room, height - offset)
            for column, lines in enumerate(row.cells):
                for i, line in enumerate(lines[offset : offset + take]):
                    self._cell_line(column, line, self.y - PAD - FONT_SIZE - i * LEADING, row.indent)
            self.y -= take * LEADING + 2 * PAD
            self.row_edges.append(self.y)
            offset += take

    def _cell_line(self, column: int, text: str, baseline: float, indent: bool) -> None:
        left, right = self.xs[column], self.xs[column + 1]
        if 1 <= column <= 4:
            self._text(text, right - PAD, baseline, align="right")
        else:
            self._text(text, left + PAD + (INDENT if indent and column == 0 else 0), baseline)

    def _text(self, text: str, x: float, y: float, size: float = FONT_SIZE, align: str = "left") -> None:
        self.canvas.setFont(self.font, size)
        draw = {"left": self.canvas.drawString, "right": self.canvas.drawRightString,
                "center": self.canvas.drawCentredString}[align]
        draw(x, y, text)
        if self.variant.fake_bold:
            draw(x + BOLD_OFFSET, y, text)

    def _next_page(self) -> None:
        self.finish()
        self.canvas.showPage()
        self.start()

    def other_table(self, title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        """A page of another budget table, with its own title and grid; the page is then shown."""
        self.number += 1
        self._text(title, PAGE_WIDTH / 2, PAGE_HEIGHT - 50, size=15, align="center")
        self._text(f"{self.truth['header_label']}：{self.truth['header_name']}", MARGIN, PAGE_HEIGHT - 78, size=9)
        width = (PAGE_WIDTH - 2 * MARGIN) / len(columns)
        xs = [MARGIN + i * width for i in range(len(columns) + 1)]
        ys = [TABLE_TOP - i * (LEADING + 2 * PAD) for i in range(len(rows) + 2)]
        for y, cells in zip(ys, [columns, *rows], strict=False):
            for x, cell in zip(xs, cells, strict=False):
                self._text(cell, x + PAD, y - PAD - FONT_SIZE)
        if self.variant.ruled:
            self.canvas.setLineWidth(0.5)
            for y in ys:
                self.canvas.line(xs[0], y, xs[-1], y)
            for x in xs:
                self.canvas.line(x, ys[0], x, ys[-1])
        self._text(f"第 {self.number} 页", PAGE_WIDTH / 2, 24, size=9, align="center")
        self.canvas.showPage()

    def finish(self) -> None:
        self.canvas.setLineWidth(0.5)
        if self.variant.ruled and self.variant.cell_borders:
            for top, bottom in zip(self.row_edges, self.row_edges[1:], strict=False):
                for left, right in zip(self.xs, self.xs[1:], strict=False):
                    self.canvas.rect(left, bottom, right - left, top - bottom)
        elif self.variant.ruled:
            for y in self.row_edges:
                self.canvas.line(self.xs[0], y, self.xs[-1], y)
            for x in self.xs:
                self.canvas.line(x, TABLE_TOP, x, self.row_edges[-1])
        self._text(f"第 {self.number} 页", PAGE_WIDTH / 2, 24, size=9, align="center")


# ---- cache ---------------------------------------------------------------------------------------

def rendered(sample: Path, variant: Variant) -> tuple[Path, dict[str, Any]]:
    """The PDF of `sample` in `variant` and its truth, rendered once and kept in tests/.cache/."""
    source = Path(__file__).read_bytes() + sample.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:12]
    CACHE.mkdir(exist_ok=True)
    pdf = CACHE / f"{sample.stem}.{variant.key}.{digest}.pdf"
    truth_file = pdf.with_suffix(".truth.json")
    if not (pdf.exists() and truth_file.exists()):
        truth = document_truth(sample)
        if variant.repeat > 1:
            truth["units"] = truth["units"] * variant.repeat
            truth["department_total"] = None
        # Written under private names, then renamed: concurrent test processes never see half a file.
        partial = pdf.with_suffix(f".{os.getpid()}.partial")
        render_pdf(truth, partial, variant)
        partial_truth = truth_file.with_suffix(f".{os.getpid()}.partial")
        partial_truth.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
        partial_truth.replace(truth_file)
        partial.replace(pdf)
    return pdf, json.loads(truth_file.read_text(encoding="utf-8"))

