"""Bug (fixed in 81e6579): a spreadsheet prints ### in a cell too narrow for its number; the reader
reported the cell as unparsed text, a warning, and the unit and department totals went missing from
a document that loaded (office ``medium`` documents before the producer printed amounts as text)."""

import pytest

from tests.extract.pdf.test_pdf_cells import PATHS, SIZE, UNIT, errors, grid, header, left, read, right


@pytest.mark.parametrize("path", PATHS)
def test_hashes_in_an_amount_cell_reject_the_document_naming_the_page(path):
    runs = header() + UNIT + [left("业务用房物业管理费", 0, 140, indent=2 * SIZE), right("###", 1, 140)]
    table = read(path, [(runs, grid([115, 135, 155]))])
    assert ("unplaced_amount", [1]) in errors(table)
    assert any("too narrow" in f.message for f in table.findings if f.code == "unplaced_amount")
