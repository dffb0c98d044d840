"""Fuzzing the PDF reader with mutated renderings of the sample documents.

The seeds are the two smallest samples (002, 004) drawn by ``tests/pdf_render.py`` with an embedded
TrueType font and with the non-embedded CID font STSong-Light (cached in ``tests/.cache/``). They
are mutated at three levels:

- bytes: truncation (with and without a new end marker), bit flips, inserted, deleted and
  duplicated byte ranges, a megabyte of junk, and whole ``N 0 obj … endobj`` objects dropped,
  swapped, duplicated or renumbered, or the cross-reference table broken;
- document structure (re-written with pypdf): pages dropped, duplicated, swapped, reversed;
  page boxes and /Rotate set to odd values; fonts, their ToUnicode maps, resources or contents
  removed; a form XObject that draws itself;
- page content streams (decoded, edited, re-encoded): lines dropped, duplicated, swapped or cut,
  numbers replaced (zero, negative, huge, tiny), string operands garbled, stray operators and junk
  inserted, thousands of extra glyphs drawn.

Every mutation must give a contract-valid document (``doc.to_dict()`` against
``contracts/extracted_document.schema.json``) whose error findings are clean (one of the PDF error
codes, not ``reader_failure``; the file name in the message; no units when the document could not
be read at all): never an exception, never a hang (each read runs under an alarm that fails the
test after `SECONDS_PER_DOCUMENT`, see `time_limit`), and never silently wrong totals: when the
amounts read (as a multiset: reordered pages may legitimately reorder rows) differ from the
unmutated reading, the document failed or its non-info findings differ. The same drawing split
over two content streams, or its text drawn in another order, must read back exactly as before.

The number oracle changes one digit of one printed amount in the renderer's truth and draws the
PDF again. It holds because of how the renderer prints amounts: every project has at least one
funding column and a total, a unit row prints its printed total beside its projects' column sums,
and the 合计 row its printed total beside its units' column sums. So every printed amount takes
part in a reconciliation rule whose finding quotes it or a sum containing it: a row's funding
columns against its total (project, unit and 合计 rows), a unit's total against its projects'
totals, a unit's columns against its projects' columns, the 合计 total against the units' totals.
A changed digit moves the amount by at least 0.01, more than the 0.005 tolerance, so a finding
appears, disappears or quotes other numbers; it cannot leave them all as they were. Only amounts
that take part in such a rule are changed (`checked_amounts`): an amount no rule relates to
anything, e.g. a project total with no funding columns under a unit without a printed total,
could change silently and legitimately, and the samples have none.

CI runs FUZZ_EXAMPLES / 2 examples per test (FUZZ_EXAMPLES defaults to 40, as in the text
harness, so 20 here, 10 for the drawing order): 30-40 s for the file on 2 cores; a PDF takes about
0.3 s to read, a text export a few milliseconds. A long run (250 examples per test, ~8 minutes):

    FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/extract/pdf/test_pdf_fuzz.py -q

The last section keeps what the fuzz found as fixed regression tests.
"""

from __future__ import annotations

import copy
import faulthandler
import json
import os
import random
import re
import signal
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
)

from extract import extract_bytes
from extract.layouts.pdf.workarounds import flate as pdfminer_fix
from extract.model import ExtractedDocument
from tests.extract.conftest import SCHEMA
from tests.pdf_render import FUNDING, SAMPLES, VARIANTS, render_pdf, rendered
from tests.producers.truth import names_its_pages

