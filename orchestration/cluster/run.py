"""``python -m orchestration.cluster run``: the pipeline's runs submitted to the running cluster.

The same two steps as `python -m orchestration.run`, each a run that the cluster's Dagster daemon
dequeues and launches and whose steps the Dask workers execute: the documents (one ranged run per
stretch of partitions), then the warehouse build (dbt layers, gates, publication) over the documents this
run registered. Runs go through the webserver's GraphQL API, as from the UI; their progress is read from
the instance in PostgreSQL. Exit status 0 when both runs succeed, 1 otherwise, 2 when nothing was started.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARTITION_NAME_TAG,
)

from orchestration.cluster.settings import ClusterSettings

FINISHED = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
RUN_TIMEOUT_SECONDS = 3600.0


def adopt_cluster_environment(settings: ClusterSettings) -> None:
    """This process sees the cluster's instance and the folders its services were started with."""
    os.environ.update(settings.environment())
    locations = settings.root / "locations.json"
    if locations.exists():
        os.environ.update(json.loads(locations.read_text(encoding="utf-8")))


def submit(settings: ClusterSettings, job_name: str, tags: dict[str, str]) -> str:
    from dagster_graphql import DagsterGraphQLClient

    client = DagsterGraphQLClient(settings.host, port_number=settings.webserver_port)
    return client.submit_job_execution(job_name, tags=tags)


def wait_for(instance: DagsterInstance, run_id: str, timeout: float = RUN_TIMEOUT_SECONDS,
             poll: float = 1.0) -> DagsterRunStatus:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = instance.get_run_by_id(run_id)
        if run is not None and run.status in FINISHED:
            return run.status
        time.sleep(poll)
    raise TimeoutError(f"run {run_id} did not finish within {timeout:.0f} s")


def run_on_cluster(settings: ClusterSettings | None = None, echo: Callable[[str], None] = print,
                   timeout: float = RUN_TIMEOUT_SECONDS) -> int:
    from orchestration.partitions import document_partitions
    from orchestration.registered import REGISTERED_TAG, register_documents
    from orchestration.resources import documents_folder, warehouse
    from orchestration.run import PipelineStopped, documents_to_load, stretches, withdraw_removed

    settings = settings or ClusterSettings.from_env()
    adopt_cluster_environment(settings)
    with DagsterInstance.from_config(str(settings.dagster_home)) as instance:
        folder = documents_folder.process_config_and_initialize()
        try:
            names = documents_to_load(folder)
        except PipelineStopped as exc:
            echo(f"stopped: {exc}")
            return 2
        known = set(instance.get_dynamic_partitions(document_partitions.name))
        instance.add_dynamic_partitions(document_partitions.name, [n for n in names if n not in known])
        order = instance.get_dynamic_partitions(document_partitions.name)
        echo(f"{len(names)} documents in {folder.root}; runs on the cluster at {settings.scheduler_address}")
        ok = True
        for stretch in stretches(order, names):
            tags = ({PARTITION_NAME_TAG: stretch[0]} if len(stretch) == 1 else
                    {ASSET_PARTITION_RANGE_START_TAG: stretch[0], ASSET_PARTITION_RANGE_END_TAG: stretch[-1]})
            ok &= _run(settings, instance, "document_job", tags, echo, timeout, f"{len(stretch)} documents")
        for name in withdraw_removed(names, instance):
            echo(f"  withdrew {name}: its file left {folder.root}")
        registered = register_documents(warehouse.process_config_and_initialize(), names)
        try:
            ok &= _run(settings, instance, "warehouse_job", {REGISTERED_TAG: str(registered)}, echo, timeout,
                       "dbt layers, gates, publication")
        finally:
            registered.unlink(missing_ok=True)
    return 0 if ok else 1


def _run(settings, instance, job_name, tags, echo, timeout, what) -> bool:
    started = time.perf_counter()
    run_id = submit(settings, job_name, tags)
    echo(f"{job_name} ({what}): run {run_id} submitted")
    status = wait_for(instance, run_id, timeout)
    echo(f"{job_name}: {status.value.lower()} in {time.perf_counter() - started:.1f} s")
    return status == DagsterRunStatus.SUCCESS
