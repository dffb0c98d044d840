"""The dbt models as assets: one definition per layer (staging with the seeds, intermediate, marts), so a
blocking check on one layer's tables stops the next layer from building."""

import json
from collections.abc import Iterator
from typing import Any

from dagster import AssetExecutionContext, AssetsDefinition
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from extract import failpoints
from orchestration.constants import WAREHOUSE_POOL
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
    manifest: dict[str, Any] = json.loads(project.manifest_path.read_text())
    return [dbt_layer_assets(project, manifest, layer) for layer in LAYERS if _has_models(manifest, layer)]


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
        for event in invocation.stream():
            yield event
            failpoints.reached(f"dbt.{layer}")
        keep_partial_parse(invocation.target_path, parse_cache)

    return _layer
