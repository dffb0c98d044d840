"""What a materialization reports about one document: row counts, findings by severity, pages and lines."""

from __future__ import annotations

from collections import Counter
from typing import Any

from dagster import MetadataValue

from extract.model import ExtractedDocument

SEVERITIES = ("error", "warning", "info")


def findings_by_severity(doc: ExtractedDocument) -> dict[str, int]:
    counts = Counter(f.severity for f in doc.findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES}


def error_messages(doc: ExtractedDocument) -> list[str]:
    return [f"{f.code}: {f.message}" for f in doc.findings if f.severity == "error"]


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


def findings_table(doc: ExtractedDocument, limit: int = 50) -> str:
    rows = ["| severity | code | message |", "|---|---|---|"]
    for f in doc.findings[:limit]:
        rows.append(f"| {f.severity} | {f.code} | {f.message.replace('|', '/')} |")
    if len(doc.findings) > limit:
        rows.append(f"| … | | {len(doc.findings) - limit} more |")
    return "\n".join(rows)
