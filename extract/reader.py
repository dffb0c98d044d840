"""One file in, one `ExtractedDocument` out: the only impure step of extraction.

It reads the bytes, picks the layout (`extract.layouts`), and composes the pure steps: the layout's
table rows become units and projects (`extract.document`), checks add their findings
(`extract.checks`), and the fiscal year and department are filled in (`extract.unprinted`).
Unreadable input becomes an error finding, never an exception.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import replace
from pathlib import Path

from extract import failpoints
from extract.checks.completeness import completeness
from extract.checks.reconcile import reconcile
from extract.document import rows_to_units
from extract.errors import ExtractError
from extract.findings import finding
from extract.layouts import layout_for
from extract.manifest import ManifestEntry, load_manifest
from extract.model import ExtractedDocument, Finding
from extract.table import TableRead
from extract.unprinted import department_of, fiscal_year_of

TEXT_SUFFIXES = (".txt", ".text", ".tsv", ".csv")
DOCUMENT_SUFFIXES = (".pdf", *TEXT_SUFFIXES)


def extract_path(path: str | Path, manifest: dict[str, ManifestEntry] | None = None) -> ExtractedDocument:
    """The document in the file at `path`; `manifest`: the entries of its folder (read from there if None)."""
    path = Path(path)
    unread = ExtractedDocument(document=path.name, document_id="", source_format=_format_of(path),
                               source_path=str(path))
    try:
        if _is_special(path):  # a FIFO would block the read for ever
            return _with_findings(unread, [finding(
                "special_file", f"{path}: is a FIFO, socket or device, not a regular file: not read")])
        data = path.read_bytes()
    except OSError as exc:
        return _with_findings(unread, [_unreadable(path, exc)])
    if manifest is None:
        manifest = load_manifest(path.parent)
    return extract_bytes(path.name, data, manifest.get(path.name), source_path=str(path))


def extract_bytes(
    name: str, data: bytes, entry: ManifestEntry | None = None, *, source_path: str | None = None
) -> ExtractedDocument:
    """bytes -> layout -> table rows -> document -> checks. A file that cannot be read becomes an error finding."""
    failpoints.reached("extract.document")
    layout = layout_for(name, data)
    doc = ExtractedDocument(document=name, document_id=hashlib.sha256(data).hexdigest(),
                            source_format="pdf" if layout.name == "pdf" else "text",
                            size_bytes=len(data), source_path=source_path)
    try:
        table = layout.read(name, data)
        doc = _with_table(doc, table)
        doc = _with_findings(doc, reconcile(doc))
    except ExtractError as exc:
        return _with_findings(doc, [finding(exc.code, f"{name}: {exc.message}")])
    except Exception as exc:  # a reader bug must not stop the other documents
        return _with_findings(replace(doc, units=[], department_total=None), [finding(
            "reader_failure", f"{name}: the reader failed unexpectedly ({type(exc).__name__}: {exc})")])
    if entry is not None and entry.problems:
        doc = _with_findings(doc, [finding("manifest_error", problem) for problem in entry.problems])
    year = fiscal_year_of(doc, entry)
    doc = _with_findings(replace(doc, fiscal_year=year.year, year_source=year.source,
                                 department=department_of(table.header, entry)), year.findings)
    return _with_findings(doc, completeness(doc))


def _with_table(doc: ExtractedDocument, table: TableRead) -> ExtractedDocument:
    """The document with what the layout read: header, size, units and projects, and their findings."""
    contents = rows_to_units(table.rows, table.header)
    header = table.header
    return replace(
        doc, title=header.title, header_label=header.label, header_name=header.name, currency_unit=header.currency,
        page_count=table.page_count, line_count=table.line_count,
        units=contents.units, department_total=contents.department_total,
        department_components=contents.department_components, indicator_format=contents.indicator_format,
        findings=[*doc.findings, *table.findings, *contents.findings],
    )


def _with_findings(doc: ExtractedDocument, findings: list[Finding]) -> ExtractedDocument:
    return replace(doc, findings=[*doc.findings, *findings]) if findings else doc


def _unreadable(path: Path, exc: OSError) -> Finding:
    if isinstance(exc, FileNotFoundError):
        return finding("file_not_found", f"{path}: no such file")
    if isinstance(exc, IsADirectoryError):
        return finding("not_a_file", f"{path}: is a directory, not a document")
    return finding("unreadable_file", f"{path}: cannot be read ({exc.strerror})")


def _is_special(path: Path) -> bool:
    mode = path.stat().st_mode
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _format_of(path: Path) -> str:
    return "pdf" if path.suffix.lower() == ".pdf" else "text"


def document_paths(paths: list[str | Path]) -> list[Path]:
    """Files named, and the documents inside folders named (sorted; the manifest is not a document).

    A symlink in a folder that points outside it is not followed. A FIFO, socket or device named like a
    document is listed, so that reading it yields its `special_file` finding (it is never opened).
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            root = p.resolve()
            out += sorted(
                f for f in p.iterdir()
                if (f.is_file() or _is_special_entry(f)) and f.suffix.lower() in DOCUMENT_SUFFIXES and f.name != "manifest.csv"
                and f.resolve().is_relative_to(root)
            )
        else:
            out.append(p)
    return out


def _is_special_entry(path: Path) -> bool:
    try:
        return _is_special(path)
    except OSError:
        return False


def document_in_folder(folder: str | Path, name: str) -> Path:
    """The document called `name` inside `folder`; a name that would lead outside it is refused."""
    root = Path(folder).resolve()
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"{name!r} is not a plain file name inside {root}")
    path = root / name
    if not path.resolve().is_relative_to(root):
        raise ValueError(f"{name!r} leads outside the documents folder {root}")
    return path
