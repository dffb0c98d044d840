"""Completeness: a table without projects, or one that stops inside its last row (a cut-off file)."""

from __future__ import annotations

from extract.findings import finding
from extract.model import ExtractedDocument, Finding, Lineage


def completeness(doc: ExtractedDocument) -> list[Finding]:
    if not any(unit.projects for unit in doc.units):
        if doc.failed:  # already rejected, with its reason
            return []
        pages = f" on its {doc.page_count} page(s)" if doc.page_count else ""
        return [finding("no_projects", f"{doc.document}: the table has no project rows{pages}.",
                        lineage=Lineage(list(range(1, (doc.page_count or 0) + 1))))]
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
    if not (cut or tail_unparsed):
        return []
    pages = last.lineage.pages if last else []
    where = f", page{'s' if len(pages) > 1 else ''} {', '.join(map(str, pages))}" if pages else ""
    return [finding(
        "truncated_document",
        f"{doc.document}: the table stops inside its last row ({last.name if last else '?'}{where}): "
        "the file looks cut off; re-export or re-download it.",
        unit=doc.units[-1].name,
        project_seq=last.seq if last else None,
        lineage=last.lineage if last else Lineage(),
    )]
