"""Bug (fixed in 81e6579, found by the golden comparison of tests/pdf_render.py's in_budget variant):
on a page without the column header, the renderer's vertical rulings start lower than the first row's
top ruling; the rows above them were taken as text outside the table, and their amounts were lost
(the amount ledger reported them, so the loss was loud). The table's extent on a page is that of
its vertical rulings and its row rulings together."""

from extract.layouts.pdf.reader import pages_to_table
from tests.extract.pdf.test_pdf_cells import SIZE, UNIT, XS, grid, header, left, right, run_chars


def test_rows_above_the_vertical_rulings_but_between_row_rulings_are_read():
    first = header() + UNIT
    second = [left("业务用房物业管理费", 0, 70, indent=2 * SIZE), right("260.00", 1, 70), right("260.00", 2, 70)]
    rulings = [(x, 95.0, x, 120.0) for x in XS] + [(XS[0], y, XS[-1], y) for y in (60.0, 95.0, 120.0)]
    pages = [(1, [c for run in first for c in run_chars(run)], _edges(grid([115, 135]))),
             (2, [c for run in second for c in run_chars(run)], _edges(rulings))]
    table = pages_to_table(pages)
    assert [r.name for r in table.rows] == ["广州开放大学", "业务用房物业管理费"]
    assert not [f for f in table.findings if f.severity == "error"]


def _edges(rulings):
    return [{"x0": x0, "x1": x1, "top": top, "bottom": bottom} for x0, top, x1, bottom in rulings]
