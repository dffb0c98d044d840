"""The fiscal year, which the tables do not print: manifest, then file name, then project names."""

from __future__ import annotations

import re

from extract.manifest import ManifestEntry
from extract.model import ExtractedDocument, Finding

FILENAME_YEAR = re.compile(r"(?<![0-9A-Za-z])(20[0-9]{2})(?=年|[^0-9A-Za-z]|$)")
# The first year a project name mentions: "2024年-2025年…" and "2024-2025年…" start in 2024; "(2023)" too.
NAME_YEAR = re.compile(r"(20[0-9]{2})\s*(?:年|[-—－~～至]|\)|）)")


def infer_from_names(names: list[str]) -> int | None:
    years = []
    for name in names:
        match = NAME_YEAR.search(name)
        if match:
            years.append(int(match.group(1)))
    return max(years) if years else None


def assign_fiscal_year(doc: ExtractedDocument, entry: ManifestEntry | None) -> None:
    if entry is not None and entry.fiscal_year:
        doc.fiscal_year, doc.year_source = entry.fiscal_year, "manifest"
        return
    match = FILENAME_YEAR.search(doc.document)
    if match:
        doc.fiscal_year, doc.year_source = int(match.group(1)), "filename"
        return
    year = infer_from_names([p.name for _, p in doc.projects()])
    if year is None:
        doc.fiscal_year, doc.year_source = None, "unknown"
        if doc.units:
            doc.findings.append(
                Finding("warning", "fiscal_year_unknown",
                        f"{doc.document}: no fiscal year in a manifest, the file name or the project names; "
                        "add the document to manifest.csv.")
            )
        return
    doc.fiscal_year, doc.year_source = year, "inferred"
    doc.findings.append(
        Finding("info", "fiscal_year_inferred",
                f"{doc.document}: fiscal year {year} inferred from the latest year its project names start with; "
                "confirm it in manifest.csv.")
    )
