"""Bug (fixed in 81e6579): the column header was looked for on one line holding 项目名称 and 总计; a
header whose labels wrap in their cells (财政专户 / 拨款, 项目名称（资金使 / 用单位）, centred at
different heights) spread them over three lines, so no table was found on any page (``no_table_found``
on every reportlab unruled and browser document of issue #12)."""

from extract.layouts.pdf.column_header import find_column_header
from extract.layouts.pdf.geometry import chars_to_lines
from tests.extract.pdf.test_pdf_cells import Run, header, run_chars


def test_a_header_wrapped_over_three_lines_is_one_header_and_the_lines_around_it_are_not():
    runs = [Run("单位名称：广州开放大学", 36, 84, 9)] + header(100, wrapped=True) + [Run("合计", 39, 118)]
    lines = chars_to_lines([c for run in runs for c in run_chars(run)])
    found = find_column_header(lines)
    assert found is not None and (found.first, found.last) == (1, 3)
    assert len(found.labels) == 7


def test_a_label_with_a_bracketed_note_wrapping_under_it_is_taken_whole():
    """The first fix took 项目名称 alone (it spells the title too) and then found no 总计 after it."""
    lines = chars_to_lines([c for run in header(100, wrapped=True) for c in run_chars(run)])
    found = find_column_header(lines)
    assert found is not None
    name_left, name_right = found.labels[0]
    assert name_right - name_left > 60  # the whole 项目名称（资金使 line, not its first four chars
