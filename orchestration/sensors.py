"""Automation: new or changed documents start their own runs; the warehouse is rebuilt once they settle.

Both sensors also take what the instance already records as done, so the first look after a headless run
(`make run`, then `make dev`) finds nothing to do: a document whose content hash is the one its latest load
recorded (or its latest failed run, for a rejected one) is not run again, and the warehouse is not rebuilt
when a warehouse build started after the latest document load.
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from dagster import (
    AssetObservation,
    AssetRecordsFilter,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)
from dagster._core.storage.tags import PARTITION_NAME_TAG

from orchestration.assets.extraction import document_files
from orchestration.constants import RAW_KEYS
from orchestration.jobs import document_job, warehouse_job
from orchestration.partitions import document_partitions
from orchestration.resources import DocumentsFolder

IN_FLIGHT = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
             DagsterRunStatus.STARTED]


@dataclass(frozen=True)
class FolderChanges:
    """How the documents folder differs from the last look, by file name → sha256 of the content."""

    new: dict[str, str]
    changed: dict[str, str]
    removed: list[str]

    @property
    def to_run(self) -> dict[str, str]:
        return {**self.new, **self.changed}


def content_hashes(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def folder_changes(previous: dict[str, str], current: dict[str, str]) -> FolderChanges:
    return FolderChanges(
        new={name: digest for name, digest in current.items() if name not in previous},
        changed={name: digest for name, digest in current.items() if previous.get(name, digest) != digest},
        removed=sorted(set(previous) - set(current)),
    )


def recorded_hashes(instance: DagsterInstance, names: list[str]) -> dict[str, str]:
    """The content hash (`document_id`, a sha256) each document had when the instance last processed it:
    from its latest `raw/documents` materialization, else from the failure of its latest failed run."""
    key = RAW_KEYS["documents"]
    latest = instance.get_latest_storage_id_by_partition(key, DagsterEventType.ASSET_MATERIALIZATION, set(names))
    records = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=key, storage_ids=list(latest.values())), limit=len(latest)).records if latest else []
    hashes = {}
    for record in records:
        value = record.asset_materialization.metadata.get("document_id")
        if value is not None:
            hashes[record.partition_key] = str(getattr(value, "value", value))
    for name in (n for n in names if n not in hashes):
        failed = instance.get_runs(RunsFilter(job_name=document_job.name, statuses=[DagsterRunStatus.FAILURE],
                                              tags={PARTITION_NAME_TAG: name}), limit=1)
        for run in failed:
            for entry in instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_FAILURE):
                failure = entry.dagster_event.step_failure_data.user_failure_data
                value = failure.metadata.get("document_id") if failure else None
                if value is not None:
                    hashes[name] = str(getattr(value, "value", value))
    return hashes


@sensor(job=document_job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
def document_files_sensor(context: SensorEvaluationContext, documents: DocumentsFolder) -> SensorResult:
    """Watches the documents folder. A new file gets a partition and a run, a changed file (new content
    hash) a run; an unchanged file nothing; a removed file is reported (its partition and rows stay). A file
    the instance has already processed with this content (a headless run, say) counts as unchanged."""
    previous: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = content_hashes(documents.document_files())
    unseen = [name for name, digest in current.items() if previous.get(name) != digest]
    done = recorded_hashes(context.instance, unseen) if unseen else {}
    changes = folder_changes({**previous, **done}, current)
    known = set(context.instance.get_dynamic_partitions(document_partitions.name))
    unregistered = [name for name in current if name not in known]
    events = [
        AssetObservation(document_files.key, partition=name, metadata={"change": change, "sha256": digest})
        for change, files in (("new", changes.new), ("changed", changes.changed))
        for name, digest in files.items()
    ]
    for name in changes.removed:
        context.log.warning(f"{name} was removed from {documents.root}; its partition and warehouse rows stay.")
        events.append(AssetObservation(document_files.key, partition=name, metadata={"change": "removed"}))
    runs = [RunRequest(partition_key=name, run_key=f"{name}@{digest}", tags={"budget/sha256": digest})
            for name, digest in changes.to_run.items()]
    return SensorResult(
        run_requests=runs,
        skip_reason=None if runs else SkipReason(
            f"{len(current)} documents unchanged" + (f", {len(changes.removed)} removed" if changes.removed else "")),
        cursor=json.dumps(current, sort_keys=True),
        dynamic_partitions_requests=[document_partitions.build_add_request(unregistered)] if unregistered else [],
        asset_events=events,
    )


@sensor(job=warehouse_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.RUNNING)
def warehouse_refresh_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    """Builds the warehouse once after a burst of document loads: when `raw` has new materializations and
    no document run is still queued or running (so many documents lead to one dbt build, not many)."""
    latest = context.instance.fetch_materializations(RAW_KEYS["documents"], limit=1).records
    if not latest:
        return SkipReason("no document has been loaded yet")
    storage_id = latest[0].storage_id
    if context.cursor and storage_id <= int(context.cursor):
        return SkipReason("no document loaded since the last warehouse build")
    built = context.instance.get_run_records(RunsFilter(job_name=warehouse_job.name), limit=1)
    if built and built[0].create_timestamp.timestamp() >= latest[0].timestamp:
        return SensorResult(cursor=str(storage_id), skip_reason=SkipReason(
            f"the warehouse was built (run {built[0].dagster_run.run_id[:8]}) after the latest document load"))
    waiting = context.instance.get_runs_count(RunsFilter(job_name=document_job.name, statuses=IN_FLIGHT))
    if waiting:
        return SkipReason(f"waiting for {waiting} document runs to finish")
    return SensorResult(run_requests=[RunRequest(run_key=f"raw@{storage_id}")], cursor=str(storage_id))
