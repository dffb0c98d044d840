"""The batching SQLite storage (orchestration/event_log.py) records a ranged run exactly as Dagster's own
SQLite storage does, in a handful of writes instead of several per document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dagster import (
    AssetKey,
    AssetSpec,
    DagsterEventType,
    DagsterInstance,
    Definitions,
    DynamicPartitionsDefinition,
    EventRecordsFilter,
    MaterializeResult,
    define_asset_job,
    multi_asset,
)
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from orchestration.event_log import BatchingSqliteEventLogStorage
from orchestration.extraction_metadata import add_partition_metadata

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [f"{i:03d}_document.txt" for i in range(120)]
KEYS = [AssetKey(["raw", table]) for table in ("documents", "projects", "indicators")]
partitions = DynamicPartitionsDefinition(name="documents")


@multi_asset(specs=[AssetSpec(key) for key in KEYS], partitions_def=partitions)
def tables(context):
    add_partition_metadata(context, ((key, name, {"document_rows": i, "table": key.path[-1]})
                                     for i, name in enumerate(context.partition_keys) for key in KEYS))
    for key in KEYS:
        yield MaterializeResult(asset_key=key, metadata={"dagster/row_count": len(context.partition_keys)})


JOB = Definitions(assets=[tables], jobs=[define_asset_job("tables_job")]) \
    .resolve_job_def("tables_job")


def record(home: Path, storage: dict, monkeypatch) -> dict:
    """Run the job over every document as one ranged run, then read back what the instance holds."""
    home.mkdir()
    (home / "dagster.yaml").write_text(yaml.safe_dump({"storage": storage, "telemetry": {"enabled": False}}))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    with DagsterInstance.get() as instance:
        instance.add_dynamic_partitions(partitions.name, DOCUMENTS)
        result = JOB.execute_in_process(instance=instance, tags={
            ASSET_PARTITION_RANGE_START_TAG: DOCUMENTS[0], ASSET_PARTITION_RANGE_END_TAG: DOCUMENTS[-1]})
        assert result.success
        out = {"run": result.run_id}
        for key in KEYS:
            for kind in (DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_MATERIALIZATION_PLANNED):
                records = instance.get_event_records(EventRecordsFilter(kind, asset_key=key), ascending=True)
                out[(key, kind)] = [(r.partition_key, r.run_id) for r in records]
            out[(key, "materialized")] = instance.get_materialized_partitions(key)
            out[(key, "metadata")] = {
                r.partition_key: {k: v.value for k, v in r.asset_materialization.metadata.items()}
                for r in instance.fetch_materializations(key, limit=1000).records}
            latest = instance.get_latest_materialization_event(key)
            out[(key, "latest")] = (latest.run_id, latest.dagster_event.partition)
            (entry,) = instance.get_asset_records([key])
            out[(key, "entry")] = (entry.asset_entry.last_run_id,
                                   entry.asset_entry.last_materialization_record.partition_key)
            out[(key, "steps")] = len(instance.all_logs(result.run_id, of_type=DagsterEventType.STEP_SUCCESS))
    return out


def test_batching_storage_records_a_ranged_run_as_dagsters_sqlite_storage_does(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "50")  # several batches per asset, the last one partial
    writes = []
    original = BatchingSqliteEventLogStorage._store_run_batch
    monkeypatch.setattr(BatchingSqliteEventLogStorage, "_store_run_batch",
                        lambda self, events: (writes.append(len(events)), original(self, events))[1])
    dagsters = record(tmp_path / "dagster", {"sqlite": {"base_dir": str(tmp_path / "dagster")}}, monkeypatch)
    assert not writes
    project = yaml.safe_load((ROOT / "dagster.yaml").read_text())["storage"]
    assert project["custom"]["class"] == "BatchingSqliteStorage"
    ours = record(tmp_path / "ours", {"custom": {**project["custom"], "config": {"base_dir": str(tmp_path / "ours")}}},
                  monkeypatch)

    for key in KEYS:
        for kind in (DagsterEventType.ASSET_MATERIALIZATION, DagsterEventType.ASSET_MATERIALIZATION_PLANNED):
            order = [p for p, _ in ours[(key, kind)]]  # in the order Dagster logged them
            assert order == [p for p, _ in dagsters[(key, kind)]] and sorted(order) == DOCUMENTS
            assert {run for _, run in ours[(key, kind)]} == {ours["run"]}
        assert ours[(key, "materialized")] == dagsters[(key, "materialized")] == set(DOCUMENTS)
        assert ours[(key, "metadata")] == dagsters[(key, "metadata")]
        assert ours[(key, "metadata")][DOCUMENTS[7]] == {"document_rows": 7, "table": key.path[-1],
                                                        "dagster/row_count": len(DOCUMENTS)}
        last = ours[(key, DagsterEventType.ASSET_MATERIALIZATION)][-1][0]
        assert ours[(key, "latest")] == ours[(key, "entry")] == (ours["run"], last)
        assert dagsters[(key, "latest")] == dagsters[(key, "entry")] == (dagsters["run"], last)
        assert ours[(key, "steps")] == dagsters[(key, "steps")] == 1
    # 3 assets × 120 documents × 2 kinds of event = 720 events, written in batches of at most 50
    assert sum(writes) == 720 and max(writes) == 50 and len(writes) < 20


def test_partition_metadata_for_a_partition_outside_the_run_is_refused(tmp_path, monkeypatch) -> None:
    @multi_asset(specs=[AssetSpec(KEYS[0])], partitions_def=partitions)
    def stray(context):
        add_partition_metadata(context, [(KEYS[0], "not_in_this_run.txt", {"document_rows": 1})])
        yield MaterializeResult(asset_key=KEYS[0])

    job = Definitions(assets=[stray], jobs=[define_asset_job("stray_job")]) \
        .resolve_job_def("stray_job")
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions(partitions.name, DOCUMENTS[:3])
        with pytest.raises(Exception, match="not_in_this_run.txt.*not being targeted"):
            job.execute_in_process(instance=instance, partition_key=DOCUMENTS[0])
