"""Bug (fixed in the commit adding this test, found printing the browser producer's pages with
Chromium's default page header and footer): the small page header (date, then the page's title)
came before the printed title and was taken as the title (11/30/26, 2:59 AM 项目支出绩效目标表…), and
the footer (the page's address, 1/2) below an unruled table was table text."""

import pytest

from tests.extract.pdf.test_pdf_cells import PATHS, SIZE, UNIT, Run, header, left, read, right

TITLE = "项目支出绩效目标表（含转移支付项目）"


@pytest.mark.parametrize("path", PATHS)
def test_the_printed_title_wins_and_the_footer_is_no_table_text(path):
    runs = [Run(f"11/30/26, 2:59 AM {TITLE}", 20, 12, 7), Run(TITLE, 280, 40, 15)] + header() + UNIT + [
        left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right("260.00", 1, 140), right("260.00", 2, 140),
        left("通过招标。", 5, 140), Run("file:///tmp/table.html 1/2", 20, 570, 7)]
    table = read(path, [(runs, [])])
    assert table.header.title == TITLE
    assert [(r.name, r.goal.text) for r in table.rows] == [("广州开放大学", ""), ("业务用房物业管理费", "通过招标。")]
    assert not [f for f in table.findings if f.severity != "info"]
