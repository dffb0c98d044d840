"""Retention that keeps history (issue 15, point 9): the weekly job never deletes the run that holds the
latest materialization of a partition, so a document loaded once long ago still shows as loaded."""

from __future__ import annotations

import datetime as dt

from dagster import (
    AssetKey,
    DagsterRunStatus,
    DynamicPartitionsDefinition,
    asset,
    materialize,
)
from dagster._core.test_utils import create_run_for_test, instance_for_test

from orchestration.retention import run_retention_job

documents = DynamicPartitionsDefinition(name="documents")


@asset(partitions_def=documents)
def raw_documents() -> None:
    """Stands in for raw/documents: one partition per document file."""


def backdate(instance, run_id: str, days: int) -> None:
    """Move a run's creation `days` into the past (Dagster stamps runs with the current time)."""
    then = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
    with instance.run_storage.connect() as con:
        from dagster._core.storage.runs.schema import RunsTable

        con.execute(RunsTable.update().where(RunsTable.c.run_id == run_id).values(create_timestamp=then))


def test_a_document_loaded_once_long_ago_still_shows_as_loaded() -> None:
    with instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", ["old.txt", "new.txt"])
        runs = {}
        for name, key in (("old_first", "old.txt"), ("old_again", "old.txt"), ("new", "new.txt")):
            runs[name] = materialize([raw_documents], instance=instance, partition_key=key).run_id
        runs["empty"] = create_run_for_test(instance, job_name="document_job", status=DagsterRunStatus.SUCCESS).run_id
        for name in ("old_first", "old_again", "empty"):
            backdate(instance, runs[name], days=200)

        result = run_retention_job.execute_in_process(instance=instance)

        assert result.output_for_node("prune_run_history") == 2
        assert instance.get_run_by_id(runs["old_first"]) is None and instance.get_run_by_id(runs["empty"]) is None
        assert instance.get_run_by_id(runs["old_again"]) is not None  # holds old.txt's latest load
        assert instance.get_materialized_partitions(AssetKey("raw_documents")) == {"old.txt", "new.txt"}
