"""Bugs (fixed in 81e6579): CJK line breaking hangs a closing bracket or stop past its cell's edge
(reportlab: 慧农业） with the ） over the 总计 column). Assigned by its centre it landed in the next
column: a ） in the 总计 column made a second row's amounts and split a project's name in two, and a
。 or 、 left its goal for the indicators. The first fix then pulled an indicator line's leading ；
back into the goal column, because it touched a hung 、."""

from extract.layouts.pdf.columns import split_line
from extract.layouts.pdf.geometry import chars_to_lines, chars_to_text
from tests.extract.pdf.test_pdf_cells import XS, Run, run_chars, width


def cells(*runs: Run) -> list[str]:
    line = chars_to_lines([c for run in runs for c in run_chars(run)])[0]
    return [chars_to_text(cell) for cell in split_line(line, XS)]


def test_a_bracket_hung_over_the_total_column_stays_with_the_name():
    name = Run("慧农业）", XS[1] - 3 - width("慧农业"), 120)  # ） starts inside the padding, ends past the ruling
    assert cells(name)[:2] == ["慧农业）", ""]


def test_a_stop_touching_the_next_cells_text_stays_with_its_goal():
    goal = Run("满足发展需要。", XS[6] - width("满足发展需要") - 1, 120)
    indicators = Run("障运行；实施周期", XS[6] - 1 + width("。") + 0.5, 120)
    got = cells(goal, indicators)
    assert (got[5], got[6]) == ("满足发展需要。", "障运行；实施周期")


def test_an_indicator_line_starting_with_a_semicolon_keeps_it():
    goal = Run("维护、", XS[6] - 3 - width("维护"), 120)  # 、 hung past the ruling
    indicators = Run("；提高各业务系统", XS[6] - 3 + width("、") + 0.5, 120)
    got = cells(goal, indicators)
    assert (got[5], got[6]) == ("维护、", "；提高各业务系统")


def test_two_hung_marks_both_stay():
    goal = Run("满足需要。”", XS[6] - 3 - width("满足需要"), 120)
    assert cells(goal)[5:] == ["满足需要。”", ""]
