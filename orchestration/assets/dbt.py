"""The dbt models as assets: one definition per layer (staging with the seeds, intermediate, marts), so a
blocking check on one layer's tables stops the next layer from building."""

import json
from collections.abc import Iterator
from typing import Any

import duckdb
from dagster import AssetExecutionContext, AssetsDefinition, Output
from dagster_dbt import DagsterDbtCliRuntimeError, DbtCliResource, DbtProject, dbt_assets

from extract import failpoints
from orchestration.constants import WAREHOUSE_POOL
from orchestration.dbt_checks import with_short_test_names
from orchestration.dbt_project import (
    LAYERS,
    dbt_environment,
    keep_partial_parse,
    translator,
)
from orchestration.resources import Warehouse

LAYER_SELECTION = {
    "staging": "path:models/staging resource_type:seed",
    "intermediate": "path:models/intermediate",
    "marts": "path:models/marts",
}


def dbt_layers(project: DbtProject) -> list[AssetsDefinition]:
    """One asset definition per layer that has models, from the project's (prepared) manifest."""
    manifest: dict[str, Any] = with_short_test_names(json.loads(project.manifest_path.read_text()))
    return [dbt_layer_assets(project, manifest, layer) for layer in LAYERS if _has_models(manifest, layer)]


def with_row_counts(context: AssetExecutionContext, events: list[Any], warehouse: Warehouse) -> Iterator[Any]:
    """The layer's events, each model's and seed's output with `dagster/row_count`. Counted once dbt has
    exited: DuckDB lets no other process open the file while dbt writes it (read-only included)."""
    tables = {event.output_name: context.assets_def.keys_by_output_name[event.output_name]
              for event in events if isinstance(event, Output)}
    counts: dict[str, int] = {}
    if tables:
        with warehouse.get_connection(read_only=True) as con:
            for output, key in tables.items():
                schema, name = key.path[-2:]
                try:  # names come from the manifest; quoted as identifiers
                    counts[output] = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()[0]
                except duckdb.Error:
                    pass  # not built (a failed model): no count
    for event in events:
        if isinstance(event, Output) and event.output_name in counts:
            event = event.with_metadata({**event.metadata, "dagster/row_count": counts[event.output_name]})
        yield event


def _has_models(manifest: dict[str, Any], layer: str) -> bool:
    return any(node["resource_type"] == "model" and node["fqn"][1:2] == [layer]
               for node in manifest["nodes"].values())


def dbt_layer_assets(project: DbtProject, manifest: dict[str, Any], layer: str) -> AssetsDefinition:
    @dbt_assets(
        manifest=manifest,
        project=project,
        select=LAYER_SELECTION[layer],
        name=f"dbt_{layer}",
        dagster_dbt_translator=translator,
        pool=WAREHOUSE_POOL,
    )
    def _layer(context: AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse) -> Iterator[Any]:
        """`dbt build` of one layer: its models and their tests, into the DuckDB warehouse."""
        with dbt_environment(warehouse.path) as parse_cache:
            invocation = dbt.cli(["build"], context=context)
        events, failure = [], None
        try:
            for event in invocation.stream():
                events.append(event)
                failpoints.reached(f"dbt.{layer}")
        except DagsterDbtCliRuntimeError as exc:  # what was built before the failure is still reported
            failure = exc
        yield from with_row_counts(context, events, warehouse)
        if failure:
            raise failure
        keep_partial_parse(invocation.target_path, parse_cache)

    return _layer