EXAMPLES = max(1, int(os.environ.get("FUZZ_EXAMPLES", "40")) // 2)
SEED_SAMPLES = {s.name[:3]: s for s in SAMPLES if s.name[:3] in ("002", "004")}  # the smallest: ~0.3 s a read
SEED_VARIANTS = ("truetype", "cid")
SEEDS = [(sample, variant) for sample in sorted(SEED_SAMPLES) for variant in SEED_VARIANTS]
# A seed reads in 0.3-0.6 s on a 2-core machine, a mutated one in at most ~5 s (tens of thousands
# of glyphs piled up, a megabyte of junk): a read still running after this long is a hang.
SECONDS_PER_DOCUMENT = 30.0
# The error codes a PDF can fail with (`reader_failure`, a reader bug, is not among them).
PDF_ERRORS = {"encrypted", "corrupt_pdf", "no_text_layer", "unmapped_glyphs", "no_table_found",
              "truncated_document", "no_projects", "unplaced_amount", "row_missing_amounts"}
# Errors about what the table holds: the document was read, and is rejected with its units.
READ_BUT_REJECTED = {"truncated_document", "no_projects", "unplaced_amount", "row_missing_amounts"}
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
# No shrinking: at ~0.3 s an example it can take many minutes, and the mutations' few integers are
# readable as generated.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- the oracle ----------------------------------------------------------------------------------

class Hang(BaseException):
    """Raised by the alarm; not an `Exception`, so the reader's catch-alls cannot turn it into a finding."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `Hang` in the test if the block runs longer than `seconds`.

    The alarm interrupts Python code; a hang inside one C call (which the alarm cannot interrupt)
    is ended by faulthandler a little later, with every thread's traceback, failing the run
    instead of freezing CI.
    """
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"the reader ran for more than {seconds:.0f} s: a hang")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(2 * seconds + 10, exit=True)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        faulthandler.cancel_dump_traceback_later()


def check(name: str, data: bytes) -> ExtractedDocument:
    """Read `data`: a contract-valid document, its errors clean, in bounded time."""
    start = time.perf_counter()
    with time_limit(SECONDS_PER_DOCUMENT):
        doc = extract_bytes(name, data)
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS_PER_DOCUMENT, f"reader took {elapsed:.1f} s: a hang?"
    errors = list(VALIDATOR.iter_errors(doc.to_dict()))
    assert not errors, errors[0].message
    assert doc.source_format == "pdf"
    for finding in doc.findings:
        if finding.severity == "error":
            assert finding.code in PDF_ERRORS, finding.message
            assert finding.message.startswith(f"{name}: "), finding.message
            assert not finding.lineage.pages or names_its_pages(finding), finding.message
            if finding.code not in READ_BUT_REJECTED:
                assert not doc.units and doc.department_total is None, "an unreadable document has no units"
    return doc


def amounts_read(doc: ExtractedDocument) -> list[tuple[Any, ...]]:
    """Every amount read, with its row kind, in no particular order (pages may be reordered)."""
    def row(kind: str, a: Any) -> tuple[Any, ...]:
        return kind, a.total, a.fiscal, a.special_account, a.other

    rows = [row("total", doc.department_total)] if doc.department_total is not None else []
    for unit in doc.units:
        rows.append(row("unit", unit.amounts))
        rows += [row("project", p.amounts) for p in unit.projects]
    return sorted(rows, key=repr)


def findings(doc: ExtractedDocument) -> list[tuple[str, str]]:
    return sorted((f.code, f.message) for f in doc.findings if f.severity != "info")


def assert_no_silent_totals(doc: ExtractedDocument, before: ExtractedDocument) -> None:
    if doc.failed or amounts_read(doc) == amounts_read(before):
        return
    assert findings(doc) != findings(before), "the amounts changed but the findings are as before"


@cache
def seed(sample: str, variant: str) -> tuple[bytes, dict[str, Any]]:
    pdf, truth = rendered(SEED_SAMPLES[sample], VARIANTS[variant])
    return pdf.read_bytes(), truth


@cache
def seed_reading(sample: str, variant: str) -> ExtractedDocument:
    data, _ = seed(sample, variant)
    doc = check(f"{sample}.pdf", data)
    assert not doc.failed, findings(doc)
    return doc


def fuzz(sample: str, variant: str, data: bytes) -> ExtractedDocument:
    before = seed_reading(sample, variant)
    doc = check(f"{sample}.pdf", data)  # named as the seed: the findings compare
    assert_no_silent_totals(doc, before)
    return doc


# ---- byte mutations ------------------------------------------------------------------------------

OBJECT = re.compile(rb"(?<![0-9])\d+ \d+ obj\b.*?\bendobj\b", re.S)
JUNK_BYTES = 1_000_000


