"""Bug (fixed in 3db067d): LibreOffice wraps App Inventor at its space and draws the space at the end
of the line; joining the cell's lines stripped it and read AppInventor (office variants of sample 002)."""

import pytest

from tests.extract.pdf.test_pdf_cells import PATHS, SIZE, UNIT, grid, header, left, read, right


@pytest.mark.parametrize("path", PATHS)
def test_the_space_drawn_at_a_line_end_joins_the_two_lines(path):
    runs = header() + UNIT + [left("项目", 0, 140, indent=2 * SIZE), right("130.00", 1, 140),
                              left("安全可控App ", 5, 140), left("Inventor平台，", 5, 151), left("推动。", 5, 162)]
    assert read(path, [(runs, grid([115, 135, 175]))]).rows[1].goal.text == "安全可控App Inventor平台，推动。"
