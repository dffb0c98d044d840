"""Bug (fixed in b089bb6): removing the copies of each char that fake bold draws a hair apart kept the
chars in order with ``list.index`` (as pdfplumber's ``dedupe_chars`` does), quadratic in a page's chars."""

from extract.layouts.pdf.workarounds.dedupe import dedupe_chars
from tests.regressions.guard import no_hang


def char(i: int, shift: float = 0.0) -> dict:
    row, column = divmod(i, 400)
    return {"text": "字", "fontname": "F", "size": 8.0, "upright": True,
            "top": 10.0 * row + shift, "x0": 10.0 * column + shift}


def test_a_page_of_a_hundred_thousand_fake_bold_chars_is_deduplicated_at_once():
    drawn = [c for i in range(100_000) for c in (char(i), char(i, shift=0.3))]
    with no_hang():
        kept = dedupe_chars(drawn)
    assert kept == drawn[::2]  # the first drawn of each pair, in order
