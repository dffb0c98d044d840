"""What a materialization reports about one document: row counts, findings by severity, pages and lines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dagster import MetadataValue

from extract.model import ExtractedDocument, Finding

SEVERITIES = ("error", "warning", "info")


def findings_by_severity(doc: ExtractedDocument) -> dict[str, int]:
    counts = Counter(f.severity for f in doc.findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES}


def error_messages(doc: ExtractedDocument) -> list[str]:
    """Each error finding as `code: message (pages 3–4)`: what a failed run says about the document."""
    return [f"{f.code}: {f.message}" + (f" (pages {place})" if place[:1].isdigit() else f" ({place})" if place else "")
            for f in doc.findings if f.severity == "error" for place in [finding_place(f)]]


def document_metadata(doc: ExtractedDocument) -> dict[str, Any]:
    projects = doc.projects()
    by_severity = findings_by_severity(doc)
    metadata: dict[str, Any] = {
        "document_id": doc.document_id or "(unread)",
        "source_format": doc.source_format,
        "fiscal_year": MetadataValue.int(doc.fiscal_year) if doc.fiscal_year else "unknown",
        "year_source": doc.year_source,
        "units": len(doc.units),
        "projects": len(projects),
        "indicators": sum(len(p.indicators) for _, p in projects),
        "pages": doc.page_count if doc.page_count is not None else "n/a (text export)",
        "lines": doc.line_count if doc.line_count is not None else "n/a",
        "size_bytes": doc.size_bytes or 0,
        **{f"findings_{severity}": count for severity, count in by_severity.items()},
    }
    if doc.findings:
        metadata["findings"] = MetadataValue.md(findings_table(doc))
    return metadata


def finding_place(finding: Finding) -> str:
    """Where in the document a finding is: `3–4` (PDF pages), `l. 120–131` (text-export lines), or blank."""
    lineage = finding.lineage
    if lineage.pages:
        first, last = min(lineage.pages), max(lineage.pages)
        return str(first) if first == last else f"{first}–{last}"
    if lineage.line_start is not None:
        end = lineage.line_end if lineage.line_end not in (None, lineage.line_start) else None
        return f"l. {lineage.line_start}" + (f"–{end}" if end else "")
    return ""


def findings_table(doc: ExtractedDocument, limit: int = 50) -> str:
    """The findings, errors first, with the pages (or lines) each one is about."""
    ordered = sorted(doc.findings, key=lambda f: SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 3)
    rows = ["| severity | code | pages | message |", "|---|---|---|---|"]
    for f in ordered[:limit]:
        rows.append(f"| {f.severity} | {f.code} | {finding_place(f)} | {f.message.replace('|', '/')} |")
    if len(doc.findings) > limit:
        rows.append(f"| … | | | {len(doc.findings) - limit} more |")
    return "\n".join(rows)
