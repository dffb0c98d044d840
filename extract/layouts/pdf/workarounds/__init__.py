"""Workarounds for pdfminer.six and pdfplumber, each in its own module with its reason and upstream link.

* `flate`: pdfminer recovers a damaged Flate stream in quadratic time (pdfminer.six #1163); a
  linear-time function with the same contract is swapped in by `install`.
* `dedupe`: pdfplumber's ``dedupe_chars`` re-sorts its result with ``list.index`` (quadratic); a
  linear-time version of the same rule.
* `cjk_radicals`: producers that spell an ideograph as the radical sharing its glyph (Chromium
  printing with Noto Sans CJK: 项⽬ for 项目); the chars are spelled as the ideographs they show.
* `pages`: pdfplumber's ``pdf.pages`` builds every page up front and ``PDF.close()`` rebuilds them
  (pdfplumber #193, #1339), and pdfminer caches every decoded content stream for the life of the
  document (pdfminer.six #859); pages are streamed one at a time and released instead.

`install` is called by the reader's entry point (`extract.layouts.pdf.reader.read_pdf`), not at
import: importing the reader changes nothing in pdfminer until a PDF is read.
"""

from __future__ import annotations

from extract.layouts.pdf.workarounds import flate


def install() -> None:
    """Patch pdfminer where it needs it. Idempotent: calling it again changes nothing."""
    flate.install()
