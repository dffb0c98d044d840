"""The document run's two steps: batches of documents extracted into the extraction folder (fanned out, no
warehouse), then one ingest into `raw` reporting table totals and each document's rows."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from dagster import AssetKey, DagsterEventType, DagsterInstance
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from orchestration.definitions import defs

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def run_documents(instance: DagsterInstance, names: list[str], per_batch: int):
    config = {"ops": {"document_extracts": {"ops": {"document_batches": {"config": {
        "documents_per_batch": per_batch}}}}}}
    return defs.resolve_job_def("document_job").execute_in_process(
        run_config=config, instance=instance, raise_on_error=True,
        tags={ASSET_PARTITION_RANGE_START_TAG: names[0], ASSET_PARTITION_RANGE_END_TAG: names[-1]})


def test_batches_fan_out_then_one_ingest_reports_table_totals(tmp_path, monkeypatch):
    documents = shutil.copytree(SAMPLE, tmp_path / "documents")
    monkeypatch.setenv("BUDGET_DOCUMENTS", str(documents))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("BUDGET_EXTRACTS", str(tmp_path / "extracts"))
    names = sorted(p.name for p in documents.glob("*.txt"))
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("documents", names)
        result = run_documents(instance, names, per_batch=3)
        steps = {e.step_key for e in result.all_events if e.event_type == DagsterEventType.STEP_SUCCESS}
        assert {"document_extracts.extracted_batch[batch_0]", "document_extracts.extracted_batch[batch_1]",
                "raw_tables"} <= steps
        assert len([p for p in (tmp_path / "extracts").iterdir() if p.name != ".writing"]) == 4
        projects = {e.partition: e.event_specific_data.materialization.metadata
                    for e in result.all_events if e.event_type == DagsterEventType.ASSET_MATERIALIZATION
                    and e.asset_key == AssetKey(["raw", "projects"])}
        assert {m["dagster/row_count"].value for m in projects.values()} == {90}  # the whole table
        assert sum(m["document_rows"].value for m in projects.values()) == 90  # each document's own

        before = {p: p.stat().st_mtime_ns for p in (tmp_path / "extracts").rglob("*")}
        again = run_documents(instance, names, per_batch=10)  # nothing new: nothing written, nothing ingested
        outcomes = {e.event_specific_data.materialization.metadata["load"].value for e in again.all_events
                    if e.event_type == DagsterEventType.ASSET_MATERIALIZATION and e.asset_key.path[0] == "raw"}
        assert outcomes == {"unchanged"}
        assert {p: p.stat().st_mtime_ns for p in (tmp_path / "extracts").rglob("*")} == before
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("select count(*) from raw.indicators").fetchone() == (660,)
    con.close()
