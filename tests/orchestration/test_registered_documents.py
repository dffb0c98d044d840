"""A pipeline run builds its marts only from the documents it registered (issue 15, point 7)."""

from __future__ import annotations

from pathlib import Path

from extract import extract_path
from extract.load import load_documents
from orchestration.definitions import defs
from orchestration.registered import GUARDED_ASSET, check_registered, register_documents
from orchestration.resources import Warehouse
from tests.orchestration.test_orchestration import SAMPLE, SAMPLE_NAMES


def test_a_document_loaded_by_another_process_mid_run_fails_the_check(tmp_path: Path) -> None:
    warehouse = Warehouse(database=str(tmp_path / "budget.duckdb"))
    load_documents(warehouse.path, [extract_path(SAMPLE / name) for name in SAMPLE_NAMES[:2]])
    registered = register_documents(warehouse, SAMPLE_NAMES[:2])
    assert check_registered(str(registered), warehouse).passed

    load_documents(warehouse.path, [extract_path(SAMPLE / SAMPLE_NAMES[2])])  # `python -m extract --load`
    result = check_registered(str(registered), warehouse)
    assert not result.passed
    assert result.description == (
        f"1 document(s) this run did not register appeared in raw.documents ({SAMPLE_NAMES[2]}), loaded by "
        "another process during the run: the marts were not built from them; run the pipeline again")


def test_the_check_blocks_the_marts_in_the_warehouse_job() -> None:
    job = defs.resolve_job_def("warehouse_job")
    checks = {key.name: key for key in job.asset_layer.asset_graph.asset_check_keys}
    assert checks["registered_documents"].asset_key == GUARDED_ASSET
    spec = defs.resolve_asset_graph().get_check_spec(checks["registered_documents"])
    assert spec.blocking
