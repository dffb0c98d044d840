"""The warehouse mirrors the documents folder (issue 15, points 4-6): a removed document leaves `raw` and
the marts on the next full run; an empty, missing or badly described folder stops at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.run import PipelineStopped, main, run_pipeline
from tests.orchestration.test_orchestration import SAMPLE, SAMPLE_NAMES, copy_sample, locations  # noqa: F401


def test_a_removed_document_leaves_raw_and_the_marts(locations: tuple[Path, Path]) -> None:  # noqa: F811
    documents, warehouse = locations
    for name in SAMPLE_NAMES[2:]:
        (documents / name).unlink()
    with DagsterInstance.ephemeral() as instance:
        assert run_pipeline(instance, echo=print).ok
        (documents / SAMPLE_NAMES[1]).unlink()
        lines: list[str] = []
        report = run_pipeline(instance, echo=lines.append)
    assert report.ok and f"  withdrew {SAMPLE_NAMES[1]}: its file left {documents}" in lines
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select document_name from raw.documents").fetchall() == [(SAMPLE_NAMES[0],)]
        assert con.execute("select count(distinct document_id) from raw.projects").fetchall() == [(1,)]
        assert con.execute("select count(*) from marts.fct_project_budget").fetchall() == [(23,)]


@pytest.mark.parametrize("case", ["missing", "empty", "manifest"])
def test_a_missing_or_empty_folder_or_unusable_manifest_stops_at_once(
        case: str, locations: tuple[Path, Path], capsys: pytest.CaptureFixture) -> None:  # noqa: F811
    documents, warehouse = locations
    if case == "missing":
        shutil.rmtree(documents)
    elif case == "empty":
        for path in documents.iterdir():
            path.unlink()
    else:
        (documents / "manifest.csv").write_bytes("\ufeffname,year\n".encode())
    with DagsterInstance.ephemeral() as instance, pytest.raises(PipelineStopped):
        run_pipeline(instance, echo=print)
    assert main(["--ephemeral"]) == 2
    error = capsys.readouterr().err
    assert {"missing": "does not exist", "empty": "holds no document", "manifest": "no `file` column"}[case] in error
    assert "nothing was" in error and not warehouse.exists()
    assert not (warehouse.parent.parent / "published").exists()


def test_a_crlf_copy_fails_its_document_and_blocks_the_marts(locations: tuple[Path, Path]) -> None:  # noqa: F811
    documents, warehouse = locations
    original = documents / SAMPLE_NAMES[-1]
    (documents / "zz (copy).text").write_bytes(original.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    with DagsterInstance.ephemeral() as instance:
        report = run_pipeline(instance, echo=print)
    assert not report.ok
    assert not report.ok, report.failed_documents
    assert "holds the same table as " + SAMPLE_NAMES[-1] in report.failed_documents["zz (copy).text"], report.failed_documents
    assert "dbt_staging" in report.progress.failed_steps
    assert "dbt_marts" not in report.progress.step_seconds
    assert not (warehouse.parent.parent / "published").exists()