def mutate_bytes(data: bytes, kind: str, a: int, b: int, blob: bytes) -> bytes:
    n = len(data)
    i, j = a % n, b % n
    objects = list(OBJECT.finditer(data))
    first, second = objects[a % len(objects)], objects[b % len(objects)]
    if kind == "truncate":
        return data[:i]
    if kind == "truncate_keep_eof":  # cut, then given a new end marker: the xref is gone
        return data[:i] + b"\n%%EOF\n"
    if kind == "flip":
        return data[:i] + bytes([data[i] ^ (1 << (b % 8))]) + data[i + 1 :]
    if kind == "insert":
        return data[:i] + blob + data[i:]
    if kind == "delete":
        return data[:i] + data[i + 1 + b % 2000 :]
    if kind == "duplicate":
        return data[:j] + data[i : i + 1 + len(blob) * 50] + data[j:]
    if kind == "huge_junk":
        return data[:i] + blob * (JUNK_BYTES // len(blob) + 1) + data[i:]
    if kind == "drop_object":
        return data[: first.start()] + data[first.end() :]
    if kind == "swap_objects":
        x, y = sorted([first, second], key=lambda m: m.start())
        if x.start() == y.start():
            return data
        return data[: x.start()] + y.group() + data[x.end() : y.start()] + x.group() + data[y.end() :]
    if kind == "duplicate_object":
        return data[: second.start()] + first.group() + b"\n" + data[second.start() :]
    if kind == "renumber_object":
        number = re.match(rb"\d+", first.group()).group()
        return data[: first.start()] + str(int(number) + 1 + b % 50).encode() + data[first.start() + len(number) :]
    if kind == "break_xref":
        at = data.rfind(b"startxref")
        return data[:at] + b"startxref\n" + str(b % (2 * n)).encode() + b"\n%%EOF\n"
    raise AssertionError(kind)


BYTE_KINDS = ["truncate", "truncate_keep_eof", "flip", "insert", "delete", "duplicate", "huge_junk",
              "drop_object", "swap_objects", "duplicate_object", "renumber_object", "break_xref"]


@FUZZ
@given(seed_=st.sampled_from(SEEDS), kind=st.sampled_from(BYTE_KINDS),
       a=st.integers(min_value=0, max_value=10**7), b=st.integers(min_value=0, max_value=10**7),
       blob=st.binary(min_size=1, max_size=40))
def test_mutated_pdf_bytes_never_crash(seed_, kind, a, b, blob):
    data, _ = seed(*seed_)
    fuzz(*seed_, mutate_bytes(data, kind, a, b, blob))


# ---- structure mutations -------------------------------------------------------------------------

ODD_BOXES = ([0, 0, 0, 0], [0, 0, -841.89, -595.28], [500, 400, 100, 50], [0, 0, 1e6, 1e6],
             [400, 300, 1241.89, 895.28], [-1e9, -1e9, 1e9, 1e9], [0, 0, 1, 1])
ODD_ROTATIONS = (90, 180, 270, -90, 45, 7, 3600)


def _write(writer: PdfWriter) -> bytes:
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _fonts(page: Any) -> list[DictionaryObject]:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    return [f.get_object() for f in fonts.get_object().values()] if fonts is not None else []


def mutate_structure(data: bytes, kind: str, a: int, b: int) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    pages = len(writer.pages)
    i, j = a % pages, b % pages
    page = writer.pages[i]
    if kind == "drop_page":
        writer.remove_page(i)
    elif kind == "duplicate_page":
        writer.insert_page(writer.pages[i], j)
    elif kind == "swap_pages":
        kids = writer.root_object["/Pages"]["/Kids"]
        kids[i], kids[j] = kids[j], kids[i]
    elif kind == "reverse_pages":
        kids = writer.root_object["/Pages"]["/Kids"]
        kids.reverse()
    elif kind == "rotate":
        page[NameObject("/Rotate")] = NumberObject(ODD_ROTATIONS[b % len(ODD_ROTATIONS)])
    elif kind in ("media_box", "crop_box"):
        box = ArrayObject(FloatObject(v) for v in ODD_BOXES[b % len(ODD_BOXES)])
        page[NameObject("/MediaBox" if kind == "media_box" else "/CropBox")] = box
    elif kind == "drop_fonts":
        page[NameObject("/Resources")].get_object().pop(NameObject("/Font"), None)
    elif kind == "drop_to_unicode":
        for font in _fonts(page):
            font.pop(NameObject("/ToUnicode"), None)
            for descendant in font.get("/DescendantFonts", []):
                descendant.get_object().pop(NameObject("/ToUnicode"), None)
    elif kind == "drop_resources":
        page.pop(NameObject("/Resources"), None)
    elif kind == "drop_contents":
        page.pop(NameObject("/Contents"), None)
    elif kind == "null_contents":
        page[NameObject("/Contents")] = NullObject()
    elif kind == "self_drawing_form":
        # A form XObject whose content draws itself: endless recursion for a naive interpreter.
        form = DecodedStreamObject()
        form.set_data(b"/Fx Do")
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (0, 0, 100, 100))})
        ref = writer._add_object(form)
        form[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): DictionaryObject({NameObject("/Fx"): ref})})
        resources = page[NameObject("/Resources")].get_object()
        resources[NameObject("/XObject")] = DictionaryObject({NameObject("/Fx"): ref})
        _set_content(writer, page, _content(page) + b"\n/Fx Do\n")
    elif kind == "split_contents":  # the same drawing in two streams: reads exactly as before
        content = _content(page)
        cut = content.find(b"\n", a % max(len(content), 1))
        cut = len(content) if cut < 0 else cut
        parts = []
        for piece in (content[:cut], content[cut:]):
            stream = DecodedStreamObject()
            stream.set_data(piece)
            parts.append(writer._add_object(stream))
        page[NameObject("/Contents")] = ArrayObject(parts)
    else:
        raise AssertionError(kind)
    return _write(writer)


