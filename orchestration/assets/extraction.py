"""Document files → the `raw` tables: one dynamic partition per document file, extracted and loaded.

A run covers one document (sensor, UI) or a consecutive range of them (`orchestration.run`). A ranged run
extracts its documents in parallel worker processes. DuckDB admits one writing process per file: the
load queues on the warehouse's lock file (and retries while dbt holds the database), so extraction in
concurrent runs stays parallel while their writes take turns.
"""

from collections.abc import Iterator

from dagster import AssetExecutionContext, AssetSpec, Failure, MaterializeResult, multi_asset

from extract.load import EXTRACTOR_VERSION, RAW_TABLES, LoadReport, load_document
from extract.model import ExtractedDocument
from extract.parallel import extract_many
from orchestration.constants import RAW_KEYS
from orchestration.metadata import document_metadata, error_messages
from orchestration.partitions import document_partitions
from orchestration.resources import DocumentsFolder, Warehouse

document_files = AssetSpec(
    "document_files",
    description="The budget documents (项目支出绩效目标表, text exports or PDFs) in the documents folder; "
    "one partition per file, named after it. Watched by `document_files_sensor`.",
    partitions_def=document_partitions,
    group_name="sources",
    kinds={"file"},
)


@multi_asset(
    specs=[
        AssetSpec(key, description=f"`raw.{table}` in the DuckDB warehouse: the {table} of every loaded "
                  "document, written in one transaction per document.",
                  deps=[document_files], kinds={"python", "duckdb"}, code_version=EXTRACTOR_VERSION)
        for table, key in RAW_KEYS.items()
    ],
    partitions_def=document_partitions,
    group_name="raw",
)
def raw_tables(
    context: AssetExecutionContext, documents: DocumentsFolder, warehouse: Warehouse
) -> Iterator[MaterializeResult]:
    """Extract each document of the run into units, projects, indicators and findings, and load it into
    the `raw` schema, replacing an earlier version of the same file. A document with an error finding is
    recorded as rejected, with its findings, and fails the run with the finding's message."""
    keys = context.partition_keys
    docs = dict(zip(keys, extract_many([documents.path_of(key) for key in keys]), strict=True))
    report = LoadReport()
    with warehouse.writer() as con:
        for doc in docs.values():
            load_document(con, doc, report)
        rows = _rows_by_document(con, [doc.document_id for doc in docs.values()])
    failed = {key: message for key, doc in docs.items() if (message := _failure_message(doc, report))}
    if failed:
        only = len(docs) == 1
        raise Failure(
            description=next(iter(failed.values())) if only else
            f"{len(failed)} of {len(docs)} documents failed: " + " | ".join(failed.values()),
            metadata={**(document_metadata(next(iter(docs.values()))) if only else {}),
                      "failed_documents": sorted(failed)},
        )
    for key, doc in docs.items():
        outcome = next(n for n in ("loaded", "replaced", "unchanged", "aliased") if doc.document in getattr(report, n))
        for table, asset_key in RAW_KEYS.items():
            metadata = {"dagster/row_count": rows.get((table, doc.document_id), 0), "load": outcome}
            if table == "documents":
                metadata.update(document_metadata(doc))
            context.add_asset_metadata(metadata, asset_key=asset_key, partition_key=key)
    for asset_key in RAW_KEYS.values():
        yield MaterializeResult(asset_key=asset_key)


def _failure_message(doc: ExtractedDocument, report: LoadReport) -> str | None:
    if doc.document in report.failed:
        return f"{doc.document}: loading failed: {report.failed[doc.document]}"
    if doc.document in report.duplicates:  # loaded, and the staging gate keeps it from the marts
        return report.duplicates[doc.document]
    return "; ".join(error_messages(doc)) or None


def _rows_by_document(con, document_ids: list[str]) -> dict[tuple[str, str], int]:
    rows: dict[tuple[str, str], int] = {}
    for table in RAW_TABLES:  # table names come from RAW_TABLES, values are parameters
        for document_id, count in con.execute(
            f"select document_id, count(*) from raw.{table} where list_contains(?, document_id) group by 1",
            [document_ids],
        ).fetchall():
            rows[(table, document_id)] = count
    return rows
