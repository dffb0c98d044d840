"""A PDF's pages one at a time, each released once read, so memory stays flat with page count.

* pdfplumber's ``pdf.pages`` builds a `Page` for every page up front, and keeps them with their
  caches (https://github.com/jsvine/pdfplumber/issues/193); ``PDF.close()`` empties that list
  first and so builds every page again to close it
  (https://github.com/jsvine/pdfplumber/issues/1339): the reader never uses either.
* pdfminer's ``PDFDocument`` keeps every object it resolved in ``_cached_objs`` for the life of
  the document, decoded content streams included
  (https://github.com/pdfminer/pdfminer.six/issues/859): a page's streams are evicted once read,
  and the page object lets go of them (https://github.com/jsvine/pdfplumber/issues/1395).
"""

from __future__ import annotations

from collections.abc import Iterator

import pdfplumber
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page


class PageTreeDamaged(Exception):
    """The page after `pages_read` cannot be found: the PDF's page tree is damaged."""

    def __init__(self, pages_read: int, cause: Exception) -> None:
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.pages_read = pages_read
        self.cause = cause


def stream_pages(pdf: pdfplumber.PDF) -> Iterator[Page]:
    """Each page, built when asked for and released when the caller asks for the next one."""
    found = PDFPage.create_pages(pdf.doc)
    number, doctop = 0, 0.0
    while True:
        try:
            page_obj = next(found)
            page = Page(pdf, page_obj, page_number=number + 1, initial_doctop=doctop)
        except StopIteration:
            return
        except Exception as exc:  # pdfminer raises many kinds of error on a damaged page tree
            raise PageTreeDamaged(number, exc) from exc
        number += 1
        doctop += page.height
        try:
            yield page
        finally:
            release(pdf, page)


def release(pdf: pdfplumber.PDF, page: Page) -> None:
    page.close()
    cache = getattr(pdf.doc, "_cached_objs", {})
    for stream in page.page_obj.contents:
        cache.pop(getattr(stream, "objid", None), None)
    page.page_obj.contents = []