STRUCTURE_KINDS = ["drop_page", "duplicate_page", "swap_pages", "reverse_pages", "rotate", "media_box",
                   "crop_box", "drop_fonts", "drop_to_unicode", "drop_resources", "drop_contents",
                   "null_contents", "self_drawing_form", "split_contents"]


@FUZZ
@given(seed_=st.sampled_from(SEEDS), kind=st.sampled_from(STRUCTURE_KINDS),
       a=st.integers(min_value=0, max_value=10**6), b=st.integers(min_value=0, max_value=10**6))
# A rotated last page, read as no part of the table, whose many amounts the error's sentence must still show.
@example(seed_=("002", "truetype"), kind="rotate", a=1146, b=12481)
def test_mutated_pdf_structure_never_crashes(seed_, kind, a, b):
    data, _ = seed(*seed_)
    doc = fuzz(*seed_, mutate_structure(data, kind, a, b))
    if kind == "split_contents":
        assert reading(doc) == reading(seed_reading(*seed_))


# ---- content-stream mutations --------------------------------------------------------------------

NUMBER = re.compile(rb"(?<![\w.\\/])-?(?:\d+\.?\d*|\.\d+)(?![\w.])")
STRING = re.compile(rb"\((?:[^()\\]|\\.)*\)", re.S)
ODD_NUMBERS = (b"0", b"-1", b"-842", b"0.0001", b"1e5", b"99999999", b"1" + b"0" * 40, b"-" + b"9" * 400,
               b"3.4e38", b"nan", b"12.34.56")
STRAY_OPERATORS = (b"BT", b"ET", b"q", b"Q", b"Q Q Q Q", b"0 0 0 0 cm", b"1e9 0 0 1e9 0 0 cm", b"/F9 8 Tf",
                   b"/F2 0 Tf", b"/F2 -8 Tf", b"/Missing Do", b"1 0 0 1 1e9 1e9 Tm", b"(1,234.56) Tj",
                   b"[ (12) -99999999 (34) ] TJ", b"999999 Tz", b"0 Tz", b"-5 Tz", b"1e5 Tc", b"1e5 Tw",
                   b"BI /W 10 /H 10 /BPC 8 /CS /G ID \x00\x01\x02", b"Tj Tj TJ", b"[ [ [ [", b"<< /A << /B",
                   b"0 0 m 1e30 1e30 l S", b"10 10 1e-9 1e-9 re f", b"2 Tr", b"7 Tr", b"%comment")


def _content(page: Any) -> bytes:
    contents = page.get_contents()
    return b"" if contents is None else contents.get_data()


def _set_content(writer: PdfWriter, page: Any, content: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(content)
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())


