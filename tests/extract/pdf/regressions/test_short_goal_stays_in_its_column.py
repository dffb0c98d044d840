"""Bug (fixed in 7da7c05, found writing the unpadded-rows test): in an unruled table the boundary
between 其他资金 and 绩效目标 was the middle of the widest x-range no body char covers; with short
goals and no 其他资金 amounts that range lies inside the goal column, right of the goals, so the
goals were read as 其他资金 text."""

from extract.layouts.pdf.reader import pages_to_table
from tests.extract.pdf.test_pdf_cells import INDICATOR_LINES, header, project, run_chars


def test_a_short_goal_beside_an_empty_other_funds_column_is_a_goal():
    runs = header() + project(120, ["业务用房物业管理费"], "130.00", ["通过招标。"], INDICATOR_LINES)
    table = pages_to_table([(1, [c for run in runs for c in run_chars(run)], [])])
    assert [(r.goal.text, r.funding.other) for r in table.rows] == [("通过招标。", None)]
    assert not [f for f in table.findings if f.severity != "info"]
