"""The cell reader on pages built by hand, each read twice: as hand-made chars and edges (the pure
steps), and drawn into a real PDF with reportlab and read from its bytes (the whole reader).

A page is a list of `Run`s (a string at a place) and ruling segments; the same page spec gives
both readings, so every behaviour and every loud failure is checked on both paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extract.layouts.pdf.reader import pages_to_table, read_pdf
from extract.table import TableRead
from tests.pdf_render import Variant, font_name
from tests.producers.truth import names_its_pages

SIZE = 8.0
XS = [36.0, 166.0, 226.0, 286.0, 350.0, 410.0, 588.0, 806.0]  # column boundaries
PAGE_WIDTH, PAGE_HEIGHT = 842.0, 595.0
PATHS = ("handmade", "pdf")


@dataclass(frozen=True)
class Run:
    text: str
    x: float  # left edge, or right edge when align == "right"
    top: float
    size: float = SIZE
    align: str = "left"


Ruling = tuple[float, float, float, float]  # x0, top, x1, bottom: a line, or a rectangle if both sides differ
Page = tuple[list[Run], list[Ruling]]


def left(text: str, column: int, top: float, indent: float = 0.0) -> Run:
    return Run(text, XS[column] + 3 + indent, top)


def right(text: str, column: int, top: float) -> Run:
    return Run(text, XS[column + 1] - 3, top, align="right")


def width(text: str, size: float = SIZE) -> float:
    return stringWidth(text, font_name(Variant()), size)


def header(top: float = 100.0, wrapped: bool = False) -> list[Run]:
    """The column header, labels centred; `wrapped`: two labels wrap over two lines, the others
    sit centred between them (as a spreadsheet prints a header row with wrap text)."""
    labels = [["项目名称（资金使", "用单位）"] if wrapped else ["项目名称（资金使用单位）"], ["总计"], ["财政拨款"],
              ["财政专户", "拨款"] if wrapped else ["财政专户拨款"], ["其他资金"], ["绩效目标"], ["绩效指标"]]
    runs = []
    for lines, x0, x1 in zip(labels, XS, XS[1:], strict=False):
        first = top + (1 - len(lines)) * 5.5  # lines 11 pt apart, centred on `top`
        runs += [Run(text, (x0 + x1 - width(text)) / 2, first + 11 * i) for i, text in enumerate(lines)]
    return runs


def grid(row_tops: list[float], top: float = 96.0, style: str = "lines") -> list[Ruling]:
    """Table-wide ruling lines; ``bars``: each drawn as a thin filled rectangle (as a browser draws
    collapsed borders); ``cells``: each cell framed by its own rectangle."""
    ys = [top, *row_tops]
    if style == "cells":
        return [(x0, y0, x1, y1) for y0, y1 in zip(ys, ys[1:], strict=False)
                for x0, x1 in zip(XS, XS[1:], strict=False)]
    lines = [(x, top, x, row_tops[-1]) for x in XS] + [(XS[0], y, XS[-1], y) for y in ys]
    if style == "bars":
        return [(x0 - 0.4, y0 - 0.4, x1 + 0.4, y1 + 0.4) for x0, y0, x1, y1 in lines]
    return lines


def run_chars(run: Run) -> list[dict[str, Any]]:
    x = run.x - width(run.text, run.size) if run.align == "right" else run.x
    out = []
    for ch in run.text:
        w = width(ch, run.size)
        out.append({"text": ch, "x0": x, "x1": x + w, "top": run.top, "bottom": run.top + run.size,
                    "size": run.size, "fontname": "F", "upright": True})
        x += w
    return out


def read_handmade(pages: list[Page]) -> TableRead:
    contents = []
    for number, (runs, rulings) in enumerate(pages, start=1):
        chars = [c for run in runs for c in run_chars(run)]
        edges = [edge for ruling in rulings for edge in ruling_edges(ruling)]
        contents.append((number, chars, edges))
    return pages_to_table(contents)


def ruling_edges(ruling: Ruling) -> list[dict[str, float]]:
    """A line's one edge, or a rectangle's four sides (as pdfplumber's page.edges gives them)."""
    x0, top, x1, bottom = ruling
    if x0 == x1 or top == bottom:
        return [{"x0": x0, "x1": x1, "top": top, "bottom": bottom}]
    return [{"x0": x0, "x1": x1, "top": top, "bottom": top}, {"x0": x0, "x1": x1, "top": bottom, "bottom": bottom},
            {"x0": x0, "x1": x0, "top": top, "bottom": bottom}, {"x0": x1, "x1": x1, "top": top, "bottom": bottom}]


def read_drawn(pages: list[Page]) -> TableRead:
    out = BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    font = font_name(Variant())
    for runs, rulings in pages:
        for run in runs:
            canvas.setFont(font, run.size)
            baseline = PAGE_HEIGHT - run.top - 0.86 * run.size
            (canvas.drawRightString if run.align == "right" else canvas.drawString)(run.x, baseline, run.text)
        canvas.setLineWidth(0.5)
        for x0, top, x1, bottom in rulings:
            if x0 != x1 and top != bottom:
                canvas.rect(x0, PAGE_HEIGHT - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
            else:
                canvas.line(x0, PAGE_HEIGHT - top, x1, PAGE_HEIGHT - bottom)
        canvas.showPage()
    canvas.save()
    return read_pdf("drawn.pdf", out.getvalue())


def read(path: str, pages: list[Page]) -> TableRead:
    return read_handmade(pages) if path == "handmade" else read_drawn(pages)


def rows_of(table: TableRead) -> list[tuple[str, str, list[str | None], str, str]]:
    return [(r.kind, r.name, [None if v is None else f"{v:.2f}" for v in (r.funding.total, r.funding.fiscal,
                                                                       r.funding.special_account, r.funding.other)],
             r.goal.text, r.indicators.text) for r in table.rows]


def errors(table: TableRead) -> list[tuple[str, list[int]]]:
    """The error findings' codes and pages; each must say its pages (and an unplaced amount its text)."""
    found = [f for f in table.findings if f.severity == "error"]
    assert all(names_its_pages(f) for f in found), [f.message for f in found if not names_its_pages(f)]
    return [(f.code, f.lineage.pages) for f in found]


UNIT = [left("广州开放大学", 0, 120), right("260.00", 1, 120), right("260.00", 2, 120)]


def project(top: float, name: list[str], amount: str, goal: list[str], indicators: list[str],
            valign: str = "top") -> list[Run]:
    """A project row whose tallest cell starts at `top`; the shorter cells aligned as `valign` says."""
    height = max(len(name), 1, len(goal), len(indicators))

    def place(lines: list[str]) -> float:
        spare = (height - len(lines)) * 11
        return top + {"top": 0, "center": spare / 2, "bottom": spare}[valign]

    runs = [left(text, 0, place(name) + 11 * i, indent=2 * SIZE) for i, text in enumerate(name)]
    runs += [right(amount, 1, place([amount])), right(amount, 2, place([amount]))]
    runs += [left(text, 5, place(goal) + 11 * i) for i, text in enumerate(goal)]
    runs += [left(text, 6, place(indicators) + 11 * i) for i, text in enumerate(indicators)]
    return runs


INDICATOR_LINES = ["1、1-产出指标；11-数量指标；日常保洁", "频率；实施周期指标值:每天2次；年度指标", "值:2次/天。"]


# ---- the column header -------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_a_header_whose_labels_wrap_in_their_cells_is_found_and_skipped_on_every_page(path):
    first = header(100, wrapped=True) + [Run("单位名称：广州开放大学", 36, 70, 9)] + UNIT + project(
        140, ["业务用房物业管理费"], "130.00", ["通过公开招标的方式。"], INDICATOR_LINES)
    second = header(60, wrapped=True) + project(100, ["机构运行辅助经费"], "130.00", ["保障运行。"], INDICATOR_LINES)
    table = read(path, [(first, []), (second, [])])
    assert [(kind, name, amounts) for kind, name, amounts, _, _ in rows_of(table)] == [
        ("unit", "广州开放大学", ["260.00", "260.00", None, None]),
        ("project", "业务用房物业管理费", ["130.00", "130.00", None, None]),
        ("project", "机构运行辅助经费", ["130.00", "130.00", None, None])]
    assert table.header.name == "广州开放大学"
    assert not errors(table)


# ---- rows, whatever the alignment --------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("valign", ["top", "center", "bottom"])
@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_cells_aligned_top_centre_or_bottom_join_in_reading_order(path, valign, ruled):
    goal = ["通过公开招标的方式，聘请专业的物业", "管理公司，保障校园安全。"]
    runs = header() + UNIT + project(140, ["业务用房物业", "管理费"], "130.00", goal, INDICATOR_LINES, valign) + project(
        180, ["机构运行辅助经费"], "130.00", ["保障运行。"], INDICATOR_LINES[:2] + ["值:有效。"], valign)
    table = read(path, [(runs, grid([115, 135, 176, 216]) if ruled else [])])
    assert rows_of(table)[1:] == [
        ("project", "业务用房物业管理费", ["130.00", "130.00", None, None], "".join(goal), "".join(INDICATOR_LINES)),
        ("project", "机构运行辅助经费", ["130.00", "130.00", None, None], "保障运行。",
         "".join(INDICATOR_LINES[:2]) + "值:有效。")]
    assert not errors(table)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("style", ["bars", "cells"])
def test_borders_drawn_as_rectangles_rule_the_table(path, style):
    runs = header() + UNIT + project(140, ["业务用房物业管理费"], "130.00", ["通过公开招标的方式。"], INDICATOR_LINES, "center")
    table = read(path, [(runs, grid([115, 135, 176], style=style))])
    assert [(kind, name, amounts) for kind, name, amounts, _, _ in rows_of(table)] == [
        ("unit", "广州开放大学", ["260.00", "260.00", None, None]),
        ("project", "业务用房物业管理费", ["130.00", "130.00", None, None])]
    assert table.rows[1].indicators.text == "".join(INDICATOR_LINES) and not errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_merged_cells_and_a_missing_row_ruling_still_part_the_rows(path):
    """The unit row's goal and indicator cells merged (no ruling between them in that row), and the
    ruling under it missing in the name column (a merged name cell): rows part at their amounts."""
    runs = header() + UNIT + project(140, ["业务用房物业管理费"], "130.00", ["通过招标。"], INDICATOR_LINES)
    rulings = [(x, 96, x, 176) for x in XS if x != XS[6]] + [(XS[6], 96, XS[6], 115), (XS[6], 135, XS[6], 176)]
    rulings += [(XS[0], y, XS[-1], y) for y in (96, 115, 176)] + [(XS[1], 135, XS[-1], 135)]
    table = read(path, [(runs, rulings)])
    assert [name for _, name, _, _, _ in rows_of(table)] == ["广州开放大学", "业务用房物业管理费"]
    assert rows_of(table)[1][3:] == ("通过招标。", "".join(INDICATOR_LINES)) and not errors(table)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_row_whose_name_and_amounts_land_on_the_next_page_gets_the_text_before_the_break(path, ruled):
    """A centred row split by a page break: its goal and indicators start at the foot of page 1,
    its name and amounts are printed on page 2."""
    first = header() + UNIT + [left("通过公开招标的方式，", 5, 450), left("1、1-产出指标；11-数量指标；日常保洁", 6, 450),
                               left("频率；实施周期指标值:每天2次；年度指标", 6, 461)]
    second = header() + [left("业务用房物业管理费", 0, 130, indent=2 * SIZE), right("130.00", 1, 130),
                         right("130.00", 2, 130), left("保障校园安全。", 5, 120), left("值:2次/天。", 6, 120)]
    table = read(path, [(first, grid([115, 135, 475]) if ruled else []),
                        (second, grid([115, 145]) if ruled else [])])
    assert rows_of(table)[1] == ("project", "业务用房物业管理费", ["130.00", "130.00", None, None],
                                 "通过公开招标的方式，保障校园安全。", "".join(INDICATOR_LINES))
    assert table.rows[1].lineage.pages == [1, 2]
    assert not errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_an_amount_wrapped_inside_a_narrow_cell_is_rejoined_also_across_a_page_break(path):
    first = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right("13,994.", 1, 140),
                               right("71", 1, 151), right("13,994.", 2, 140), right("71", 2, 151),
                               left("机构运行辅助经费", 0, 440, indent=2 * SIZE), right("1,30", 1, 440),
                               right("1,30", 3, 440), left("通过招标。", 5, 140)]
    second = header() + [right("0.00", 1, 120), right("0.00", 3, 120), left("保障运行。", 5, 120)]
    table = read(path, [(first, grid([115, 135, 165, 455])), (second, grid([115, 135]))])
    assert [amounts for _, _, amounts, _, _ in rows_of(table)[1:]] == [
        ["13994.71", "13994.71", None, None], ["1300.00", None, "1300.00", None]]
    assert not errors(table)


# ---- loss is never silent ------------------------------------------------------------------------

@pytest.mark.parametrize("path", PATHS)
def test_an_amount_outside_the_ruled_table_is_an_error_naming_its_page(path):
    runs = header() + UNIT + [right("99.00", 1, 300)]
    table = read(path, [(runs, grid([115, 135]))])
    assert ("unplaced_amount", [1]) in errors(table)
    assert any("99.00" in f.message for f in table.findings if f.code == "unplaced_amount")


@pytest.mark.parametrize("path", PATHS)
def test_a_project_row_without_amounts_is_an_error(path):
    runs = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), left("通过招标。", 5, 140)]
    table = read(path, [(runs, grid([115, 135, 155]))])
    assert ("row_missing_amounts", [1]) in errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_amounts_without_a_name_are_an_error(path):
    runs = header() + UNIT + [right("130.00", 1, 140), left("通过招标。", 5, 140)]
    table = read(path, [(runs, grid([115, 135, 155]))])
    assert ("unplaced_amount", [1]) in errors(table)


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("printed", ["###", "130.00130.00", "13O.00"])
def test_an_amount_cell_that_holds_no_single_amount_is_an_error(path, printed):
    runs = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right(printed, 1, 140)]
    table = read(path, [(runs, grid([115, 135, 155]))])
    assert ("unplaced_amount", [1]) in errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_text_with_amounts_left_after_the_last_row_of_an_unruled_table_is_an_error(path):
    runs = header() + UNIT + [right("12.00", 3, 200), left("注：单位为万元。", 5, 200)]
    table = read(path, [(runs, [])])
    assert ("unplaced_amount", [1]) in errors(table)


