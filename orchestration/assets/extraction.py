"""Document files → the extraction folder → the `raw` tables: one dynamic partition per document file.

Two steps, so that the expensive one needs no warehouse:

* `document_extracts` reads the documents of the run and writes each one's extract (Parquet per raw
  table, `extract.extracts`) into the extraction folder (``BUDGET_EXTRACTS``). It takes no lock and is in
  no pool: the run's documents are split into batches (`DynamicOut`), one step each, so an executor that
  spreads steps over machines (`orchestration.cluster`) spreads the reading; on one machine each batch is
  read by a process per core. A document whose extract is there already is only hashed.
* `raw_tables` ingests the run's extracts into `raw` in one transaction (`extract.load.ingest`), in the
  `duckdb_warehouse` pool: a short step, whatever the number of documents.
"""

from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetIn,
    AssetSpec,
    Config,
    DynamicOut,
    DynamicOutput,
    Failure,
    In,
    MaterializeResult,
    Nothing,
    OpExecutionContext,
    Out,
    graph_asset,
    multi_asset,
    op,
)

from extract.load import EXTRACTOR_VERSION, DocumentFile, LoadReport, ingest
from extract.parallel import extract_to_folder
from orchestration.constants import RAW_KEYS, WAREHOUSE_POOL
from orchestration.extraction_metadata import add_partition_metadata, document_files_of, raw_metadata
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


class BatchConfig(Config):
    documents_per_batch: int = 500  # one extraction step per batch: the unit an executor spreads


@op(ins={"files": In(Nothing)}, out=DynamicOut(list[str]))
def document_batches(context: OpExecutionContext, config: BatchConfig) -> Iterator[DynamicOutput]:
    """The run's documents, in batches of `documents_per_batch`."""
    keys, size = context.partition_keys, max(1, config.documents_per_batch)
    for start in range(0, len(keys), size):
        yield DynamicOutput(keys[start:start + size], mapping_key=f"batch_{start // size}")


@op
def extracted_batch(documents: DocumentsFolder, names: list[str]) -> list[DocumentFile]:
    """Read a batch of documents and write their extracts (no warehouse, no lock)."""
    return extract_to_folder([documents.path_of(name) for name in names], documents.extracts)


@op(ins={"batches": In(list[list[DocumentFile]])}, out=Out(Nothing))
def extracts_written(context: AssetExecutionContext, batches: list[list[DocumentFile]]) -> None:
    """Every batch written: each document's extract, by partition."""
    add_partition_metadata(context, ((document_extracts.key, file.name, {"document_id": file.document_id or "(unread)"})
                                     for batch in batches for file in batch))


@graph_asset(
    partitions_def=document_partitions,
    group_name="raw",
    kinds={"python", "parquet"},
    ins={"files": AssetIn(document_files.key, dagster_type=Nothing)},
    description="The extraction folder ($BUDGET_EXTRACTS, default `extracts` beside the warehouse): each document's units, "
    "projects, indicators and findings as Parquet, one folder per content (sha256) and extractor version, "
    "written once. Needs no warehouse, so batches of documents can be read on other machines.",
)
def document_extracts(files):
    return extracts_written(document_batches(files).map(extracted_batch).collect())


@multi_asset(
    specs=[
        AssetSpec(key, description=f"`raw.{table}` in the DuckDB warehouse: the {table} of every loaded "
                  "document, ingested from the extraction folder in one transaction per run.",
                  deps=[document_extracts], kinds={"python", "duckdb"},
                  code_version=EXTRACTOR_VERSION)
        for table, key in RAW_KEYS.items()
    ],
    partitions_def=document_partitions,
    group_name="raw",
    pool=WAREHOUSE_POOL,
)
def raw_tables(
    context: AssetExecutionContext, documents: DocumentsFolder, warehouse: Warehouse
) -> Iterator[MaterializeResult]:
    """Ingest the extracts of the run's documents into the `raw` schema, replacing an earlier version of the
    same file. A document with an error finding is recorded as rejected, with its findings, and fails the run
    with the finding's message. Metadata: `dagster/row_count` is the whole table's rows, `document_rows`
    the document's."""
    keys = context.partition_keys
    files = document_files_of(documents, keys)
    with warehouse.writer() as con:
        report = ingest(con, documents.extracts, files)
        metadata = raw_metadata(con, files)
    failed = {file.name: message for file in files if (message := _failure_message(file, report, metadata))}
    if failed:
        only = len(files) == 1
        raise Failure(
            description=next(iter(failed.values())) if only else
            f"{len(failed)} of {len(files)} documents failed: " + " | ".join(failed.values()),
            metadata={**(metadata.documents.get(files[0].name, {}) if only else {}),
                      "failed_documents": sorted(failed)},
        )
    outcomes = {file.name: next(n for n in ("loaded", "replaced", "unchanged", "aliased")
                                if file.name in getattr(report, n)) for file in files}
    add_partition_metadata(context, ((asset_key, file.name, {**metadata.of(table, file), "load": outcomes[file.name]})
                                     for file in files for table, asset_key in RAW_KEYS.items()))
    for asset_key in RAW_KEYS.values():
        yield MaterializeResult(asset_key=asset_key)


def _failure_message(file: DocumentFile, report: LoadReport, metadata) -> str | None:
    if file.name in report.failed:
        return f"{file.name}: loading failed: {report.failed[file.name]}"
    if file.name in report.duplicates:  # loaded, and the staging gate keeps it from the marts
        return report.duplicates[file.name]
    return "; ".join(file.errors or metadata.errors.get(file.document_id, [])) or None
