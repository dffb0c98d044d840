"""What the table does not print: its fiscal year and its department.

The fiscal year comes from the manifest, else the file name, else the project names (marked
``inferred``); the department from the manifest, else a 部门名称 header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extract.findings import finding
from extract.manifest import ManifestEntry
from extract.model import ExtractedDocument, Finding
from extract.table import TableHeader

FILENAME_YEAR = re.compile(r"(?<![0-9A-Za-z])(20[0-9]{2})(?=年|[^0-9A-Za-z]|$)")
# The first year a project name mentions: "2024年-2025年…" and "2024-2025年…" start in 2024; "(2023)" too.
NAME_YEAR = re.compile(r"(20[0-9]{2})\s*(?:年|[-—－~～至]|\)|）)")


@dataclass(frozen=True)
class FiscalYear:
    year: int | None
    source: str  # manifest, filename, inferred or unknown
    findings: list[Finding] = field(default_factory=list)


def infer_from_names(names: list[str]) -> int | None:
    years = []
    for name in names:
        match = NAME_YEAR.search(name)
        if match:
            years.append(int(match.group(1)))
    return max(years) if years else None


def fiscal_year_of(doc: ExtractedDocument, entry: ManifestEntry | None) -> FiscalYear:
    if entry is not None and entry.fiscal_year:
        return FiscalYear(entry.fiscal_year, "manifest")
    match = FILENAME_YEAR.search(doc.document)
    if match:
        return FiscalYear(int(match.group(1)), "filename")
    year = infer_from_names([p.name for _, p in doc.projects()])
    if year is None:
        unknown = finding("fiscal_year_unknown",
                          f"{doc.document}: no fiscal year in a manifest, the file name or the project names; "
                          "add the document to manifest.csv.")
        return FiscalYear(None, "unknown", [unknown] if doc.units else [])
    return FiscalYear(year, "inferred", [finding(
        "fiscal_year_inferred",
        f"{doc.document}: fiscal year {year} inferred from the latest year its project names start with; "
        "confirm it in manifest.csv.",
    )])


def department_of(header: TableHeader, entry: ManifestEntry | None) -> str | None:
    if entry is not None and entry.department:
        return entry.department
    return header.name if header.label == "部门名称" else None