def test_the_ledger_reports_an_amount_printed_but_held_by_no_row():
    from extract.layouts.pdf.column_header import TOTAL
    from extract.layouts.pdf.geometry import chars_to_lines
    from extract.layouts.pdf.ledger import AmountLedger

    ledger = AmountLedger()
    columns: list[list[Any]] = [[] for _ in range(7)]
    columns[TOTAL] = chars_to_lines(run_chars(right("130.67", 1, 120)) + run_chars(right("47.66", 1, 140)))
    ledger.printed_on_page(3, columns)
    ledger.placed(TOTAL, Decimal("130.67"), 3)
    found = ledger.findings()
    assert [(f.code, f.severity, f.lineage.pages, f.text) for f in found] == [
        ("unplaced_amount", "error", [3], "47.66")]


# ---- smaller steps -------------------------------------------------------------------------------

def test_labels_of_narrow_columns_touching_each_other_are_told_apart():
    from extract.layouts.pdf.column_header import label_extents

    runs, x = [], 36.0
    for label in ("项目名称", "总计", "财政拨", "财政专", "其他资", "绩效目标", "绩效指标"):
        runs.append(Run(label, x, 100))
        x += width(label)  # no gap at all between two labels
    runs += [Run("款", 36 + width("项目名称总计") + 4, 111), Run("户拨款", 36 + width("项目名称总计财政拨"), 111),
             Run("金", 36 + width("项目名称总计财政拨财政专") + 4, 111)]
    extents = label_extents([c for run in runs for c in run_chars(run)])
    assert extents is not None and len(extents) == 7
    assert extents[3][0] == pytest.approx(36 + width("项目名称总计财政拨"))