def mutate_content(content: bytes, kind: str, a: int, b: int, blob: bytes) -> bytes:
    lines = content.split(b"\n")
    i, j = a % len(lines), b % len(lines)
    if kind == "drop_line":
        return b"\n".join(lines[:i] + lines[i + 1 + b % 3 :])
    if kind == "duplicate_line":
        return b"\n".join(lines[: j] + [lines[i]] + lines[j:])
    if kind == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if kind == "truncate":
        return content[: a % (len(content) + 1)]
    if kind in ("number", "string"):
        found = list((NUMBER if kind == "number" else STRING).finditer(content))
        if not found:
            return content
        match = found[a % len(found)]
        new = ODD_NUMBERS[b % len(ODD_NUMBERS)] if kind == "number" else b"(" + blob.replace(b"\\", b"") + b")"
        return content[: match.start()] + new + content[match.end() :]
    if kind == "operator":
        return b"\n".join(lines[:i] + [STRAY_OPERATORS[b % len(STRAY_OPERATORS)]] + lines[i:])
    if kind == "junk":
        at = a % (len(content) + 1)
        return content[:at] + blob * (1 + b % 2000) + content[at:]
    if kind == "many_glyphs":  # thousands of glyphs piled up in the table
        draw = b"BT /F2 8 Tf 1 0 0 1 %d %d Tm (%s) Tj ET" % (b % 800, a % 600, blob.replace(b"\\", b""))
        return b"\n".join(lines[:i] + [draw] * (200 + b % 1500) + lines[i:])
    raise AssertionError(kind)


CONTENT_KINDS = ["drop_line", "duplicate_line", "swap_lines", "truncate", "number", "string", "operator",
                 "junk", "many_glyphs"]


def _text_objects_shuffled(content: bytes, rnd: random.Random) -> bytes:
    """The page's self-contained text objects (``BT … ET`` on one line) drawn in another order."""
    lines = content.split(b"\n")
    slots = [k for k, line in enumerate(lines) if line.startswith(b"BT ") and line.endswith(b" ET")]
    texts = [lines[k] for k in slots]
    rnd.shuffle(texts)
    for slot, text in zip(slots, texts, strict=True):
        lines[slot] = text
    return b"\n".join(lines)


@FUZZ
@given(seed_=st.sampled_from(SEEDS), kind=st.sampled_from(CONTENT_KINDS), page=st.integers(min_value=0),
       a=st.integers(min_value=0, max_value=10**6), b=st.integers(min_value=0, max_value=10**6),
       blob=st.binary(min_size=1, max_size=40))
def test_mutated_page_content_never_crashes(seed_, kind, page, a, b, blob):
    data, _ = seed(*seed_)
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    target = writer.pages[page % len(writer.pages)]
    _set_content(writer, target, mutate_content(_content(target), kind, a, b, blob))
    fuzz(*seed_, _write(writer))


