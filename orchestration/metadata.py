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


def place(pages: list[int] | None, line_start: int | None = None, line_end: int | None = None) -> str:
    """Where in the document a finding is: `3–4` (PDF pages), `l. 120–131` (text-export lines), or blank."""
    if pages:
        first, last = min(pages), max(pages)
        return str(first) if first == last else f"{first}–{last}"
    if line_start is not None:
        return f"l. {line_start}" + (f"–{line_end}" if line_end not in (None, line_start) else "")
    return ""


def finding_place(finding: Finding) -> str:
    return place(finding.lineage.pages, finding.lineage.line_start, finding.lineage.line_end)


def findings_markdown(findings: list[tuple[str, str, str, str]], limit: int = 50) -> str:
    """(severity, code, place, message) rows as a table, errors first: what the UI shows of a document."""
    rank = {severity: n for n, severity in enumerate(SEVERITIES)}
    ordered = sorted(findings, key=lambda f: rank.get(f[0], len(rank)))
    rows = ["| severity | code | pages | message |", "|---|---|---|---|"]
    rows += [f"| {s} | {c} | {where} | {m.replace('|', '/')} |" for s, c, where, m in ordered[:limit]]
    if len(findings) > limit:
        rows.append(f"| … | | | {len(findings) - limit} more |")
    return "\n".join(rows)


def findings_table(doc: ExtractedDocument, limit: int = 50) -> str:
    return findings_markdown([(f.severity, f.code, finding_place(f), f.message) for f in doc.findings], limit)
