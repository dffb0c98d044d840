"""One file in, one `ExtractedDocument` out. Unreadable input becomes an error finding, never an exception."""

from __future__ import annotations

import hashlib
from pathlib import Path

from extract import failpoints
from extract.builder import build_units
from extract.errors import ExtractError
from extract.fiscal_year import assign_fiscal_year
from extract.layouts import layout_for
from extract.manifest import ManifestEntry, load_manifest
from extract.model import ExtractedDocument, Finding, Lineage

TEXT_SUFFIXES = (".txt", ".text", ".tsv", ".csv")
DOCUMENT_SUFFIXES = (".pdf", *TEXT_SUFFIXES)


def extract_path(path: str | Path, manifest: dict[str, ManifestEntry] | None = None) -> ExtractedDocument:
    path = Path(path)
    doc = ExtractedDocument(document=path.name, document_id="", source_format=_format_of(path), source_path=str(path))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _failed(doc, "file_not_found", f"{path}: no such file")
    except IsADirectoryError:
        return _failed(doc, "not_a_file", f"{path}: is a directory, not a document")
    except OSError as exc:
        return _failed(doc, "unreadable_file", f"{path}: cannot be read ({exc.strerror})")
    if manifest is None:
        manifest = load_manifest(path.parent)
    return extract_bytes(path.name, data, manifest.get(path.name), doc)


def extract_bytes(
    name: str, data: bytes, entry: ManifestEntry | None = None, doc: ExtractedDocument | None = None
) -> ExtractedDocument:
    if doc is None:
        doc = ExtractedDocument(document=name, document_id="", source_format="text")
    doc.document_id = hashlib.sha256(data).hexdigest()
    doc.size_bytes = len(data)
    failpoints.reached("extract.document")
    layout = layout_for(name, data)
    doc.source_format = "pdf" if layout.name == "pdf" else "text"
    try:
        table = layout.read(name, data)
        doc.title, doc.header_label, doc.header_name, doc.currency_unit = (
            table.header.title, table.header.label, table.header.name, table.header.currency)
        doc.page_count, doc.line_count = table.page_count, table.line_count
        doc.findings.extend(table.findings)
        build_units(doc, table.rows)
    except ExtractError as exc:
        doc.units, doc.department_total = [], None
        return _failed(doc, exc.code, f"{name}: {exc.message}")
    except Exception as exc:  # a reader bug must not stop the other documents
        doc.units, doc.department_total = [], None
        return _failed(doc, "reader_failure", f"{name}: the reader failed unexpectedly ({type(exc).__name__}: {exc})")
    assign_fiscal_year(doc, entry)
    if entry is not None and entry.department:
        doc.department = entry.department
    elif doc.header_label == "部门名称":
        doc.department = doc.header_name
    _check_complete(doc)
    return doc


def _check_complete(doc: ExtractedDocument) -> None:
    """A document cut off part-way reads as a table that stops inside its last row."""
    if not doc.units or not any(u.projects for u in doc.units):
        if not doc.failed:
            doc.findings.append(Finding("error", "no_projects", f"{doc.document}: the table has no project rows."))
        return
    last = doc.units[-1].projects[-1] if doc.units[-1].projects else None
    # Every indicator cell of a complete table ends with its closing 。; a cut-off file stops before it.
    cut = last is not None and (
        not last.indicators
        or not last.indicators[-1].annual_value
        or not last.indicators[-1].source_text.endswith("。")
    )
    tail_unparsed = any(
        f.code == "unparsed_text" and f.project_seq == (last.seq if last else None) for f in doc.findings
    )
    if cut or tail_unparsed:
        doc.findings.append(
            Finding(
                "error",
                "truncated_document",
                f"{doc.document}: the table stops inside its last row ({last.name if last else '?'}): "
                "the file looks cut off; re-export or re-download it.",
                doc.units[-1].name,
                last.seq if last else None,
                last.lineage if last else Lineage(),
            )
        )


def _failed(doc: ExtractedDocument, code: str, message: str) -> ExtractedDocument:
    doc.findings.append(Finding("error", code, message))
    return doc


def _format_of(path: Path) -> str:
    return "pdf" if path.suffix.lower() == ".pdf" else "text"


def document_paths(paths: list[str | Path]) -> list[Path]:
    """Files named, and the documents inside folders named (sorted; the manifest is not a document).

    A symlink in a folder that points outside it is not followed.
    """
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            root = p.resolve()
            out += sorted(
                f for f in p.iterdir()
                if f.is_file() and f.suffix.lower() in DOCUMENT_SUFFIXES and f.name != "manifest.csv"
                and f.resolve().is_relative_to(root)
            )
        else:
            out.append(p)
    return out


def document_in_folder(folder: str | Path, name: str) -> Path:
    """The document called `name` inside `folder`; a name that would lead outside it is refused."""
    root = Path(folder).resolve()
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise ValueError(f"{name!r} is not a plain file name inside {root}")
    path = root / name
    if not path.resolve().is_relative_to(root):
        raise ValueError(f"{name!r} leads outside the documents folder {root}")
    return path
