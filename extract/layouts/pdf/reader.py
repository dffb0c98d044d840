"""The published PDF: pages read one at a time with pdfplumber, rows handed to the shared builder.

A thin reader: each page's chars and edges go through `read_page` (chars → lines → cells → row
pieces), the pieces through the `RowAssembler` (pieces → rows across pages), and every amount
printed in the table through the `AmountLedger`, which reports any a row does not hold. Each page
is released before the next one is opened, so a 300-page document never holds more than one
page's layout. The table may sit among other tables of a whole department budget: it starts at
its column header and runs on while pages repeat that header or continue its grid. Unreadable
files raise `ExtractError` with a stable code: ``encrypted``, ``corrupt_pdf``, ``no_text_layer``,
``unmapped_glyphs``, ``no_table_found``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ExtractError
from extract.findings import finding
from extract.grammar.header import texts_to_header
from extract.layouts.base import Layout, is_pdf
from extract.layouts.pdf import workarounds
from extract.layouts.pdf.geometry import Char, Edge
from extract.layouts.pdf.ledger import AmountLedger
from extract.layouts.pdf.page import PageTable, amounts_off_the_table, read_page
from extract.layouts.pdf.rows import RowAssembler
from extract.layouts.pdf.rulings import page_edges
from extract.layouts.pdf.settings import DEFAULT_SETTINGS, ReaderSettings
from extract.layouts.pdf.workarounds.cjk_radicals import ideographs_for_radicals
from extract.layouts.pdf.workarounds.dedupe import dedupe_chars
from extract.layouts.pdf.workarounds.pages import PageTreeDamaged, stream_pages
from extract.model import Finding, Lineage
from extract.table import TableHeader, TableRead, TableRow

PageContent = tuple[int, list[Char], list[Edge]]  # page number, chars, edges
EOF_MARK = b"%%EOF"
EOF_WINDOW = 1024  # where readers look for the end marker, as Acrobat does
UNMAPPED_PREFIX = "(cid:"


def read_pdf(name: str, data: bytes, settings: ReaderSettings = DEFAULT_SETTINGS) -> TableRead:
    workarounds.install()
    if EOF_MARK not in data[-EOF_WINDOW:]:
        raise ExtractError("corrupt_pdf", "the PDF has no end-of-file marker: it was cut off or damaged; "
                                          "download it again")
    try:
        pdf = pdfplumber.open(BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(exc) from exc
    # Not `with pdf`: PDF.close() would build every page to close it.
    try:
        read = pages_to_table(_page_contents(pdf, settings), settings)
    except PageTreeDamaged as exc:
        raise ExtractError("corrupt_pdf", f"page {exc.pages_read + 1} cannot be found in the PDF ({exc}): it is "
                                          "damaged; download it again") from exc
    for found in read.findings:
        if found.severity == "error":  # an error rejects the document: it names it, as every reader's do
            found.message = f"{name}: {found.message}"
    return read


def pages_to_table(pages: Iterable[PageContent], settings: ReaderSettings = DEFAULT_SETTINGS) -> TableRead:
    """The table of a document given as its pages' (number, chars, edges), in order (pure: the
    hand-made pages of the tests go through the same steps as a PDF's)."""
    read = TableRead("pdf", TableHeader(), [], [], page_count=0)
    ledger = AmountLedger()
    read.rows = list(_table_rows(read, pages, ledger, settings))
    read.findings.extend(ledger.findings())
    return read


def _table_rows(read: TableRead, pages: Iterable[PageContent], ledger: AmountLedger,
                settings: ReaderSettings) -> Iterator[TableRow]:
    """Rows of the table, page by page. Pages before it and after it (other tables) are skipped."""
    assembler = RowAssembler(read.findings, ledger, settings)
    running: PageTable | None = None  # the table on the previous page, while it runs on
    last: PageTable | None = None  # the table on the last page that had it
    after_table = False  # another table has begun since
    seen_table, unreadable = False, None
    text_pages: list[int] = []
    headless: list[int] = []
    for number, chars, edges in pages:
        read.page_count = number
        if not chars:
            running = None
            continue
        text_pages.append(number)
        unmapped = _unmapped_glyphs(read.findings, number, chars, settings)
        if unmapped is not None:
            if running is not None:
                raise unmapped
            unreadable = unreadable or unmapped
            continue
        found = read_page(number, chars, edges, running, settings)
        if found is None and last is not None and not after_table:
            after_table = _off_the_table(read.findings, number, chars, last, settings)
        if found is not None:
            last, after_table = found, False
        if found is not None and not seen_table:
            # Largest first: the printed title before a browser's page header that repeats it small.
            furniture = sorted(found.furniture, key=lambda line: -line.size)
            read.header = texts_to_header((line.text for line in furniture), letter_spaced_title=True)
        elif found is not None and not found.has_header:
            headless.append(found.page)
        running, seen_table = found, seen_table or found is not None
        if found is not None:
            ledger.printed_on_page(found.page, found.columns)
            yield from assembler.add_page(found.page, found.pieces, found.stray)
    yield from assembler.finish()
    if not seen_table:
        raise unreadable or _no_table(read.page_count or 0, text_pages)
    if headless:
        read.findings.append(finding("pages_without_column_header",
                                     f"Page(s) {_ranges(headless)} repeat no column header; they were read as "
                                     "continuations of the table, with the columns of the page before.",
                                     lineage=Lineage(headless)))


