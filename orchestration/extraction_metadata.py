"""What the `raw` assets report, read from the warehouse after an ingest: the whole table's rows
(``dagster/row_count``), each document's rows (``document_rows``) and, on `raw/documents`, the document's
counts and findings (the keys of `orchestration.metadata.document_metadata`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import duckdb
from dagster import AssetKey, DagsterInvariantViolationError, MetadataValue
from dagster._core.execution.context.metadata_logging import AssetMetadataHandle, OutputMetadataAccumulator

from extract.load import DocumentFile
from orchestration.constants import RAW_KEYS
from orchestration.metadata import SEVERITIES, findings_markdown, place

FINDINGS_SHOWN = 50


@dataclass
class RawMetadata:
    totals: dict[str, int]
    rows: dict[tuple[str, str], int]  # (table, document_id) → rows
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # file name → document metadata
    errors: dict[str, list[str]] = field(default_factory=dict)  # rejected document_id → "code: message"

    def of(self, table: str, file: DocumentFile) -> dict[str, Any]:
        metadata = {"dagster/row_count": self.totals[table], "document_rows": self.rows.get((table, file.document_id), 0)}
        return {**metadata, **self.documents.get(file.name, {})} if table == "documents" else metadata


def add_partition_metadata(context, entries: Iterable[tuple[AssetKey, str, Mapping[str, Any]]]) -> None:
    """`context.add_asset_metadata(metadata, asset_key=…, partition_key=…)` for each (asset, partition,
    metadata) of a ranged run, in one pass.

    Dagster's call checks the partition against the run's by reading every dynamic partition back from the
    instance, and copies the step's metadata so far: each call costs in proportion to the documents, so a
    run over N documents paid N² (35 s of a 500-document run's 60 s ingest step; hours at 10,000). Here the
    run's partitions are read once and the step's metadata is extended once, through the same accumulator
    Dagster's call extends (dagster is pinned; `tests/orchestration/test_truthful_ui.py` reads the
    per-partition metadata back from the events).
    """
    step = context.get_step_execution_context()
    targeted, merged = set(context.partition_keys), dict(step._metadata_accumulator.per_output_metadata)  # noqa: SLF001
    for asset_key, partition_key, metadata in entries:
        if partition_key not in targeted:
            raise DagsterInvariantViolationError(
                f"Attempted to add metadata for partition key '{partition_key}' that is not being targeted.")
        handle = AssetMetadataHandle(asset_key=asset_key, partition_key=partition_key)
        merged[handle] = {**merged.get(handle, {}), **metadata}
    step._metadata_accumulator = OutputMetadataAccumulator(per_output_metadata=merged)  # noqa: SLF001


def raw_metadata(con: duckdb.DuckDBPyConnection, files: list[DocumentFile]) -> RawMetadata:
    ids = sorted({f.document_id for f in files if f.document_id})
    totals, rows = {}, {}
    for table in RAW_KEYS:  # table names from RAW_KEYS, values are parameters
        totals[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        for document_id, count in con.execute(
                f"select document_id, count(*) from raw.{table} where document_id in (select unnest(?)) group by 1",
                [ids]).fetchall():
            rows[(table, document_id)] = count
    findings: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for document_id, severity, code, message, pages, line_start, line_end in con.execute(
            "select document_id, severity, code, message, pages, line_start, line_end from raw.findings "
            "where document_id in (select unnest(?)) order by document_id, finding_seq", [ids]).fetchall():
        findings[document_id].append((severity, code, place(pages, line_start, line_end), message))
    documents = {row[0]: row for row in con.execute(
        "select document_id, status, source_format, fiscal_year, year_source, unit_count, project_count, "
        "indicator_count, page_count, line_count, size_bytes from raw.documents "
        "where document_id in (select unnest(?))", [ids]).fetchall()}
    metadata = RawMetadata(totals, rows)
    for file in files:
        if (row := documents.get(file.document_id)) is not None:
            metadata.documents[file.name] = _document(row, findings[file.document_id])
            if row[1] == "rejected":
                metadata.errors[file.document_id] = [
                    f"{c}: {m}" + (f" (pages {w})" if w[:1].isdigit() else f" ({w})" if w else "")
                    for s, c, w, m in findings[file.document_id] if s == "error"]
    return metadata


def _document(row: tuple, findings: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    document_id, _, source_format, year, year_source, units, projects, indicators, pages, lines, size = row
    by_severity = Counter(severity for severity, *_ in findings)
    metadata: dict[str, Any] = {
        "document_id": document_id, "source_format": source_format,
        "fiscal_year": MetadataValue.int(year) if year else "unknown", "year_source": year_source,
        "units": units, "projects": projects, "indicators": indicators,
        "pages": pages if pages is not None else "n/a (text export)",
        "lines": lines if lines is not None else "n/a", "size_bytes": size or 0,
        **{f"findings_{severity}": by_severity.get(severity, 0) for severity in SEVERITIES},
    }
    if findings:  # with the pages (or lines) of each finding
        metadata["findings"] = MetadataValue.md(findings_markdown(findings, FINDINGS_SHOWN))
    return metadata


def document_files_of(documents, names: list[str]) -> list[DocumentFile]:
    """The run's files as the ingest takes them: name, content hash, manifest `supersedes` (the files are
    only hashed; the extraction step wrote their extracts)."""
    from extract.parallel import identify

    return identify([documents.path_of(name) for name in names])
