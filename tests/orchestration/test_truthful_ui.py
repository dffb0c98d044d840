"""What the Dagster UI shows is what happened: every check named shortly and described with its severity, a
warning-only suite a WARN on a non-blocking check, dbt assets with row counts, losses named with their
pages; and `make dev` after `make run` finds nothing left to do (its sensors see the headless run's work).
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from dagster import (
    AssetCheckKey,
    AssetCheckSeverity,
    AssetKey,
    AssetMaterialization,
    DagsterEventType,
    EventRecordsFilter,
    SensorResult,
    SkipReason,
    build_sensor_context,
    instance_for_test,
)

from expectations.checks import suite_check
from expectations.outcome import ExpectationOutcome, ValidationOutcome
from expectations.suites import get_suite
from orchestration.checks import check_result
from orchestration.constants import RAW_KEYS
from orchestration.definitions import defs
from orchestration.metadata import findings_markdown, place
from orchestration.resources import DocumentsFolder
from orchestration.run import run_pipeline
from orchestration.sensors import document_files_sensor, recorded_hashes, warehouse_refresh_sensor
from orchestration.summary import print_summary
from tests.orchestration.test_orchestration import CORRUPT, SAMPLE, SAMPLE_NAMES


def test_every_check_has_a_description_and_a_short_readable_name() -> None:
    graph = defs.resolve_asset_graph()
    keys = graph.asset_check_keys
    assert len(keys) > 150
    for key in keys:
        spec = graph.get(key)
        assert spec.description and "No description" not in spec.description, key
        assert "severity" in spec.description, key
        assert len(key.name) <= 40 and key.asset_key.path[-1] not in key.name, key
    per_asset: dict[AssetKey, list[str]] = {}
    for key in keys:
        per_asset.setdefault(key.asset_key, []).append(key.name)
    assert all(len(names) == len(set(names)) for names in per_asset.values())

    errors = AssetCheckKey(AssetKey(["raw", "units"]), "gx_errors")
    warnings = AssetCheckKey(AssetKey(["raw", "units"]), "gx_warnings")
    assert graph.get(errors).blocking and not graph.get(warnings).blocking
    assert "warning-severity" in graph.get(warnings).description
    # a suite without warning expectations has no warnings check
    assert AssetCheckKey(AssetKey(["raw", "findings"]), "gx_warnings") not in keys
    dbt_test = graph.get(AssetCheckKey(AssetKey(["marts", "fct_project_budget"]), "accepted_range_component_count"))
    assert not dbt_test.blocking and "severity warn" in dbt_test.description


def outcome_with(*expectations: ExpectationOutcome) -> ValidationOutcome:
    return ValidationOutcome("raw_units", "raw", "raw.units", "run-1", dt.datetime(2026, 1, 1), 7, list(expectations))


def test_a_suite_failing_only_warnings_is_a_warn_on_its_non_blocking_check(tmp_path: Path) -> None:
    page = tmp_path / "validations" / "raw_units" / "page.html"
    outcome = suite_check(outcome_with(
        ExpectationOutcome("expect_column_values_to_not_be_null", "unit_name", "error", True),
        ExpectationOutcome("expect_column_values_to_be_between", "gap", "warning", False, unexpected_count=2),
    ), f"file://{tmp_path / 'index.html'}", page)
    suite = get_suite("raw_units")
    errors, warnings = check_result(suite, "error", outcome, str(page)), check_result(suite, "warning", outcome, str(page))
    assert errors.passed and errors.severity == AssetCheckSeverity.ERROR
    assert not warnings.passed and warnings.severity == AssetCheckSeverity.WARN
    assert "1 of 1 warning-severity expectations failed" in warnings.description
    assert warnings.metadata["data_docs"].value == page.as_uri()  # a link the UI opens
    assert warnings.metadata["data_docs_index"].value == (tmp_path / "index.html").as_uri()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    documents = tmp_path / "documents"
    documents.mkdir()
    for name in [*SAMPLE_NAMES, "manifest.csv"]:
        shutil.copy(SAMPLE / name, documents / name)
    (documents / CORRUPT).write_bytes((SAMPLE / SAMPLE_NAMES[0]).read_bytes()[:12001])
    for name, value in (("BUDGET_DOCUMENTS", documents), ("BUDGET_WAREHOUSE", tmp_path / "warehouse" / "budget.duckdb"),
                        ("BUDGET_PUBLISH_DIR", tmp_path / "published"), ("BUDGET_QUALITY_DOCS", tmp_path / "docs")):
        monkeypatch.setenv(name, str(value))
    monkeypatch.setenv("BUDGET_DBT_DOCS", "0")
    monkeypatch.delenv("BUDGET_DOCS_URL", raising=False)  # links stay file:// without the docs server
    return documents


def test_after_a_headless_run_the_ui_has_counts_and_losses_and_the_sensors_nothing_to_do(site: Path) -> None:
    lines: list[str] = []
    with instance_for_test() as instance:
        report = run_pipeline(instance, echo=lines.append)
        print_summary(report, 1.0, echo=lines.append)

        # dbt assets carry row counts: 90 projects in the four sample documents
        fact = instance.get_latest_materialization_event(AssetKey(["marts", "fct_project_budget"]))
        assert fact.asset_materialization.metadata["dagster/row_count"].value == 90
        seed = instance.get_latest_materialization_event(AssetKey(["seeds", "indicator_categories"]))
        assert seed.asset_materialization.metadata["dagster/row_count"].value > 0

        evaluations = {(e.asset_key, e.check_name): e for e in (
            r.event_log_entry.dagster_event.event_specific_data for r in instance.get_event_records(
                EventRecordsFilter(DagsterEventType.ASSET_CHECK_EVALUATION), limit=1000))}
        warned = evaluations[(AssetKey(["raw", "units"]), "gx_warnings")]
        assert not warned.passed and warned.severity == AssetCheckSeverity.WARN
        assert evaluations[(AssetKey(["raw", "units"]), "gx_errors")].passed
        assert warned.metadata["data_docs"].value.startswith("file://")

        # `make dev` now: the sensors' first look (no cursor yet) requests nothing
        context = build_sensor_context(instance=instance, resources={"documents": DocumentsFolder(path=str(site))})
        documents = document_files_sensor(context)
        assert not documents.run_requests, [r.partition_key for r in documents.run_requests]
        assert "5 documents unchanged" in documents.skip_reason.skip_message
        refresh = warehouse_refresh_sensor(build_sensor_context(instance=instance))
        assert isinstance(refresh, SkipReason | SensorResult)
        assert not (isinstance(refresh, SensorResult) and refresh.run_requests)

        # a document changed since the run is still picked up
        with (site / SAMPLE_NAMES[1]).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        changed = document_files_sensor(build_sensor_context(
            instance=instance, resources={"documents": DocumentsFolder(path=str(site))}))
        assert [r.partition_key for r in changed.run_requests] == [SAMPLE_NAMES[1]]

    # the summary names the lost document with its error finding's code and place
    assert f"    rejected {CORRUPT}" in lines, lines
    at = lines.index(f"    rejected {CORRUPT}")
    assert lines[at + 1].startswith("      truncated_document"), lines[at + 1]
    assert "the file ends in the middle of a character" in lines[at + 1]


def test_the_findings_table_says_where_each_finding_is() -> None:
    table = findings_markdown([("warning", "unit_total_mismatch", place(None, 120, 131), "a | b"),
                               ("error", "unplaced_amount", place([4, 3]), "12.30 on no row"),
                               ("info", "text_encoding", place(None), "GBK")])
    assert table.splitlines() == [
        "| severity | code | pages | message |", "|---|---|---|---|",
        "| error | unplaced_amount | 3–4 | 12.30 on no row |",
        "| warning | unit_total_mismatch | l. 120–131 | a / b |",
        "| info | text_encoding |  | GBK |",
    ]


def test_recorded_hashes_are_the_latest_load_of_each_document() -> None:
    with instance_for_test() as instance:
        for partition, digest in (("a.txt", "old"), ("a.txt", "new"), ("b.txt", "b1")):
            instance.report_runless_asset_event(
                AssetMaterialization(RAW_KEYS["documents"], partition=partition, metadata={"document_id": digest}))
        assert recorded_hashes(instance, ["a.txt", "c.txt"]) == {"a.txt": "new"}
