"""Every finding code, defined once: its severity and what it means. `finding` builds one.

An ``error`` rejects the document (nothing of it reaches the marts); a ``warning`` is loaded and
reported; an ``info`` only says what the reader did. A code not listed here raises `UnknownFindingCode`.
The README's table of codes is `catalogue_markdown()` (a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.model import Finding, Lineage, Severity


@dataclass(frozen=True)
class FindingCode:
    severity: Severity
    meaning: str


CATALOGUE: dict[str, FindingCode] = {
    # The file cannot be read at all.
    "file_not_found": FindingCode("error", "the path names no file"),
    "not_a_file": FindingCode("error", "the path names a folder, not a document"),
    "unreadable_file": FindingCode("error", "the file exists but cannot be read (permissions, I/O error)"),
    "empty_file": FindingCode("error", "the file holds no text at all"),
    "not_text": FindingCode("error", "the file is binary data, neither a PDF nor a text export"),
    "undecodable_text": FindingCode("error", "the text is neither UTF-8, UTF-16 with BOM nor GB18030"),
    "encrypted": FindingCode("error", "the PDF is encrypted and cannot be opened without its password"),
    "corrupt_pdf": FindingCode("error", "the PDF is damaged or cut off and cannot be parsed"),
    "no_text_layer": FindingCode("error", "no page of the PDF has a text layer (a scan): run OCR first"),
    "unmapped_glyphs": FindingCode("error", "the PDF's fonts map most glyphs to no Unicode text"),
    "no_table_found": FindingCode("error", "no 项目支出绩效目标表 column header: not such a table"),
    "truncated_document": FindingCode("error", "the file is cut off: it ends inside a character or a row"),
    "no_projects": FindingCode("error", "the table has no project rows"),
    "reader_failure": FindingCode("error", "the reader failed unexpectedly (a bug): the message names the exception"),
    "unplaced_amount": FindingCode("error", "text holding an amount could not be placed in a row: money would be lost"),
    "row_missing_amounts": FindingCode("error", "a row prints none of the amounts its table requires"),
    "special_file": FindingCode("error", "the path names a FIFO, socket or device, not a regular file: it is not read"),
    "manifest_error": FindingCode(
        "error", "the manifest's row for this file is wrong (a year that is not a number, two rows for one file)"),
    # Raised by the loader, across documents: the document is loaded and the staging gate blocks the marts.
    "duplicate_table": FindingCode(
        "error", "another file holds the same table (unit, year and project rows): say in the manifest's "
        "`supersedes` column which one replaces the other, or remove one"),
    "duplicate_unit_year": FindingCode(
        "error", "another document holds the same unit and fiscal year: say in the manifest's `supersedes` "
        "column which one replaces the other, or remove one"),
    # Read, but something did not fit or does not add up.
    "unparsed_text": FindingCode("warning", "text that could not be placed in a field, quoted verbatim"),
    "interleaved_rows_unrecovered": FindingCode(
        "warning", "rows interleaved at a page break could not be regrouped; their text is unparsed_text"),
    "project_without_unit": FindingCode("warning", "a project row comes before any unit row"),
    "project_without_indicators": FindingCode("warning", "a project has no 绩效指标"),
    "project_without_goal": FindingCode("warning", "a project has no 绩效目标 text"),
    "row_components_mismatch": FindingCode(
        "warning", "a row's funding amounts do not sum to its printed total (or it prints no total)"),
    "unit_without_projects": FindingCode("warning", "a unit row prints amounts but no project rows follow it"),
    "unit_total_mismatch": FindingCode("warning", "a unit's projects do not sum to its printed total"),
    "unit_column_mismatch": FindingCode("warning", "a unit's projects do not sum to its printed funding column"),
    "department_total_mismatch": FindingCode("warning", "the units do not sum to the 合计 row"),
    "fiscal_year_unknown": FindingCode("warning", "no fiscal year in the manifest, the file name or the project names"),
    "unmapped_glyph": FindingCode("warning", "a few characters on a page have no Unicode mapping"),
    # What the reader did.
    "text_encoding": FindingCode("info", "the text export was decoded from an encoding other than UTF-8"),
    "page_furniture_skipped": FindingCode("info", "title and header lines repeated inside the table were skipped"),
    "pages_without_column_header": FindingCode(
        "info", "pages without a column header were read as continuations of the table"),
    "interleaved_rows_recovered": FindingCode(
        "info", "rows interleaved at a page break were regrouped, and their amounts reconcile"),
    "fiscal_year_inferred": FindingCode("info", "the fiscal year was inferred from the project names"),
    "duplicate_file": FindingCode(
        "info", "a byte-identical copy of a loaded document under another name: one document, both names recorded"),
}


class UnknownFindingCode(KeyError):
    """A finding code that is not in `CATALOGUE`: add it there, with its severity and meaning."""


def severity_of(code: str) -> Severity:
    try:
        return CATALOGUE[code].severity
    except KeyError:
        raise UnknownFindingCode(f"{code!r} is not in extract.findings.CATALOGUE") from None


def finding(
    code: str,
    message: str,
    *,
    unit: str | None = None,
    project_seq: int | None = None,
    lineage: Lineage | None = None,
    text: str | None = None,
) -> Finding:
    """A finding of `code`, with the severity the catalogue gives it."""
    return Finding(severity_of(code), code, message, unit, project_seq, lineage or Lineage(), text)


def catalogue_markdown() -> str:
    """The catalogue as the README's Markdown table."""
    lines = ["| code | severity | meaning |", "|---|---|---|"]
    lines += [f"| `{code}` | {entry.severity} | {entry.meaning} |" for code, entry in CATALOGUE.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m extract.findings: the table for the README
    print(catalogue_markdown(), end="")
