"""Run retention. dagster.yaml purges old sensor and schedule ticks, but Dagster keeps every run until it
is deleted; this weekly job deletes finished runs (with their event logs) older than `keep_days`.

Deleting a run deletes its materialization events, so a run that holds the latest materialization of any
asset or partition is kept, however old: a document loaded once long ago still shows as loaded."""

import datetime as dt

from dagster import (
    AssetRecordsFilter,
    Config,
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    DefaultScheduleStatus,
    OpExecutionContext,
    RunsFilter,
    ScheduleDefinition,
    in_process_executor,
    job,
    op,
)

FINISHED = [DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]


class RetentionConfig(Config):
    keep_days: int = 90


@op
def prune_run_history(context: OpExecutionContext, config: RetentionConfig) -> int:
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=config.keep_days)
    old = context.instance.get_run_records(RunsFilter(statuses=FINISHED, created_before=cutoff))
    kept = runs_holding_latest_materializations(context.instance)
    deleted = [r.dagster_run.run_id for r in old if r.dagster_run.run_id not in kept]
    for run_id in deleted:
        context.instance.delete_run(run_id)
    context.log.info(f"deleted {len(deleted)} finished runs created before {cutoff:%Y-%m-%d}; kept "
                     f"{len(old) - len(deleted)} that hold the latest materialization of an asset or partition")
    return len(deleted)


def runs_holding_latest_materializations(instance: DagsterInstance) -> set[str]:
    """The runs whose events are the latest materialization of some asset, or of some partition of one."""
    keys = instance.get_asset_keys()
    held = {event.run_id for event in instance.get_latest_materialization_events(keys).values() if event}
    for key in keys:
        latest = instance.get_latest_storage_id_by_partition(key, DagsterEventType.ASSET_MATERIALIZATION)
        if latest:
            records = instance.fetch_materializations(
                AssetRecordsFilter(asset_key=key, storage_ids=list(latest.values())), limit=len(latest)).records
            held |= {record.run_id for record in records}
    return held


@job(executor_def=in_process_executor, description="Delete finished runs older than `keep_days` (90).")
def run_retention_job() -> None:
    prune_run_history()


weekly_run_retention = ScheduleDefinition(
    name="weekly_run_retention",
    job=run_retention_job,
    cron_schedule="0 3 * * 0",
    execution_timezone="Asia/Shanghai",
    default_status=DefaultScheduleStatus.RUNNING,
)
