"""The one `Definitions` of the budget warehouse: documents → raw → staging → intermediate → marts →
published copy."""

from dagster import Definitions

from orchestration.assets.dbt import dbt_layers
from orchestration.assets.extraction import document_extracts, document_files, raw_tables
from orchestration.assets.publish import published_marts_asset
from orchestration.checks import suite_checks
from orchestration.cluster.selection import on_executor, selected_executor
from orchestration.dbt_project import dbt_cli, prepared_project
from orchestration.jobs import document_job, full_rebuild_job, warehouse_job
from orchestration.registered import registered_documents
from orchestration.resources import documents_folder, publish_folder, warehouse
from orchestration.retention import run_retention_job, weekly_run_retention
from orchestration.schedules import daily_warehouse_build
from orchestration.sensors import document_files_sensor, warehouse_refresh_sensor


def build_definitions() -> Definitions:
    """The definitions, with the dbt manifest parsed first when it is missing or stale."""
    dbt_project = prepared_project()
    layers = dbt_layers(dbt_project)
    marts = [key for assets_def in layers for key in assets_def.keys if key.path[0] == "marts"]
    computed = [document_extracts, raw_tables, *layers, published_marts_asset(marts)]
    asset_keys = [document_files.key, *(key for assets_def in computed for key in assets_def.keys)]
    executor = selected_executor()  # one machine, unless $BUDGET_EXECUTOR=dask (orchestration/cluster)
    jobs, schedules, sensors = on_executor(
        executor, [document_job, warehouse_job, full_rebuild_job, run_retention_job],
        [daily_warehouse_build, weekly_run_retention], [document_files_sensor, warehouse_refresh_sensor])
    return Definitions(
        assets=[document_files, *computed],
        asset_checks=[*suite_checks(asset_keys), registered_documents],
        jobs=jobs,
        schedules=schedules,
        sensors=sensors,
        resources={
            "documents": documents_folder,
            "warehouse": warehouse,
            "publication": publish_folder,
            "dbt": dbt_cli(dbt_project),
        },
        executor=executor,
    )


# The code location Dagster loads (`dagster dev -m orchestration.definitions`, `orchestration.run`).
defs = build_definitions()
