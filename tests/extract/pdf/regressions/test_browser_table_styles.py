"""Bugs (fixed in the commit adding this test), found printing the browser producer's tables with
styles its layouts do not draw:

* cells framed each on its own with spacing between them (``border-collapse: separate``): the
  pieces of a row ruling left 2 pt gaps, so no row ruling was found; a row carried over to the next
  page was glued to the row after it, silently;
* vertical rulings only: the whole body of a page was one piece, and the same happened;
* zebra stripes and a shaded header (filled rectangles behind text): their sides were taken as
  rulings, and rows outside the shaded ones as text outside the table;
* names centred in their cells: indentation no longer told projects from units (no projects).
"""

from io import BytesIO

import pytest
from reportlab.pdfgen.canvas import Canvas

from extract.layouts.pdf.reader import read_pdf
from extract.layouts.pdf.rulings import page_edges
from tests.extract.pdf.test_pdf_cells import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PATHS,
    SIZE,
    UNIT,
    XS,
    Run,
    errors,
    header,
    left,
    read,
    right,
    width,
)
from tests.pdf_render import Variant, font_name

CARRIED = [left("1、1-产出指标；11-数量指标；日常保洁", 6, 441), left("频率；实施周期指标值:每天2次；年度指标", 6, 452)]
PAGE_2 = [left("值:2次/天。", 6, 70), left("机构运行辅助经费", 0, 90, indent=2 * SIZE), right("100.00", 1, 90),
          left("保障运行。", 5, 90), left("1、1-产出指标；年度指标值:有效。", 6, 90)]


def spaced_cells(tops: list[float], spacing: float = 2.0) -> list[tuple[float, float, float, float]]:
    return [(x0 + spacing / 2, y0 + spacing / 2, x1 - spacing / 2, y1 - spacing / 2)
            for y0, y1 in zip(tops, tops[1:], strict=False) for x0, x1 in zip(XS, XS[1:], strict=False)]


def verticals_only(top: float, header_bottom: float, bottom: float) -> list[tuple[float, float, float, float]]:
    return [(x, top, x, bottom) for x in XS] + [(XS[0], top, XS[-1], top), (XS[0], header_bottom, XS[-1], header_bottom)]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("style", ["spaced", "verticals"])
def test_a_row_carried_to_the_next_page_stays_in_its_row(path, style):
    first = header() + UNIT + [left("业务用房物业管理费", 0, 430, indent=2 * SIZE), right("130.00", 1, 430),
                               left("通过招标。", 5, 430), left("1、1-产出指标；11-数量指标；保洁", 6, 430)] + CARRIED
    second = header(40) + PAGE_2
    if style == "spaced":
        rulings = [spaced_cells([96, 115, 135, 425, 475]), spaced_cells([36, 55, 85, 105])]
    else:
        rulings = [verticals_only(96, 115, 475), verticals_only(36, 55, 105)]
    table = read(path, [(first, rulings[0]), (second, rulings[1])])
    assert [(r.name, r.indicators.text) for r in table.rows[1:]] == [
        ("业务用房物业管理费", "1、1-产出指标；11-数量指标；保洁1、1-产出指标；11-数量指标；日常保洁频率；实施周期指标值:每天2次；年度指标值:2次/天。"),
        ("机构运行辅助经费", "1、1-产出指标；年度指标值:有效。")]
    assert not errors(table)


def test_shading_is_no_ruling_but_borders_drawn_as_bars_or_boxes_are():
    def rect(width_: float, height: float, stroke: bool) -> dict:
        return {"x0": 36.0, "x1": 36.0 + width_, "top": 100.0, "bottom": 100.0 + height, "width": width_,
                "height": height, "y0": 0.0, "y1": height, "doctop": 100.0, "stroke": stroke, "fill": True}

    assert page_edges([], [rect(770, 20, stroke=False)], []) == []
    assert len(page_edges([], [rect(770, 0.75, stroke=False)], [])) == 4
    assert len(page_edges([], [rect(130, 20, stroke=True)], [])) == 4


def test_a_table_with_zebra_stripes_and_a_shaded_header_reads_as_unruled():
    runs = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right("130.00", 1, 140),
                              right("130.00", 2, 140), left("通过招标。", 5, 140), left("1、1-产出指标。", 6, 140),
                              left("机构运行辅助经费", 0, 160, indent=2 * SIZE), right("130.00", 1, 160),
                              right("130.00", 2, 160), left("保障运行。", 5, 160), left("1、1-产出指标。", 6, 160)]
    out = BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1)
    canvas.setFillGray(0.85)
    for top, bottom in ((96, 112), (137, 156)):  # the header and every other row shaded, cell by cell
        for x0, x1 in zip(XS, XS[1:], strict=False):
            canvas.rect(x0, PAGE_HEIGHT - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
    canvas.setFillGray(0)
    for run in runs:
        canvas.setFont(font_name(Variant()), run.size)
        baseline = PAGE_HEIGHT - run.top - 0.86 * run.size
        (canvas.drawRightString if run.align == "right" else canvas.drawString)(run.x, baseline, run.text)
    canvas.save()
    table = read_pdf("zebra.pdf", out.getvalue())
    assert [(r.name, r.goal.text) for r in table.rows] == [
        ("广州开放大学", ""), ("业务用房物业管理费", "通过招标。"), ("机构运行辅助经费", "保障运行。")]
    assert not errors(table)


@pytest.mark.parametrize("path", PATHS)
def test_centred_names_still_tell_projects_from_units(path):
    def centred(text: str, top: float) -> Run:
        return Run(text, (XS[0] + XS[1] - width(text)) / 2, top)

    runs = header() + [centred("合计", 120), right("260.00", 1, 120), centred("广州开放大学", 135), right("260.00", 1, 135),
                       centred("广州开放大学业务用房物业管理费", 150), right("260.00", 1, 150), left("通过招标。", 5, 150),
                       left("1、1-产出指标。", 6, 150)]
    table = read(path, [(runs, [])])
    assert [(r.kind, r.name) for r in table.rows] == [
        ("total", "合计"), ("unit", "广州开放大学"), ("project", "广州开放大学业务用房物业管理费")]
