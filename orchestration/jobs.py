"""Jobs: one document's extraction and ingest, the warehouse build (dbt + checks), and a full rebuild."""

from dagster import AssetSelection, define_asset_job, in_process_executor

from orchestration.assets.extraction import document_extracts
from orchestration.constants import RAW_KEYS
from orchestration.dbt_project import LAYERS
from orchestration.partitions import document_partitions

WAREHOUSE_GROUPS = ("seeds", *LAYERS, "published")

document_selection = AssetSelection.assets(document_extracts, *RAW_KEYS.values())
# dbt models with their tests, the checks that gate them (raw ones included, without reloading raw), and
# the publication of the marts.
warehouse_selection = AssetSelection.groups(*WAREHOUSE_GROUPS) | AssetSelection.checks_for_assets(*RAW_KEYS.values())

document_job = define_asset_job(
    "document_job",
    selection=document_selection - AssetSelection.all_asset_checks(),
    partitions_def=document_partitions,
    # Short steps: a separate step process would cost more than the work itself. Documents run in parallel
    # as separate runs (the run queue in dagster.yaml); a ranged run's batches each extract in parallel
    # processes. `orchestration.cluster` puts the steps on other machines instead.
    executor_def=in_process_executor,
    description="Extract one document (or a range of documents) into the extraction folder, then ingest it "
    "into the raw schema.",
)

warehouse_job = define_asset_job(
    "warehouse_job",
    selection=warehouse_selection,
    tags={"budget/warehouse_build": "true"},  # one at a time: see run_queue in dagster.yaml
    description="Build the dbt layers from whatever the raw schema holds, with dbt tests and the "
    "Great Expectations gates (a blocking gate stops the next layer), then publish the marts.",
)

full_rebuild_job = define_asset_job(
    "full_rebuild_job",
    selection=AssetSelection.all(),
    partitions_def=document_partitions,
    description="Every document, then every model, check and the publication. Launch it as a backfill of "
    "all partitions: one run per document, in parallel up to the run queue's limit, then the dbt layers, "
    "gates and publication once the documents are in (`python -m orchestration.run` does the same headless "
    "in two runs).",
)
