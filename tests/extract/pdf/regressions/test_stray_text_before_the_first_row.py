"""Bug (fixed in d66fcf7, found by tests/extract/pdf/test_pdf_fuzz.py: the first page dropped): the continuation of
a row at the top of the table's first page, with no name and no amounts, became a unit row named ''
with an error finding of a missing amount; it is text before the first row (a warning)."""

from extract.layouts.pdf.reader import pages_to_table
from tests.extract.pdf.test_pdf_cells import header, left, right, run_chars


def test_text_before_the_first_row_is_reported_not_made_a_row():
    runs = header() + [left("保障校园安全。", 5, 118), left("广州开放大学", 0, 135), right("260.00", 1, 135)]
    table = pages_to_table([(1, [c for run in runs for c in run_chars(run)], [])])
    assert [r.name for r in table.rows] == ["广州开放大学"]
    assert [(f.code, f.severity) for f in table.findings] == [("unparsed_text", "warning")]