def _off_the_table(findings: list[Finding], page: int, chars: list[Char], table: PageTable,
                   settings: ReaderSettings) -> bool:
    """Whether the page begins another table; if it does not and prints amounts in the table's
    amount columns, they are money the table lost on a page it could not read (an error)."""
    amounts = amounts_off_the_table(page, chars, table, settings)
    if amounts is None:
        return True
    if amounts:
        shown = ", ".join(amounts[:6]) + (f" … {len(amounts)} in all" if len(amounts) > 6 else "")
        findings.append(finding(
            "unplaced_amount", f"Page {page} follows the table's pages and prints amounts in its columns "
            f"({shown}), but could not be read as part of the table (no column header, and not the same columns "
            "or rulings): those amounts are in no row.", lineage=Lineage([page]), text=", ".join(amounts)))
    return False


def _ranges(pages: list[int]) -> str:
    """3, 4, 5, 9 -> "3–5, 9"."""
    spans: list[list[int]] = []
    for page in pages:
        if spans and page == spans[-1][1] + 1:
            spans[-1][1] = page
        else:
            spans.append([page, page])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _page_contents(pdf: pdfplumber.PDF, settings: ReaderSettings) -> Iterator[PageContent]:
    """Each page's number, chars (fake-bold copies dropped, radicals spelled as ideographs) and
    edges, one page at a time."""
    for page in stream_pages(pdf):
        try:
            chars = dedupe_chars(page.chars, settings.dedupe_tolerance)
            edges = page_edges(page.lines, page.rects, page.curves) if chars else []
        except PdfminerException as exc:
            raise ExtractError("corrupt_pdf", f"page {page.page_number} cannot be parsed ({_reason(exc)}): "
                                              "the PDF is damaged; download it again") from exc
        ideographs_for_radicals(chars)
        yield page.page_number, chars, edges


def _unmapped_glyphs(findings: list[Finding], page: int, chars: list[Char],
                     settings: ReaderSettings) -> ExtractError | None:
    """The error for a page whose text is mostly glyph codes without Unicode, else None (a few such
    glyphs only earn a warning)."""
    unmapped = sum(1 for c in chars if c["text"].startswith(UNMAPPED_PREFIX))
    if unmapped > settings.unmapped_share * len(chars):
        return ExtractError("unmapped_glyphs", f"on page {page}: {unmapped} of its {len(chars)} characters have no "
                                               "Unicode mapping and read as (cid:NNN): the PDF's fonts carry no "
                                               "ToUnicode map, so its text cannot be read; export the PDF again "
                                               "with standard fonts or run OCR on it")
    if unmapped:
        findings.append(finding("unmapped_glyph", f"Page {page}: {unmapped} character(s) have no Unicode mapping "
                                                  "and read as (cid:NNN) in the extracted text.",
                                lineage=Lineage([page])))
    return None


def _no_table(page_count: int, text_pages: list[int]) -> ExtractError:
    """The document-level refusal; it names the pages it concerns, as every error of the reader does."""
    if not text_pages:
        every, many = _ranges(list(range(1, page_count + 1))), page_count > 1
        return ExtractError("no_text_layer", f"{'pages' if many else 'page'} {every} (all of it) {'have' if many else 'has'} "
                                             "no text layer (the pages are images, e.g. a scan): run OCR on it (e.g. "
                                             "ocrmypdf) and extract the result")
    without = " (its other pages have no text)" if len(text_pages) < page_count else ""
    return ExtractError("no_table_found", f"no 项目支出绩效目标表 column header (项目名称 … 总计 … 绩效指标) was found on "
                                          f"page{'s' if len(text_pages) > 1 else ''} {_ranges(text_pages)}{without}: "
                                          "this PDF does not contain such a table, or prints its header in a way "
                                          "the reader cannot read; nothing was loaded from it")


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


def read(name: str, data: bytes) -> TableRead:
    """The `Layout` entry point: the default settings."""
    return read_pdf(name, data)


LAYOUT = Layout("pdf", is_pdf, read)
