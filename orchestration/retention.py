"""Run retention. dagster.yaml purges old sensor and schedule ticks, but Dagster keeps every run until it
is deleted; this weekly job deletes finished runs (with their event logs) older than `keep_days`."""

import datetime as dt

from dagster import (
    Config,
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
    for record in old:
        context.instance.delete_run(record.dagster_run.run_id)
    context.log.info(f"deleted {len(old)} finished runs created before {cutoff:%Y-%m-%d}")
    return len(old)


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
