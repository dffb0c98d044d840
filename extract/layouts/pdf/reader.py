"""The published PDF: pages read one at a time with pdfplumber, rows handed to the shared builder.

Each page is parsed, reduced to its table bands and released before the next one is opened, so a
300-page document never holds more than one page's layout. The table may sit among other tables
of a whole department budget: it starts at its column header and runs on while pages repeat that
header or continue its grid. Unreadable files raise `ExtractError`
with a stable code: ``encrypted``, ``corrupt_pdf``, ``no_text_layer``, ``unmapped_glyphs``,
``no_table_found``.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ExtractError
from extract.grammar.header import CURRENCY, HEADER_LABEL, TITLE_MARK
from extract.layouts.base import Layout, is_pdf
from extract.layouts.pdf import pdfminer_workaround
from extract.layouts.pdf.geometry import Char, Edge, dedupe_chars
from extract.layouts.pdf.page import PageTable, read_page
from extract.layouts.pdf.rows import RowAssembler
from extract.model import Finding, Lineage
from extract.table import TableHeader, TableRead, TableRow

EOF_MARK = b"%%EOF"
EOF_WINDOW = 1024  # where readers look for the end marker, as Acrobat does
UNMAPPED_PREFIX = "(cid:"
UNMAPPED_SHARE = 0.05  # more unmapped glyphs than this on a page and its text is unreadable

pdfminer_workaround.install()


def read_pdf(name: str, data: bytes) -> TableRead:
    if EOF_MARK not in data[-EOF_WINDOW:]:
        raise ExtractError("corrupt_pdf", "the PDF has no end-of-file marker: it was cut off or damaged; "
                                          "download it again")
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(exc) from exc
    # Not `with pdf`: PDF.close() would build every page to close it.
    read = TableRead("pdf", TableHeader(), [], [], page_count=0)
    read.rows = list(_table_rows(read, pdf))
    return read


def _table_rows(read: TableRead, pdf: pdfplumber.PDF) -> Iterator[TableRow]:
    """Rows of the table, page by page. Pages before it and after it (other tables) are skipped."""
    assembler = RowAssembler(read.findings)
    running: PageTable | None = None  # the table on the previous page, while it runs on
    seen_table, text_pages, unreadable = False, 0, None
    headless: list[int] = []
    page_count = 0
    for page in _pages(pdf):
        page_count += 1
        read.page_count = page_count
        chars, edges = _page_objects(page)
        if not chars:
            running = None
            continue
        text_pages += 1
        unmapped = _unmapped_glyphs(read.findings, page.page_number, chars)
        if unmapped is not None:
            if running is not None:
                raise unmapped
            unreadable = unreadable or unmapped
            continue
        found = read_page(page.page_number, chars, edges, running)
        if found is not None and not seen_table:
            read.header = _furniture_to_header(found)
        elif found is not None and not found.has_header:
            headless.append(found.page)
        running, seen_table = found, seen_table or found is not None
        if found is not None:
            yield from assembler.add_page(found)
    yield from assembler.finish()
    if not seen_table:
        raise unreadable or _no_table(page_count, text_pages)
    if headless:
        read.findings.append(Finding("info", "pages_without_column_header",
                                     f"Page(s) {_ranges(headless)} repeat no column header; they were read as "
                                     "continuations of the table, with the columns of the page before.",
                                     lineage=Lineage(headless)))


def _ranges(pages: list[int]) -> str:
    """3, 4, 5, 9 -> "3-5, 9"."""
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _pages(pdf: pdfplumber.PDF) -> Iterator[Page]:
    """The pages one at a time, each released once read.

    pdfplumber's ``pdf.pages`` builds every page up front, and pdfminer keeps each decoded content
    stream in its object cache; both would make memory grow with the document.
    """
    found = PDFPage.create_pages(pdf.doc)
    number, doctop = 0, 0.0
    while True:
        try:
            page_obj = next(found)
            page = Page(pdf, page_obj, page_number=number + 1, initial_doctop=doctop)
        except StopIteration:
            return
        except Exception as exc:  # pdfminer raises many kinds of error on a damaged page tree
            raise ExtractError("corrupt_pdf", f"page {number + 1} cannot be found in the PDF "
                                              f"({type(exc).__name__}: {exc}): it is damaged; download it again"
                               ) from exc
        number += 1
        doctop += page.height
        try:
            yield page
        finally:
            _release(pdf, page)


def _release(pdf: pdfplumber.PDF, page: Page) -> None:
    page.close()
    cache = getattr(pdf.doc, "_cached_objs", {})
    for stream in page.page_obj.contents:
        cache.pop(getattr(stream, "objid", None), None)
    page.page_obj.contents = []


def _page_objects(page: Page) -> tuple[list[Char], list[Edge]]:
    try:
        chars = dedupe_chars(page.chars)
        edges = page.edges if chars else []
    except PdfminerException as exc:
        raise ExtractError("corrupt_pdf", f"page {page.page_number} cannot be parsed ({_reason(exc)}): "
                                          "the PDF is damaged; download it again") from exc
    return chars, edges


def _unmapped_glyphs(findings: list[Finding], page: int, chars: list[Char]) -> ExtractError | None:
    """The error for a page whose text is mostly glyph codes without Unicode, else None (a few such
    glyphs only earn a warning)."""
    unmapped = sum(1 for c in chars if c["text"].startswith(UNMAPPED_PREFIX))
    if unmapped > UNMAPPED_SHARE * len(chars):
        return ExtractError("unmapped_glyphs", f"on page {page}, {unmapped} of {len(chars)} characters have no "
                                               "Unicode mapping and read as (cid:NNN): the PDF's fonts carry no "
                                               "ToUnicode map, so its text cannot be read; export the PDF again "
                                               "with standard fonts or run OCR on it")
    if unmapped:
        findings.append(Finding("warning", "unmapped_glyph", f"Page {page}: {unmapped} character(s) have no "
                                    "Unicode mapping and read as (cid:NNN) in the extracted text.",
                                    lineage=Lineage([page])))
    return None


def _furniture_to_header(table: PageTable) -> TableHeader:
    title = label = name = currency = None
    for line in table.furniture:
        text = line.text.strip()
        if title is None and TITLE_MARK in text:
            title = "".join(text.split())
        found_label = HEADER_LABEL.search(text)
        if found_label and label is None:
            label, name = found_label.group("label"), found_label.group("name").strip()
        found_currency = CURRENCY.search(text)
        if found_currency and currency is None:
            currency = found_currency.group("unit")
    return TableHeader(title, label, name, currency)


def _no_table(page_count: int, text_pages: int) -> ExtractError:
    if not text_pages:
        return ExtractError("no_text_layer", f"none of its {page_count} page(s) has a text layer (the pages are "
                                             "images, e.g. a scan): run OCR on it (e.g. ocrmypdf) and extract "
                                             "the result")
    return ExtractError("no_table_found", f"none of its {page_count} page(s) has the 项目支出绩效目标表 column "
                                          "header (项目名称 … 总计 …): this PDF does not contain such a table")


def _open_error(exc: PdfminerException) -> ExtractError:
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, PDFEncryptionError):
        return ExtractError("encrypted", "the PDF is encrypted and cannot be opened without its password: "
                                         "ask the publisher for an unprotected copy or decrypt it "
                                         "(e.g. qpdf --decrypt) first")
    return ExtractError("corrupt_pdf", f"the PDF cannot be parsed ({_reason(exc)}): it is damaged; "
                                       "download it again")


def _reason(exc: PdfminerException) -> str:
    cause = exc.args[0] if exc.args else exc
    return f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__


LAYOUT = Layout("pdf", is_pdf, read_pdf)
