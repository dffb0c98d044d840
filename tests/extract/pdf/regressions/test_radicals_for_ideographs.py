"""Bug (fixed in 81e6579): Chromium printing with Noto Sans CJK writes 项⽬ (KANGXI RADICAL EYE) for
项目 and 部⻔ for 部门 in the PDF's text; the header was not found (``no_table_found`` on every browser
document in the Noto font), and names read with radicals. Then 2010―2020 (U+2015) for 2010—2020."""

from extract.layouts.pdf.reader import pages_to_table
from extract.layouts.pdf.workarounds.cjk_radicals import ideographs_for_radicals
from tests.extract.pdf.test_pdf_cells import UNIT, Run, header, run_chars

RADICAL_SPELLING = str.maketrans({"目": "⽬", "金": "⾦", "用": "⽤", "户": "⼾", "门": "⻔"})


def test_a_header_spelled_with_radicals_is_found():
    runs = [Run(r.text.translate(RADICAL_SPELLING), r.x, r.top, r.size, r.align) for r in header() + UNIT]
    chars = [c for run in runs for c in run_chars(run)]
    assert any(c["text"] == "⽬" for c in chars)
    ideographs_for_radicals(chars)  # as the reader does with every page's chars
    assert [r.name for r in pages_to_table([(1, chars, [])]).rows] == ["广州开放大学"]
