"""Document files → extracted documents → the `raw` tables, one dynamic partition per document file.

A run covers one document (sensor, UI) or a range of them (`orchestration.run`); a ranged run extracts
its documents in parallel worker processes. Loading writes DuckDB, which admits one writing process per
file, so the load step is in the `duckdb_warehouse` pool (limit 1, see dagster.yaml) and also queues on
the warehouse's lock file.
"""

from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Failure,
    MaterializeResult,
    asset,
    multi_asset,
)

from extract.load import EXTRACTOR_VERSION, RAW_TABLES, LoadReport, load_document
from extract.model import ExtractedDocument
from extract.parallel import extract_many
from orchestration.metadata import document_metadata, error_messages
from orchestration.partitions import document_partitions
from orchestration.resources import DocumentsFolder, Warehouse

WAREHOUSE_POOL = "duckdb_warehouse"
RAW_KEYS = {table: AssetKey(["raw", table]) for table in RAW_TABLES}

document_files = AssetSpec(
    "document_files",
    description="The budget documents (项目支出绩效目标表, text exports or PDFs) in the documents folder; "
    "one partition per file, named after it. Watched by `document_files_sensor`.",
    partitions_def=document_partitions,
    group_name="sources",
    kinds={"file"},
)


@asset(
    deps=[document_files],
    partitions_def=document_partitions,
    group_name="extraction",
    kinds={"python"},
    code_version=EXTRACTOR_VERSION,
    io_manager_key="extraction_store",
)
def extracted_documents(context: AssetExecutionContext, documents: DocumentsFolder) -> dict[str, ExtractedDocument]:
    """Each document parsed into its budget units, projects and performance indicators, with findings
    for whatever did not read cleanly (an unreadable document is one error finding, not an exception)."""
    keys = context.partition_keys
    docs = dict(zip(keys, extract_many([documents.path_of(key) for key in keys]), strict=True))
    for key, doc in docs.items():
        for message in error_messages(doc):
            context.log.error(message)
        context.add_asset_metadata(document_metadata(doc), partition_key=key)
    return docs


@multi_asset(
    specs=[
        AssetSpec(key, description=f"`raw.{table}` in the DuckDB warehouse: the {table} of every loaded "
                  "document, written in one transaction per document.",
                  deps=[extracted_documents], kinds={"python", "duckdb"}, code_version=EXTRACTOR_VERSION)
        for table, key in RAW_KEYS.items()
    ],
    partitions_def=document_partitions,
    group_name="raw",
    pool=WAREHOUSE_POOL,
)
def raw_tables(
    context: AssetExecutionContext, extracted_documents: dict[str, ExtractedDocument], warehouse: Warehouse
) -> Iterator[MaterializeResult]:
    """Load extracted documents into the `raw` schema, replacing earlier versions of the same files. A
    document with an error finding is recorded as rejected, with its findings, and fails the run."""
    report = LoadReport()
    with warehouse.writer() as con:
        for doc in extracted_documents.values():
            load_document(con, doc, report)
        rows = _rows_by_document(con, [doc.document_id for doc in extracted_documents.values()])
    bad = {key: _failure_message(doc, report) for key, doc in extracted_documents.items()}
    bad = {key: message for key, message in bad.items() if message}
    if bad:
        only = len(extracted_documents) == 1
        raise Failure(
            description=next(iter(bad.values())) if only else
            f"{len(bad)} of {len(extracted_documents)} documents failed: " + " | ".join(bad.values()),
            metadata={**(document_metadata(next(iter(extracted_documents.values()))) if only else {}),
                      "failed_documents": sorted(bad)},
        )
    for key, doc in extracted_documents.items():
        outcome = next(n for n in ("loaded", "replaced", "unchanged") if doc.document in getattr(report, n))
        context.log.info(f"{key}: {outcome}")
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