def test_punctuation_hung_past_a_cell_edge_stays_in_its_cell():
    from extract.layouts.pdf.columns import split_line
    from extract.layouts.pdf.geometry import chars_to_lines, chars_to_text

    goal = Run("满足发展需要。", XS[6] - width("满足发展需要") - 1, 120)  # 。 straddles the ruling
    line = chars_to_lines(run_chars(goal) + run_chars(Run("1、1-产出指标", XS[6] + 0.5 + width("。") - 1, 120)))[0]
    cells = split_line(line, XS)
    assert chars_to_text(cells[5]) == "满足发展需要。"
    assert chars_to_text(cells[6]) == "1、1-产出指标"


def test_radicals_a_producer_wrote_for_ideographs_are_spelled_as_the_ideographs():
    from extract.layouts.pdf.workarounds.cjk_radicals import ideographs_for_radicals

    chars = [{"text": ch} for ch in "项⽬名称（资⾦使⽤单位）财政专⼾部⻔2010―2020"]
    ideographs_for_radicals(chars)
    assert "".join(c["text"] for c in chars) == "项目名称（资金使用单位）财政专户部门2010—2020"


def test_settings_are_validated_and_resolved_like_pdfplumbers():
    from extract.layouts.pdf.settings import DEFAULT_SETTINGS, ReaderSettings

    assert ReaderSettings.resolve(None) is DEFAULT_SETTINGS
    assert ReaderSettings.resolve({"row_gap": 0.5}).row_gap == 0.5
    for bad in ({"row_gap": -1}, {"line_tolerance": 0}, {"header_reach": 1.5}, {"unmapped_share": 2}):
        with pytest.raises(ValueError):
            ReaderSettings.resolve(bad)
    with pytest.raises(ValueError, match="unknown"):
        ReaderSettings.resolve({"row_gapp": 1})


