"""Which executor the definitions use: one machine by default, the Dask cluster with $BUDGET_EXECUTOR=dask."""

from __future__ import annotations

import os
from collections.abc import Sequence

from dagster import ExecutorDefinition, ScheduleDefinition, SensorDefinition, multiprocess_executor
from dagster._record import copy

from orchestration.cluster.settings import AUTOMATION, EXECUTOR


def selected_executor() -> ExecutorDefinition:
    """$BUDGET_EXECUTOR=dask: every step on the Dask cluster at $BUDGET_DASK_SCHEDULER (`make cluster`);
    unset: one machine, with no other service."""
    choice = os.environ.get(EXECUTOR, "").strip().lower()
    if choice in ("", "multiprocess"):
        return multiprocess_executor
    if choice == "dask":
        from orchestration.cluster.executor import dask_cluster_executor

        return dask_cluster_executor
    raise ValueError(f"${EXECUTOR} is {choice!r}: leave it unset (one machine) or set it to dask")


def on_executor(executor: ExecutorDefinition, jobs: Sequence, schedules: Sequence[ScheduleDefinition],
                sensors: Sequence[SensorDefinition]) -> tuple[list, list, list]:
    """The asset jobs, and the schedules and sensors that start them, with their steps on `executor`
    whatever executor a job names (a document run's single in-process step included). On one machine
    everything is returned as it is. $BUDGET_AUTOMATION=off leaves the sensors and schedules out: a
    deployment that runs only what is submitted to it (the distributed test)."""
    if os.environ.get(AUTOMATION, "").strip().lower() in ("off", "0", "false", "no"):
        schedules, sensors = [], []
    if executor is multiprocess_executor:
        return list(jobs), list(schedules), list(sensors)
    moved = {job.name: copy(job, executor_def=executor) for job in jobs if hasattr(job, "selection")}
    return (
        [moved.get(job.name, job) for job in jobs],
        [s.with_updated_job(moved[s.job_name]) if s.job_name in moved else s for s in schedules],
        [s.with_updated_job(moved[s.job_name]) if s.has_jobs and s.job_name in moved else s for s in sensors],
    )
