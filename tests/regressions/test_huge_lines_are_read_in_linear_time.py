"""Bug (fixed in bb29aff): a regular expression classified each wrapped-export line by backtracking over
its amounts, quadratic in the line's length, so a line of some hundred thousand characters hung the
reader."""

from extract import extract_bytes
from extract.layouts.text.wrapped import split_named
from tests.regressions.guard import no_hang

HEADER = "项目支出绩效目标表\n单位名称：甲单位 单位：万元\n项目名称 总计 财政拨款 财政专户拨款 其他资金 绩效目标 绩效指标\n"


def test_a_line_of_a_hundred_thousand_numbers_is_split_at_once():
    numbers = " ".join(["1.00"] * 100_000)
    with no_hang():
        assert split_named(f"名称 {numbers}") == ("名称", ["1.00"] * 100_000)
        assert split_named(numbers + " 1.0") is None  # the shape that made the old expression backtrack
        assert split_named(numbers) is None


def test_an_export_with_a_huge_line_is_read_and_reported():
    line = " ".join(["1.00"] * 50_000) + " 1.0"
    with no_hang():
        doc = extract_bytes("huge.txt", (HEADER + line + "\n").encode())
    assert doc.failed and doc.findings  # read, reported, not hung

