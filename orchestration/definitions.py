"""The one `Definitions` of the budget warehouse: documents → raw → staging → intermediate → marts →
published copy."""

from dagster import Definitions, multiprocess_executor

from orchestration.assets.dbt import budget_dbt_project, dbt_layers
from orchestration.assets.extraction import document_files, raw_tables
from orchestration.assets.publish import published_marts_asset
from orchestration.checks import suite_checks
from orchestration.dbt_project import dbt_cli
from orchestration.jobs import document_job, full_rebuild_job, warehouse_job
from orchestration.resources import documents_folder, publish_folder, warehouse
from orchestration.retention import run_retention_job, weekly_run_retention
from orchestration.schedules import daily_warehouse_build
from orchestration.sensors import document_files_sensor, warehouse_refresh_sensor

marts = [key for assets_def in dbt_layers for key in assets_def.keys if key.path[0] == "marts"]
computed = [raw_tables, *dbt_layers, published_marts_asset(marts)]
asset_keys = [document_files.key, *(key for assets_def in computed for key in assets_def.keys)]

defs = Definitions(
    assets=[document_files, *computed],
    asset_checks=suite_checks(asset_keys),
    jobs=[document_job, warehouse_job, full_rebuild_job, run_retention_job],
    schedules=[daily_warehouse_build, weekly_run_retention],
    sensors=[document_files_sensor, warehouse_refresh_sensor],
    resources={
        "documents": documents_folder,
        "warehouse": warehouse,
        "publication": publish_folder,
        "dbt": dbt_cli(budget_dbt_project),
    },
    executor=multiprocess_executor,
)
