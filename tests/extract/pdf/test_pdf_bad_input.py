"""Unreadable PDFs: one error finding with a stable code and a sentence to act on; the others go on."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from extract import extract_path
from extract.parallel import extract_many
from tests.pdf_render import SAMPLES, VARIANTS, font_name, rendered
from tests.producers.truth import pages_named

CODES = ["encrypted", "no_text_layer", "corrupt_pdf", "no_table_found", "unmapped_glyphs"]
PAGE_CODES = {"no_text_layer", "no_table_found", "unmapped_glyphs"}  # refusals that looked at pages name them


def encrypted(good: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(good)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only(_: bytes) -> bytes:
    """A scanned-looking page: a raster and some shapes, no text layer."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4))
    image = Image.new("L", (400, 200), 255)
    image.paste(0, (20, 20, 380, 30))
    canvas.drawInlineImage(image, 36, 300, 600, 300)
    canvas.rect(36, 100, 770, 150)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def truncated(good: bytes) -> bytes:
    return good[: len(good) // 2]


def garbage_body(good: bytes) -> bytes:
    """The header and end marker of a PDF around bytes that are no PDF objects at all."""
    return good[:15] + bytes(range(256)) * 40 + b"\n%%EOF\n"


def letter(_: bytes, pages: int = 1, blank: frozenset[int] = frozenset()) -> bytes:
    """A PDF with text but no performance-target table (`blank`: page numbers left without text)."""
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for number in range(1, pages + 1):
        if number not in blank:
            canvas.setFont(font_name(VARIANTS["truetype"]), 12)
            canvas.drawString(72, 760, "尊敬的各位同事：")
            canvas.drawString(72, 740, "本周五下午召开预算工作会议，请准时出席。")
        else:
            canvas.rect(72, 700, 200, 50)  # something drawn, but no text
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def without_unicode_mapping(good: bytes) -> bytes:
    """The CID-font rendering with its fonts re-declared as Identity-H without ToUnicode, as in PDFs
    whose custom CJK fonts carry no mapping: the text extracts as (cid:NNN)."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(good)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] != "/Type0":
                continue
            font[NameObject("/Encoding")] = NameObject("/Identity-H")
            font.pop(NameObject("/ToUnicode"), None)
            for descendant in font["/DescendantFonts"]:
                info = descendant.get_object()["/CIDSystemInfo"].get_object()
                info[NameObject("/Ordering")] = TextStringObject("Identity")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


MAKERS = {
    "encrypted": ("truetype", encrypted),
    "no_text_layer": ("truetype", image_only),
    "corrupt_pdf": ("truetype", truncated),
    "no_table_found": ("truetype", letter),
    "unmapped_glyphs": ("cid", without_unicode_mapping),
}


def bad_pdf(tmp_path: Path, code: str) -> Path:
    variant, make = MAKERS[code]
    good, _ = rendered(SAMPLES[-1], VARIANTS[variant])
    path = tmp_path / f"bad_{code}.pdf"
    path.write_bytes(make(good.read_bytes()))
    return path


@pytest.mark.parametrize("code", CODES)
def test_each_bad_pdf_is_one_clear_error(tmp_path, code):
    path = bad_pdf(tmp_path, code)
    doc = extract_path(path)
    errors = [f for f in doc.findings if f.severity == "error"]
    assert [f.code for f in errors] == [code], [f.message for f in errors]
    assert errors[0].message.startswith(f"{path.name}: ")
    assert len(errors[0].message) > len(path.name) + 40  # a sentence, not a bare code
    if code in PAGE_CODES:
        assert pages_named(errors[0].message) == {1}, errors[0].message
    assert doc.source_format == "pdf" and not doc.units and doc.department_total is None


def test_no_table_found_names_the_pages_it_looked_at(tmp_path):
    """The refusal of a whole document says where the header was looked for, as page ranges."""
    path = tmp_path / "letters.pdf"
    path.write_bytes(letter(b"", pages=12, blank=frozenset({5})))
    errors = [f for f in extract_path(path).findings if f.severity == "error"]
    assert [f.code for f in errors] == ["no_table_found"]
    assert "pages 1–4, 6–12 (its other pages have no text)" in errors[0].message
    assert pages_named(errors[0].message) == set(range(1, 13)) - {5}


def test_garbage_between_header_and_end_marker_is_corrupt(tmp_path):
    good, _ = rendered(SAMPLES[-1], VARIANTS["truetype"])
    path = tmp_path / "garbage.pdf"
    path.write_bytes(garbage_body(good.read_bytes()))
    assert [f.code for f in extract_path(path).findings if f.severity == "error"] == ["corrupt_pdf"]


def test_encrypted_without_user_password_still_reads(tmp_path):
    """Owner-password-only encryption (printing/copying restrictions) opens without a password."""
    good, truth = rendered(SAMPLES[-1], VARIANTS["truetype"])
    writer = PdfWriter(clone_from=PdfReader(good))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "restricted.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    doc = extract_path(path)
    assert not doc.failed
    assert [p.name for _, p in doc.projects()] == [p["name"] for u in truth["units"] for p in u["projects"]]


def test_bad_pdfs_do_not_stop_the_others(tmp_path):
    good = [rendered(sample, VARIANTS["truetype"])[0] for sample in SAMPLES[:2]]
    paths = [bad_pdf(tmp_path, code) for code in CODES] + good
    docs = extract_many(paths, workers=2)
    assert [d.document for d in docs] == [p.name for p in paths]
    assert [next(f.code for f in d.findings if f.severity == "error") for d in docs[: len(CODES)]] == CODES
    for doc in docs[len(CODES):]:
        assert not doc.failed and doc.projects()


def test_an_unreadable_page_outside_the_table_does_not_fail_the_document(tmp_path):
    """A cover page in a font without Unicode mapping, then the readable table."""
    cid, _ = rendered(SAMPLES[-1], VARIANTS["cid"])
    good, truth = rendered(SAMPLES[-1], VARIANTS["truetype"])
    writer = PdfWriter()
    writer.add_page(PdfReader(BytesIO(without_unicode_mapping(cid.read_bytes()))).pages[0])
    writer.append(PdfReader(good))
    path = tmp_path / "cover.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    doc = extract_path(path)
    assert not doc.failed, [f.message for f in doc.findings]
    assert [p.name for _, p in doc.projects()] == [p["name"] for u in truth["units"] for p in u["projects"]]
