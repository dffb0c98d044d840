"""The pure layout steps of the PDF reader, on hand-made chars and edges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pdfplumber
import pytest

from extract import extract_path
from extract.layouts.pdf.column_header import label_extents
from extract.layouts.pdf.columns import columns_from_gaps, split_line
from extract.layouts.pdf.geometry import TextLine, chars_to_lines, chars_to_text, is_page_number
from extract.layouts.pdf.page import read_page
from extract.layouts.pdf.rows import RowAssembler
from extract.layouts.pdf.workarounds.dedupe import dedupe_chars
from extract.model import Finding
from tests.pdf_render import SAMPLES, VARIANTS, rendered

SIZE = 8.0
# x of the 8 column boundaries of a hand-made table
XS = [36.0, 166.0, 226.0, 286.0, 350.0, 410.0, 588.0, 806.0]


def chars(text: str, x0: float, top: float, size: float = SIZE, width: float | None = None) -> list[dict[str, Any]]:
    out, x = [], x0
    for ch in text:
        w = width if width is not None else (size if ord(ch) > 0x2000 else size / 2)
        out.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + size, "size": size,
                    "fontname": "F", "upright": True})
        x += w
    return out


def right(text: str, column: int, top: float) -> list[dict[str, Any]]:
    """An amount right-aligned in its column, as the renderer sets it."""
    return chars(text, XS[column + 1] - 3 - len(text) * SIZE / 2, top)


def header(top: float = 100.0) -> list[dict[str, Any]]:
    titles = ("项目名称（资金使用单位）", "总计", "财政拨款", "财政专户拨款", "其他资金", "绩效目标", "绩效指标")
    out = []
    for title, left, right_x in zip(titles, XS, XS[1:], strict=False):
        out += chars(title, (left + right_x - len(title) * SIZE) / 2, top)
    return out


def edges_for(row_tops: list[float]) -> list[dict[str, Any]]:
    bottom = row_tops[-1]
    vertical = [{"orientation": "v", "x0": x, "x1": x, "top": 96.0, "bottom": bottom} for x in XS]
    horizontal = [{"orientation": "h", "x0": XS[0], "x1": XS[-1], "top": y, "bottom": y} for y in [96.0, *row_tops]]
    return vertical + horizontal


def test_gap_becomes_a_space_but_drawn_spaces_are_not_doubled():
    assert chars_to_text(chars("App", 0, 0) + chars("Inventor", 20, 0)) == "App Inventor"
    assert chars_to_text(chars("App Inventor", 0, 0)) == "App Inventor"
    assert chars_to_text(chars("广州", 0, 0) + chars("万元", 40, 0)) == "广州 万元"


def test_fake_bold_copies_go_but_repeated_chars_stay():
    once = chars("1,111.11", 100, 50)
    bold = [c for pair in zip(once, chars("1,111.11", 100.3, 50.2), strict=True) for c in pair]
    assert dedupe_chars(bold) == once
    # the same digit twice a char-width apart is not a copy
    assert len(dedupe_chars(chars("11", 0, 0, width=4))) == 2


def test_page_number_is_a_short_numeric_line_set_apart():
    row = TextLine(500, 508, chars("年度指标值:90%。", 400, 500))
    assert is_page_number(TextLine(560, 569, chars("第 3 页", 400, 560)), row)
    assert is_page_number(TextLine(560, 569, chars("- 3 -", 400, 560)), row)
    assert not is_page_number(TextLine(511, 519, chars("3", 400, 511)), row)  # a wrapped cell line
    assert not is_page_number(TextLine(560, 569, chars("130.67", 400, 560)), row)


def test_unruled_boundaries_keep_a_one_char_last_goal_line_in_the_goal_column():
    """Titles are centred: halfway between two titles would cut a short left-aligned line."""
    extents = label_extents(header())
    assert extents is not None and len(extents) == 7
    body = chars_to_lines(
        right("130.67", 1, 120) + right("130.67", 4, 120) + chars("通过公开招标的方式", XS[5] + 3, 120)
        + chars("汇。", XS[5] + 3, 131) + chars("1、1-产出指标；", XS[6] + 3, 120)
    )
    bounds = columns_from_gaps(extents, body)
    cells = split_line(body[1], bounds)
    assert chars_to_text(cells[5]) == "汇。"
    cells = split_line(body[0], bounds)
    assert [chars_to_text(c) for c in cells] == ["", "130.67", "", "", "130.67", "通过公开招标的方式", "1、1-产出指标；"]


def read_rows(pages: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]) -> tuple[list, list[Finding]]:
    findings: list[Finding] = []
    assembler, table, rows = RowAssembler(findings), None, []
    for number, (page_chars, edges) in enumerate(pages, start=1):
        table = read_page(number, page_chars, edges, table)
        assert table is not None
        rows += assembler.add_page(table.page, table.pieces, table.stray)
    return rows + assembler.finish(), findings


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_row_split_by_a_page_break_is_stitched_and_indent_tells_unit_from_project(ruled):
    page1 = (
        chars("项目支出绩效目标表", 300, 40, size=15) + header()
        + chars("广州开放大学", XS[0] + 3, 120) + right("130.67", 1, 120) + right("130.67", 2, 120)
        + chars("业务用房物业", XS[0] + 3 + 2 * SIZE, 140) + chars("管理费", XS[0] + 3 + 2 * SIZE, 151)
        + right("130.67", 1, 140) + right("130.67", 2, 140)
        + chars("通过公开招标的方式，", XS[5] + 3, 140) + chars("1、1-产出指标；11-数量指标；日常保洁", XS[6] + 3, 140)
        + chars("第 1 页", 410, 570, size=9)
    )
    page2 = (
        header() + chars("保障校园安全。", XS[5] + 3, 120) + chars("频率；实施周期指标值:每天2次；年度指标值:2次/天。", XS[6] + 3, 120)
        + chars("第 2 页", 410, 570, size=9)
    )
    pages = [(page1, edges_for([115.0, 135.0, 165.0]) if ruled else []),
             (page2, edges_for([115.0, 135.0]) if ruled else [])]
    rows, findings = read_rows(pages)
    assert not findings
    assert [(r.kind, r.name) for r in rows] == [("unit", "广州开放大学"), ("project", "业务用房物业管理费")]
    project = rows[1]
    assert (project.total, project.funding.fiscal, project.funding.special_account) == (
        Decimal("130.67"), Decimal("130.67"), None)
    assert project.goal.text == "通过公开招标的方式，保障校园安全。"
    assert project.indicators.text.endswith("日常保洁频率；实施周期指标值:每天2次；年度指标值:2次/天。")
    assert project.lineage.pages == [1, 2]
    assert [p.page for p in project.goal.pieces] == [1, 2]


def test_text_outside_the_ruled_grid_is_reported_not_dropped():
    page = (header() + chars("广州开放大学", XS[0] + 3, 120) + right("130.67", 1, 120)
            + chars("注：本表数据为预算数。", XS[0] + 3, 300))
    rows, findings = read_rows([(page, edges_for([115.0, 135.0]))])
    assert [r.name for r in rows] == ["广州开放大学"]
    assert [f.code for f in findings] == ["unparsed_text"] and "注：本表数据为预算数。" in findings[0].message


def test_reader_streams_pages_instead_of_building_them_all(monkeypatch):
    """pdfplumber's `pdf.pages` builds every page up front; the reader must not use it."""
    def refuse(self):
        raise AssertionError("pdf.pages used")

    monkeypatch.setattr(pdfplumber.PDF, "pages", property(refuse))
    pdf, truth = rendered(SAMPLES[-1], VARIANTS["truetype"])
    doc = extract_path(pdf)
    assert not doc.failed
    assert len(doc.projects()) == sum(len(u["projects"]) for u in truth["units"])
