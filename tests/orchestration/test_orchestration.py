"""The Dagster orchestration: definitions and lineage, the whole graph on the sample corpus (with a corrupt
document beside it), the documents sensor, a blocking check stopping the next layer, bad input.

Every run goes to a temporary warehouse and an ephemeral (or temporary) Dagster instance.
"""

import json
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
from dagster import (
    AssetCheckKey,
    AssetKey,
    AssetMaterialization,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    SensorResult,
    SkipReason,
    build_sensor_context,
    instance_for_test,
)
from dagster._core.test_utils import create_run_for_test

from extract.load import load_documents
from extract.parallel import extract_many
from extract.reader import document_paths
from orchestration.constants import RAW_KEYS, WAREHOUSE_POOL
from orchestration.definitions import defs
from orchestration.orphans import PROCESS_TAG, fail_orphaned_runs, process_identity
from orchestration.resources import DocumentsFolder
from orchestration.retention import run_retention_job
from orchestration.run import run_pipeline, stretches
from orchestration.sensors import document_files_sensor, warehouse_refresh_sensor

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
SAMPLE_NAMES = sorted(p.name for p in SAMPLE.glob("0*.txt"))
CORRUPT = "999_cut_off.txt"


def copy_sample(folder: Path, names: list[str] = SAMPLE_NAMES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in [*names, "manifest.csv"]:
        shutil.copy(SAMPLE / name, folder / name)
    return folder


def write_corrupt(folder: Path) -> None:
    """A document cut off in the middle of a multi-byte character, as an interrupted download leaves it."""
    (folder / CORRUPT).write_bytes((SAMPLE / SAMPLE_NAMES[0]).read_bytes()[:12001])


@pytest.fixture
def locations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    documents, warehouse = copy_sample(tmp_path / "documents"), tmp_path / "warehouse" / "budget.duckdb"
    monkeypatch.setenv("BUDGET_DOCUMENTS", str(documents))
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("BUDGET_PUBLISH_DIR", str(tmp_path / "published"))
    monkeypatch.setenv("BUDGET_QUALITY_DOCS", str(tmp_path / "quality_docs"))
    return documents, warehouse


def step_events(result, event_type: DagsterEventType) -> dict[str, object]:
    return {e.step_key: e for e in result.all_events if e.event_type == event_type}


# --- definitions -------------------------------------------------------------------------------------------

def test_definitions_load_with_unbroken_lineage() -> None:
    graph = defs.resolve_asset_graph()
    parents = {key: set(graph.get(key).parent_keys) for key in graph.get_all_asset_keys()}
    assert parents[AssetKey("document_extracts")] == {AssetKey("document_files")}
    assert all(parents[key] == {AssetKey("document_extracts")} for key in RAW_KEYS.values())
    assert AssetKey(["raw", "projects"]) in parents[AssetKey(["staging", "stg_budget__projects"])]
    marts = [key for key in parents if key.path[0] == "marts"]
    assert marts and all(graph.get(key).group_name == "marts" for key in marts)
    facts = [key for key in marts if key.path[1].startswith("fct_")]
    assert facts
    for mart in facts:  # every fact table reaches a document file through raw
        seen, todo = set(), [mart]
        while todo:
            key = todo.pop()
            seen.add(key)
            todo += [p for p in parents.get(key, ()) if p not in seen]
        assert {AssetKey("document_files"), AssetKey(["raw", "documents"])} <= seen, mart

    groups = {graph.get(key).group_name for key in parents}
    assert {"sources", "raw", "seeds", "staging", "intermediate", "marts"} <= groups
    assert graph.get(AssetKey(["raw", "projects"])).kinds >= {"python", "duckdb"}
    assert "dbt" in graph.get(AssetKey(["staging", "stg_budget__projects"])).kinds

    checks = graph.asset_check_keys
    assert graph.get(AssetCheckKey(AssetKey(["raw", "projects"]), "gx_errors")).blocking
    assert not graph.get(AssetCheckKey(AssetKey(["raw", "projects"]), "gx_warnings")).blocking
    assert AssetCheckKey(AssetKey(["staging", "stg_budget__projects"]), "not_null_project_id") in checks, "dbt tests"

    assert {j.name for j in defs.resolve_all_job_defs()} >= {"document_job", "warehouse_job", "full_rebuild_job"}
    assert defs.resolve_sensor_def("document_files_sensor") and defs.resolve_schedule_def("daily_warehouse_build")


def test_a_partition_key_never_leads_outside_the_documents_folder(tmp_path: Path) -> None:
    folder = DocumentsFolder(path=str(tmp_path / "documents"))
    (tmp_path / "documents").mkdir()
    assert folder.path_of("a b's.txt") == tmp_path / "documents" / "a b's.txt"
    for key in ("../secret.txt", "..", "sub/../../x.txt", "/etc/passwd"):
        with pytest.raises(ValueError, match="documents folder|plain file name"):
            folder.path_of(key)


def test_stretches_are_consecutive_runs_of_wanted_partitions() -> None:
    order = ["a", "b", "c", "d", "e"]
    assert stretches(order, {"a", "b", "d", "e"}) == [["a", "b"], ["d", "e"]]
    assert stretches(order, {"c"}) == [["c"]]
    assert stretches(order, set()) == []


# --- the whole graph -----------------------------------------------------------------------------------------

def test_whole_graph_on_the_sample_with_a_corrupt_document(locations: tuple[Path, Path]) -> None:
    documents, warehouse = locations
    write_corrupt(documents)
    lines: list[str] = []
    with DagsterInstance.ephemeral() as instance:
        report = run_pipeline(instance, echo=lines.append)
        loaded = instance.get_materialized_partitions(AssetKey(["raw", "projects"]))
        latest = instance.fetch_materializations(AssetKey(["raw", "projects"]), limit=10).records

    # the corrupt document fails alone, with the finding's message; the others go on to the marts
    assert set(report.failed_documents) == {CORRUPT}
    assert "the file ends in the middle of a character" in report.failed_documents[CORRUPT]
    assert loaded == set(SAMPLE_NAMES)
    assert {r.partition_key for r in latest} == set(SAMPLE_NAMES)
    assert all(r.asset_materialization.metadata["dagster/row_count"].value > 0 for r in latest)
    assert not report.progress.blocking_failures, report.progress.failed_checks
    assert set(report.progress.failed_steps) == {"raw_tables"}  # the corrupt document's run
    assert {"dbt_staging", "dbt_intermediate", "dbt_marts", "gx_raw_gate", "gx_marts_gate",
            "published_marts"} <= set(report.progress.step_seconds)
    assert report.progress.checks_run > 50
    assert any(line.startswith(f"    {SAMPLE_NAMES[0]}: 23 projects") for line in lines)
    assert "  running 1 failed document(s) on their own" in lines

    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = dict(con.execute("select document_name, status from raw.documents").fetchall())
        projects = con.execute("select count(*) from marts.fct_project_budget").fetchone()[0]
    assert status == {**dict.fromkeys(SAMPLE_NAMES, "loaded"), CORRUPT: "rejected"}
    assert projects == 90  # 23 + 28 + 23 + 16 projects in the four sample documents
    with duckdb.connect(str(warehouse.parent.parent / "published" / "marts.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from fct_project_budget").fetchone()[0] == 90


# --- automation ----------------------------------------------------------------------------------------------

def evaluate(instance: DagsterInstance, folder: Path, cursor: str | None) -> SensorResult:
    context = build_sensor_context(instance=instance, cursor=cursor,
                                   resources={"documents": DocumentsFolder(path=str(folder))})
    result = document_files_sensor(context)
    for request in result.dynamic_partitions_requests or []:  # what the daemon does with them
        instance.add_dynamic_partitions("documents", list(request.partition_keys))
    return result


def changes(result: SensorResult) -> dict[str, str]:
    return {e.partition: e.metadata["change"].value for e in result.asset_events}


def test_document_sensor_on_new_changed_unchanged_and_removed_files(tmp_path: Path) -> None:
    folder = copy_sample(tmp_path / "docs", SAMPLE_NAMES[:2])
    with instance_for_test() as instance:
        first = evaluate(instance, folder, None)
        assert {r.partition_key for r in first.run_requests} == set(SAMPLE_NAMES[:2])
        assert set(instance.get_dynamic_partitions("documents")) == set(SAMPLE_NAMES[:2])
        assert set(json.loads(first.cursor)) == set(SAMPLE_NAMES[:2])  # the manifest is not a document

        unchanged = evaluate(instance, folder, first.cursor)
        assert not unchanged.run_requests and isinstance(unchanged.skip_reason, SkipReason)
        assert unchanged.cursor == first.cursor

        with (folder / SAMPLE_NAMES[0]).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        shutil.copy(SAMPLE / SAMPLE_NAMES[2], folder / SAMPLE_NAMES[2])
        changed = evaluate(instance, folder, unchanged.cursor)
        assert {r.partition_key for r in changed.run_requests} == {SAMPLE_NAMES[0], SAMPLE_NAMES[2]}
        assert changes(changed) == {SAMPLE_NAMES[0]: "changed", SAMPLE_NAMES[2]: "new"}
        first_keys = {r.run_key for r in first.run_requests}
        assert not first_keys & {r.run_key for r in changed.run_requests}  # new content, new run key
        assert SAMPLE_NAMES[2] in instance.get_dynamic_partitions("documents")

        (folder / SAMPLE_NAMES[1]).unlink()
        removed = evaluate(instance, folder, changed.cursor)
        assert not removed.run_requests
        assert "1 removed" in removed.skip_reason.skip_message
        assert changes(removed) == {SAMPLE_NAMES[1]: "removed"}
        assert SAMPLE_NAMES[1] not in json.loads(removed.cursor)


def test_warehouse_refresh_waits_for_document_runs_then_builds_once() -> None:
    with instance_for_test() as instance:
        context = build_sensor_context(instance=instance)
        assert isinstance(warehouse_refresh_sensor(context), SkipReason)

        instance.report_runless_asset_event(
            AssetMaterialization(RAW_KEYS["documents"], partition="a.txt"))
        create_run_for_test(instance, job_name="document_job", status=DagsterRunStatus.STARTED)
        waiting = warehouse_refresh_sensor(build_sensor_context(instance=instance))
        assert isinstance(waiting, SkipReason) and "waiting for 1 document run" in waiting.skip_message

        for run in instance.get_runs():
            instance.report_run_failed(run)
        build = warehouse_refresh_sensor(build_sensor_context(instance=instance))
        assert isinstance(build, SensorResult) and len(build.run_requests) == 1
        again = warehouse_refresh_sensor(build_sensor_context(instance=instance, cursor=build.cursor))
        assert isinstance(again, SkipReason)


def test_run_retention_deletes_finished_runs_only() -> None:
    with instance_for_test() as instance:
        finished = create_run_for_test(instance, job_name="document_job", status=DagsterRunStatus.SUCCESS)
        running = create_run_for_test(instance, job_name="document_job", status=DagsterRunStatus.STARTED)
        result = run_retention_job.execute_in_process(
            instance=instance, run_config={"ops": {"prune_run_history": {"config": {"keep_days": 0}}}})
        assert result.output_for_node("prune_run_history") == 1
        assert instance.get_run_by_id(finished.run_id) is None
        assert instance.get_run_by_id(running.run_id) is not None


# --- bad input and blocking checks ---------------------------------------------------------------------------

def test_corrupt_document_fails_its_own_partition_only(locations: tuple[Path, Path]) -> None:
    documents, warehouse = locations
    write_corrupt(documents)
    job = defs.resolve_job_def("document_job")
    names = [*SAMPLE_NAMES[:2], CORRUPT]
    with DagsterInstance.ephemeral() as instance:
        instance.add_dynamic_partitions("documents", names)
        results = {n: job.execute_in_process(partition_key=n, instance=instance, raise_on_error=False)
                   for n in names}
        assert [n for n, r in results.items() if r.success] == SAMPLE_NAMES[:2]
        failure = step_events(results[CORRUPT], DagsterEventType.STEP_FAILURE)["raw_tables"]
        message = failure.event_specific_data.user_failure_data.description
        assert message.startswith("truncated_document: 999_cut_off.txt: the file ends in the middle")
        assert instance.get_materialized_partitions(AssetKey(["raw", "documents"])) == set(SAMPLE_NAMES[:2])

        # a ranged run over the three fails, naming the corrupt document only
        ranged = job.execute_in_process(instance=instance, raise_on_error=False, tags={
            "dagster/asset_partition_range_start": names[0], "dagster/asset_partition_range_end": names[-1]})
        description = step_events(ranged, DagsterEventType.STEP_FAILURE)["raw_tables"] \
            .event_specific_data.user_failure_data.description
        assert description.startswith("1 of 3 documents failed") and CORRUPT in description
        assert SAMPLE_NAMES[0] not in description

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rejected = con.execute("select d.status, f.code from raw.documents d join raw.findings f using "
                               "(document_id) where d.document_name = ? and f.severity = 'error'",
                               [CORRUPT]).fetchall()
    assert rejected == [("rejected", "truncated_document")]


def test_blocking_check_failure_stops_the_next_layer(locations: tuple[Path, Path]) -> None:
    documents, warehouse = locations
    load_documents(warehouse, extract_many(document_paths([documents]), workers=1))
    with duckdb.connect(str(warehouse)) as con:  # a year no budget table can have: an error expectation
        con.execute("update raw.documents set fiscal_year = 1800 where document_name = ?", [SAMPLE_NAMES[0]])

    with DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("warehouse_job").execute_in_process(instance=instance, raise_on_error=False)
        staging_materialized = instance.get_latest_materialization_event(
            AssetKey(["staging", "stg_budget__documents"]))

    assert not result.success
    failures = step_events(result, DagsterEventType.STEP_FAILURE)
    assert set(failures) == {"gx_raw_gate"}
    assert "blocking asset check" in failures["gx_raw_gate"].event_specific_data.error.message
    evaluations = {(e.event_specific_data.asset_key, e.event_specific_data.check_name): e.event_specific_data
                   for e in result.all_events if e.event_type == DagsterEventType.ASSET_CHECK_EVALUATION}
    documents_check = evaluations[(AssetKey(["raw", "documents"]), "gx_errors")]
    assert not documents_check.passed and documents_check.severity.value == "ERROR"
    assert documents_check.metadata["failed_errors"].value >= 1
    started = step_events(result, DagsterEventType.STEP_START)
    assert "dbt_staging" not in started and "published_marts" not in started
    assert staging_materialized is None


def test_runs_left_started_by_a_dead_pipeline_process_are_failed_and_free_their_slot() -> None:
    sleeper = subprocess.Popen(["sleep", "30"])
    dead_identity = process_identity(sleeper.pid)
    sleeper.kill()
    sleeper.wait()
    with instance_for_test() as instance:
        storage = instance.event_log_storage
        storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
        dead = create_run_for_test(instance, job_name="warehouse_job", status=DagsterRunStatus.STARTED,
                                   tags={PROCESS_TAG: dead_identity})
        alive = create_run_for_test(instance, job_name="warehouse_job", status=DagsterRunStatus.STARTED,
                                    tags={PROCESS_TAG: process_identity()})
        elsewhere = create_run_for_test(instance, job_name="warehouse_job", status=DagsterRunStatus.STARTED,
                                        tags={PROCESS_TAG: "another-host/boot/1/1"})
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, dead.run_id, "dbt_marts").is_claimed
        assert not storage.claim_concurrency_slot(WAREHOUSE_POOL, alive.run_id, "dbt_marts").is_claimed

        assert fail_orphaned_runs(instance) == [dead.run_id]
        assert instance.get_run_by_id(dead.run_id).status == DagsterRunStatus.FAILURE
        assert {instance.get_run_by_id(r.run_id).status for r in (alive, elsewhere)} == {DagsterRunStatus.STARTED}
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, alive.run_id, "dbt_marts").is_claimed
        assert fail_orphaned_runs(instance) == []