@settings(FUZZ, max_examples=max(1, EXAMPLES // 2))  # one kind of mutation: fewer examples
@given(seed_=st.sampled_from(SEEDS), page=st.integers(min_value=0), rnd=st.randoms(use_true_random=False))
def test_drawing_order_does_not_change_the_reading(seed_, page, rnd):
    """The text objects of a page drawn in another order: the same chars, the same reading."""
    data, _ = seed(*seed_)
    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    target = writer.pages[page % len(writer.pages)]
    _set_content(writer, target, _text_objects_shuffled(_content(target), rnd))
    doc = fuzz(*seed_, _write(writer))
    assert reading(doc) == reading(seed_reading(*seed_))


def reading(doc: ExtractedDocument) -> dict[str, Any]:
    out = doc.to_dict()
    for key in ("document", "document_id", "size_bytes"):
        out.pop(key)
    return out


# ---- the number oracle ---------------------------------------------------------------------------

def checked_amounts(truth: dict[str, Any]) -> list[tuple[dict[str, str | None], str]]:
    """(amounts, key) of every printed amount that a reconciliation rule compares with others."""
    slots: list[tuple[dict[str, str | None], str]] = []

    def row(amounts: dict[str, str | None], total_summed: bool) -> None:
        if amounts["total"] is None:
            return
        columns = [k for k in FUNDING if amounts[k] is not None]
        if columns or total_summed:  # the total against its columns, or against the rows it sums
            slots.append((amounts, "total"))
        slots.extend((amounts, k) for k in columns)  # each column against the total

    if truth["department_total"] is not None:
        row(truth["department_total"], bool(truth["units"]))
    for unit in truth["units"]:
        row(unit["amounts"], bool(unit["projects"]) or truth["department_total"] is not None)
        for project in unit["projects"]:
            row(project["amounts"], unit["amounts"]["total"] is not None)
    return slots


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf_fuzz")


@FUZZ
@given(seed_=st.sampled_from(SEEDS), which=st.integers(min_value=0), position=st.integers(min_value=0),
       digit=st.integers(min_value=0, max_value=9))
def test_a_changed_amount_never_reconciles_silently(scratch, seed_, which, position, digit):
    """Change one digit of one printed amount and draw the PDF again: a finding says so."""
    _, truth = seed(*seed_)
    truth = copy.deepcopy(truth)
    slots = checked_amounts(truth)
    amounts, key = slots[which % len(slots)]
    text = amounts[key]
    digits = [k for k, ch in enumerate(text) if ch.isdigit()]
    k = digits[position % len(digits)]
    new = str(digit) if text[k] != str(digit) else str((digit + 1) % 10)
    amounts[key] = text[:k] + new + text[k + 1 :]
    assert Decimal(amounts[key]) != Decimal(text)
    path = scratch / f"{seed_[0]}-{seed_[1]}-changed.pdf"
    render_pdf(truth, path, VARIANTS[seed_[1]])
    before, after = seed_reading(*seed_), check(f"{seed_[0]}.pdf", path.read_bytes())
    if after.failed:
        return
    assert amounts_read(after) != amounts_read(before), "the changed amount was not read"
    assert findings(after) != findings(before), f"{key} {text} -> {amounts[key]} reconciled exactly as before"


# ---- what the fuzz found -------------------------------------------------------------------------

@pytest.mark.parametrize("lost", ["label", "label_and_total"])
def test_a_total_row_that_lost_its_label_is_not_silent(scratch, lost):
    """The 合计 row without its label (and total) reads as a nameless unit no project follows: its
    amounts would be counted twice, and no rule checked them. (Found by dropping two content lines.)"""
    truth = copy.deepcopy(seed("004", "truetype")[1])
    amounts = truth.pop("department_total") | ({"total": None} if lost == "label_and_total" else {})
    truth["department_total"] = None
    truth["units"].insert(0, {"name": "", "amounts": amounts, "projects": []})
    path = scratch / f"004-{lost}.pdf"
    render_pdf(truth, path, VARIANTS["truetype"])
    doc = check("004.pdf", path.read_bytes())
    assert [(u.name, len(u.projects)) for u in doc.units][0] == ("", 0)
    codes = {f.code for f in doc.findings if f.severity == "warning"}
    assert "unit_without_projects" in codes
    assert ("row_components_mismatch" in codes) == (lost == "label_and_total")


def _corrupted_streams() -> list[bytes]:
    rng = random.Random(7)
    raw = bytes(rng.choice(b"0123456789,. \n") for _ in range(100_000))
    good = zlib.compress(raw)
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x10
    return [good[:-2] + b"\x00\x00", good[: len(good) // 2], bytes(flipped),
            good[:500] + rng.randbytes(3000) + good[500:], good + rng.randbytes(100)]


@pytest.mark.parametrize("data", _corrupted_streams(), ids=["checksum", "cut", "flip", "junk_inside", "junk_after"])
def test_damaged_flate_streams_recover_as_pdfminer_does(data):
    def outcome(decompress):
        try:
            return decompress(data)
        except zlib.error as exc:
            return str(exc)

    assert outcome(pdfminer_fix.decompress_corrupted) == outcome(pdfminer_fix.PDFMINER_DECOMPRESS_CORRUPTED)


def test_a_damaged_multi_megabyte_stream_recovers_in_linear_time():
    """pdfminer's own recovery feeds zlib a byte at a time into a growing bytes: minutes for 2 MB."""
    rng = random.Random(7)
    raw = bytes(rng.choice(b"0123456789,. \n") for _ in range(4_000_000))
    data = zlib.compress(raw)[:-2] + b"\x00\x00"  # a bad checksum: every byte goes the slow way
    start = time.perf_counter()
    assert pdfminer_fix.decompress_corrupted(data) == raw
    assert time.perf_counter() - start < 5
