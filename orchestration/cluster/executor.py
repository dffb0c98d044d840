"""The `dask_cluster` executor: each step of a run is a task on a Dask cluster's workers.

The run's process keeps Dagster's own bookkeeping, as the multiprocess executor does (`ActiveExecution`):
steps start once their inputs are ready, dynamic fan-outs (a batch of documents per step) resolve as their
outputs arrive, steps below a failed one (a blocking quality gate) are skipped, a step in a pool
(`duckdb_warehouse`) waits for a slot of that pool, and op retry policies apply. Only where a step runs
changes: it is sent to the Dask scheduler, which hands it to a free worker; the worker executes it against
the shared instance (PostgreSQL) and sends its events back. The pool slots live in the instance, so the
limit of dagster.yaml holds across machines.

A worker killed while it runs a step is the scheduler's business: it gives the task to another worker (up
to `distributed.scheduler.allowed-failures` times, 3 by default); the steps are idempotent (an extracted
document is written once, the ingest replaces what it loads), so the run ends as if nothing happened.
When the scheduler gives up, the step fails like a crashed process, and its retry policy, if any, applies.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack

from dagster import Executor, Field, IntSource, StringSource, executor, multiple_process_executor_requirements
from dagster import _check as check
from dagster._core.errors import raise_execution_interrupts
from dagster._core.events import DagsterEvent, EngineEventData
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.active import ActiveExecution
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._core.execution.retries import RetryMode
from dagster._utils.error import serializable_error_info_from_exc_info

from orchestration.cluster.settings import DEFAULT_SCHEDULER_PORT, SCHEDULER

POLL_SECONDS = 0.25
MAX_CONCURRENT = 64  # steps handed to the scheduler at once; it queues them for its workers


def scheduler_address() -> str:
    return os.environ.get(SCHEDULER) or f"tcp://127.0.0.1:{DEFAULT_SCHEDULER_PORT}"


@executor(
    name="dask_cluster",
    requirements=multiple_process_executor_requirements(),
    config_schema={
        "scheduler": Field(StringSource, is_required=False,
                           description="The Dask scheduler's address (default: $BUDGET_DASK_SCHEDULER, else "
                           f"tcp://127.0.0.1:{DEFAULT_SCHEDULER_PORT})."),
        "max_concurrent": Field(IntSource, default_value=MAX_CONCURRENT,
                                description="Steps handed to the scheduler at once."),
    },
)
def dask_cluster_executor(init_context) -> Executor:
    """Run each step on the workers of an existing Dask cluster (`make cluster`)."""
    config = init_context.executor_config
    return DaskClusterExecutor(config.get("scheduler") or scheduler_address(), config["max_concurrent"])


class DaskClusterExecutor(Executor):
    def __init__(self, address: str, max_concurrent: int = MAX_CONCURRENT) -> None:
        self.address, self.max_concurrent = address, max_concurrent

    @property
    def retries(self) -> RetryMode:
        return RetryMode.ENABLED

    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan) -> Iterator[DagsterEvent]:
        import dask.distributed

        check.invariant(plan_context.instance.is_persistent, "the dask_cluster executor needs a persistent "
                        "Dagster instance that its workers share (PostgreSQL: see orchestration/cluster)")
        run, instance = plan_context.dagster_run, plan_context.instance
        running: dict = {}  # Dask future → step key
        with ExitStack() as stack:
            client = stack.enter_context(dask.distributed.Client(self.address))
            pools = stack.enter_context(InstanceConcurrencyContext(instance, run))
            active = stack.enter_context(ActiveExecution(
                execution_plan, retry_mode=self.retries, max_concurrent=self.max_concurrent,
                instance_concurrency_context=pools))
            yield DagsterEvent.engine_event(plan_context, f"Executing steps on the Dask cluster at {self.address}",
                                            EngineEventData())
            while not active.is_complete or running:
                if active.check_for_interrupts():
                    active.mark_interrupted()
                    client.cancel(list(running))
                    return
                for step in active.get_steps_to_execute(limit=self.max_concurrent - len(running)):
                    task = pickle.dumps((plan_context.reconstructable_job, run, plan_context.run_config, step.key,
                                         instance.get_ref(), active.get_known_state(),
                                         execution_plan.repository_load_data, self.retries))
                    running[client.submit(run_step, task, key=f"{run.run_id}.{step.key}", pure=False)] = step.key
                yield from active.concurrency_event_iterator(plan_context)
                with raise_execution_interrupts():
                    time.sleep(POLL_SECONDS)
                for future in [future for future in running if future.done()]:
                    key = running.pop(future)
                    try:
                        events = pickle.loads(future.result())
                    except Exception:  # the scheduler gave up on the task (KilledWorker) or it could not start
                        events = [self.log_failure_or_retry_event_after_error(
                            plan_context.for_step(active.get_step_by_key(key)),
                            serializable_error_info_from_exc_info(sys.exc_info()), active.get_known_state())]
                    for event in events:
                        yield check.inst(event, DagsterEvent)
                        active.handle_event(event)
                    active.verify_complete(plan_context, key)
                yield from active.plan_events_iterator(plan_context)


def run_step(task: bytes) -> bytes:
    """On a worker: one step, its events written to the shared instance and returned. The arguments travel
    pickled: Dask would walk into Dagster's records (tuples that refuse iteration) looking for futures."""
    from dagster import DagsterInstance
    from dagster._core.execution.api import create_execution_plan, execute_plan_iterator

    recon_job, run, run_config, step_key, instance_ref, known_state, load_data, retries = pickle.loads(task)
    with DagsterInstance.from_ref(instance_ref) as instance:
        plan = create_execution_plan(job=recon_job, run_config=run_config, step_keys_to_execute=[step_key],
                                     known_state=known_state, repository_load_data=load_data)
        return pickle.dumps(list(execute_plan_iterator(plan, recon_job, run, run_config=run_config,
                                                       retry_mode=retries.for_inner_plan(), instance=instance)))