def test_the_flate_workaround_is_installed_by_reading_not_by_importing():
    import subprocess
    import sys

    check = ("import pdfminer.pdftypes as t\n"
             "import extract.layouts.pdf.reader as r\n"
             "from extract.layouts.pdf import workarounds\n"
             "from extract.layouts.pdf.workarounds import flate\n"
             "assert not flate.installed()\n"
             "try:\n    r.read_pdf('x.pdf', b'%PDF-1.4 not a pdf %%EOF')\nexcept Exception:\n    pass\n"
             "assert flate.installed() and t.decompress_corrupted is flate.decompress_corrupted\n"
             "workarounds.install()\n"
             "assert t.decompress_corrupted is flate.decompress_corrupted\n")
    subprocess.run([sys.executable, "-c", check], check=True)


@pytest.mark.parametrize("path", PATHS)
def test_a_space_a_line_break_fell_on_is_kept_when_the_producer_drew_it(path):
    """An office suite wraps App Inventor at its space and draws the space at the end of the line."""
    runs = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right("130.00", 1, 140),
                              right("130.00", 2, 140), left("建设安全可控App ", 5, 140), left("Inventor平台。", 5, 151)]
    table = read(path, [(runs, grid([115, 135, 165]))])
    assert table.rows[1].goal.text == "建设安全可控App Inventor平台。"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("valign", ["top", "bottom"])
