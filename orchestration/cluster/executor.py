"""The `dask_cluster` executor: each step of a run is a task on a Dask cluster's workers.

It builds on dagster-dask (`query_on_dask_worker` runs one step on a worker, writing its events to the
shared instance) and adds what a warehouse run needs from Dagster's own multiprocess executor:

* a step is sent only once the steps it depends on succeeded; after a failure (a blocking quality gate)
  the steps below it are not run, as Dagster would skip them;
* a step in a pool (`duckdb_warehouse`) first claims a slot of that pool in the instance, so the limit of
  dagster.yaml holds across machines, since the slots live in PostgreSQL;
* a task's key carries the run id, so two runs of one job never share a result on the scheduler.

A worker killed while it runs a step is the scheduler's business: it gives the task to another worker
(up to `distributed.scheduler.allowed-failures` times). The steps are idempotent (a document is loaded
once whatever the attempts), so the run ends as if nothing happened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from dagster import Executor, Field, StringSource, executor, multiple_process_executor_requirements
from dagster import _check as check
from dagster._core.errors import raise_execution_interrupts
from dagster._core.events import DagsterEvent
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode

from orchestration.cluster.settings import DEFAULT_SCHEDULER_PORT, SCHEDULER

POLL_SECONDS = 0.5


def scheduler_address() -> str:
    return os.environ.get(SCHEDULER) or f"tcp://127.0.0.1:{DEFAULT_SCHEDULER_PORT}"


@executor(
    name="dask_cluster",
    requirements=multiple_process_executor_requirements(),
    config_schema={
        "scheduler": Field(StringSource, is_required=False,
                           description="The Dask scheduler's address (default: $BUDGET_DASK_SCHEDULER, else "
                           f"tcp://127.0.0.1:{DEFAULT_SCHEDULER_PORT})."),
    },
)
def dask_cluster_executor(init_context) -> Executor:
    """Run each step on the workers of an existing Dask cluster (`make cluster`)."""
    return DaskClusterExecutor(init_context.executor_config.get("scheduler") or scheduler_address())


class DaskClusterExecutor(Executor):
    def __init__(self, address: str) -> None:
        self.address = address

    @property
    def retries(self) -> RetryMode:
        return RetryMode.DISABLED  # a lost worker's task is retried by the Dask scheduler

    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan) -> Iterator[DagsterEvent]:
        import dask.distributed
        from dagster_dask.executor import query_on_dask_worker

        check.invariant(plan_context.instance.is_persistent, "the dask_cluster executor needs a persistent "
                        "Dagster instance that its workers share (PostgreSQL: see orchestration/cluster)")
        steps = {step.key: step for level in execution_plan.get_steps_to_execute_by_level() for step in level}
        upstream = {key: {dep for step_input in step.step_inputs for dep in step_input.dependency_keys} & set(steps)
                    for key, step in steps.items()}
        run, instance = plan_context.dagster_run, plan_context.instance
        waiting, running, succeeded, not_ok = dict(steps), {}, set(), set()
        with dask.distributed.Client(self.address) as client, InstanceConcurrencyContext(instance, run) as pools:
            while waiting or running:
                for key, step in list(waiting.items()):
                    if upstream[key] & not_ok:  # below a failed step: not run
                        not_ok.add(key)
                        del waiting[key]
                    elif upstream[key] <= succeeded and (not step.pool or pools.claim(step.pool, key)):
                        plan_context.log.debug(f"step {key} sent to the Dask scheduler {self.address}")
                        running[client.submit(
                            query_on_dask_worker, [], plan_context.reconstructable_job, run,
                            plan_context.run_config, [key], instance.get_ref(), execution_plan.known_state,
                            key=f"{run.run_id}.{key}", pure=False,
                        )] = key
                        del waiting[key]
                with raise_execution_interrupts():
                    time.sleep(POLL_SECONDS)  # for a finished step or a pool slot
                done = [future for future in running if future.done()]
                for future in done:
                    key = running.pop(future)
                    events = future.result()  # a task the scheduler gave up on raises here and fails the run
                    pools.free_step(key)
                    ok = not any(event.is_step_failure or event.is_step_skipped for event in events)
                    (succeeded if ok else not_ok).add(key)
                    yield from (check.inst(event, DagsterEvent) for event in events)