def test_unruled_rows_printed_without_padding_part_where_their_alignment_says(path, valign):
    """Every line 11 pt below the one before, rows included: no strip tells rows apart, their
    amounts and alignment do."""
    runs = header() + project(120, ["业务用房物业管理费"], "130.00", ["通过招标。"], INDICATOR_LINES, valign)
    runs += project(153, ["机构运行辅助经费"], "130.00", ["保障运行。"], INDICATOR_LINES, valign)
    table = read(path, [(runs, [])])
    assert [(name, goal, indicators) for _, name, _, goal, indicators in rows_of(table)] == [
        ("业务用房物业管理费", "通过招标。", "".join(INDICATOR_LINES)),
        ("机构运行辅助经费", "保障运行。", "".join(INDICATOR_LINES))]


@pytest.mark.parametrize("path", PATHS)
def test_a_page_of_the_table_that_cannot_be_read_as_such_is_an_error(path):
    """The column header printed once; page 2 lost its rulings, so it does not continue the grid."""
    first = header() + UNIT
    second = [left("业务用房物业管理费", 0, 70, indent=2 * SIZE), right("260.00", 1, 70), right("260.00", 2, 70)]
    table = read(path, [(first, grid([115, 135])), (second, [])])
    assert ("unplaced_amount", [2]) in errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_another_table_after_the_table_is_not_an_error(path):
    first = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right("260.00", 1, 140),
                               right("260.00", 2, 140)]
    other = [Run("政府采购预算表", 350, 40, 15), left("信息化运维服务", 0, 100), right("372.65", 1, 100)]
    other_continued = [left("物业管理服务", 0, 60), right("130.67", 1, 60)]
    table = read(path, [(first, grid([115, 135, 155])), (other, []), (other_continued, [])])
    assert [r.name for r in table.rows] == ["广州开放大学", "业务用房物业管理费"] and not errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_amounts_set_apart_below_their_name_join_it(path):
    """Text cells aligned top and amount cells bottom in tall unruled rows: a gap parts each row's
    name from its amounts; the last row's amounts can only go with the name before them, and so do
    the others'."""
    runs = header()
    for top, name in ((130, "业务用房物业管理费"), (215, "机构运行辅助经费")):
        runs += [left(name, 0, top, indent=2 * SIZE), left("通过招标。", 5, top)]
        runs += [left(text, 6, top + 11 * i) for i, text in enumerate(INDICATOR_LINES)]
        runs += [right("130.00", 1, top + 50), right("130.00", 2, top + 50)]
    table = read(path, [(runs, [])])
    assert [(name, amounts) for _, name, amounts, _, _ in rows_of(table)] == [
        ("业务用房物业管理费", ["130.00", "130.00", None, None]), ("机构运行辅助经费", ["130.00", "130.00", None, None])]
    assert not errors(table)
