"""``python -m orchestration.run``: the whole graph over the documents folder, headless.

0. mark failed the runs a killed earlier pipeline process left started (`orchestration.orphans`);
1. stop at once, publishing nothing, when the documents folder is missing or empty or its manifest cannot
   be used (`PipelineStopped`, exit 2); else register a partition per document file;
2. extract them into the extraction folder and ingest them into `raw` in one ranged run (batches of
   documents extracted in parallel processes, then one bulk ingest); when
   some document fails, the others run again and each failed one in a run of its own, so its failure
   (with the finding's message) stays its own; then withdraw from `raw` the documents whose files left
   the folder (the warehouse mirrors the folder);
3. build the warehouse once: dbt layers, dbt tests, the Great Expectations gates, then publish the marts
   for BI tools (unless a blocking check failed).

Exit status 1 when a document failed, a warehouse step failed or a blocking check failed; 2 when the run
stopped before loading anything.
"""

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dagster import DagsterInstance, JobDefinition
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG
from dagster._core.utils import make_new_run_id

from orchestration.orphans import PROCESS_TAG, fail_orphaned_runs, process_identity
from orchestration.progress import Print, Progress


class PipelineStopped(Exception):
    """The run cannot start: the message is a sentence saying why and what to do."""


INGEST_STEP = "raw_tables"  # its failure is a document's, reported per document
QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class PipelineReport:
    documents: list[str]
    failed_documents: dict[str, str]
    progress: Progress
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.failed_documents or self.progress.blocking_failures
                    or any(step != INGEST_STEP for step in self.progress.failed_steps))


def stretches(order: Sequence[str], wanted: Iterable[str]) -> list[list[str]]:
    """Runs of consecutive partitions (in the instance's order) that are all wanted: one ranged run each."""
    wanted, out, current = set(wanted), [], []
    for key in order:
        if key in wanted:
            current.append(key)
        elif current:
            out, current = [*out, current], []
    return [*out, current] if current else out


def execute(job: JobDefinition, instance: DagsterInstance, progress: Progress,
            partitions: Sequence[str] = (), extra_tags: dict[str, str] | None = None) -> bool:
    """One in-process run of `job` over `partitions` (none, one, or a consecutive range), reporting to
    `progress`; dbt's own console output is left out."""
    run_id = make_new_run_id()
    instance.add_event_listener(run_id, progress.on_event)
    tags = {PROCESS_TAG: process_identity() or "", **(extra_tags or {}), **(
        {ASSET_PARTITION_RANGE_START_TAG: partitions[0], ASSET_PARTITION_RANGE_END_TAG: partitions[-1]}
        if len(partitions) > 1 else {})}
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        result = job.execute_in_process(
            run_config=QUIET_LOGS, instance=instance, run_id=run_id, raise_on_error=False, tags=tags,
            partition_key=partitions[0] if len(partitions) == 1 else None,
        )
    if not result.success:  # a graph-backed asset's steps are `<node>.<op>`: started if any of them did
        progress.not_run([node.name for node in job.graph.nodes_in_topological_order if not any(
            step == node.name or step.startswith(f"{node.name}.") for step in progress.started_steps)])
    return result.success


def run_pipeline(instance: DagsterInstance, echo: Print = print) -> PipelineReport:
    from orchestration.definitions import defs
    from orchestration.partitions import document_partitions
    from orchestration.registered import REGISTERED_TAG, register_documents
    from orchestration.resources import documents_folder, warehouse

    for run_id in fail_orphaned_runs(instance):
        echo(f"run {run_id} was left started by a pipeline process that died: marked failed, its warehouse "
             "slot freed")
    folder = documents_folder.process_config_and_initialize()
    names = documents_to_load(folder)
    known = set(instance.get_dynamic_partitions(document_partitions.name))
    instance.add_dynamic_partitions(document_partitions.name, [n for n in names if n not in known])
    order = instance.get_dynamic_partitions(document_partitions.name)
    progress, stage_seconds = Progress(echo), {}
    document_job, warehouse_job = defs.resolve_job_def("document_job"), defs.resolve_job_def("warehouse_job")
    echo(f"{len(names)} documents in {folder.root} ({len(set(names) - known)} new partitions)")

    started = time.perf_counter()
    echo("extract and load into raw")
    failed: dict[str, str] = {}
    for stretch in stretches(order, names):
        if execute(document_job, instance, progress, stretch) or len(stretch) == 1:
            continue
        # A ranged run fails as a whole: run the clean documents again (unchanged, so cheap) and each
        # failed one on its own, so that every partition ends with its own outcome and message.
        bad = [n for n in stretch if n in progress.failed_documents] or stretch
        echo(f"  running {len(bad)} failed document(s) on their own")
        for clean in stretches(stretch, set(stretch) - set(bad)):
            execute(document_job, instance, progress, clean)
        for name in bad:
            if not execute(document_job, instance, progress, [name]):
                failed[name] = progress.failed_documents.get(name) or _document_step_failure(progress)
    for name in (n for n in names if n not in set(progress.loaded) and n not in failed):
        failed[name] = progress.failed_documents.get(name) or _document_step_failure(progress)
    for name in withdraw_removed(names, instance):
        echo(f"  withdrew {name}: its file left {folder.root}")
    stage_seconds["extract_load"] = time.perf_counter() - started

    started = time.perf_counter()
    echo("build the warehouse: dbt layers, dbt tests, Great Expectations gates")
    registered = register_documents(warehouse.process_config_and_initialize(), names)
    try:  # the marts are built from these documents only (`orchestration.registered`)
        execute(warehouse_job, instance, progress, extra_tags={REGISTERED_TAG: str(registered)})
    finally:
        registered.unlink(missing_ok=True)
    stage_seconds["warehouse"] = time.perf_counter() - started
    return PipelineReport(names, failed, progress, stage_seconds)


def _document_step_failure(progress: Progress) -> str:
    """Why a document run failed when no document was named: the ingest's failure, else an extraction step's."""
    return progress.failed_steps.get(INGEST_STEP) or next(iter(progress.failed_steps.values()), "failed")


def documents_to_load(folder) -> list[str]:
    """The document file names in `folder`, or `PipelineStopped` when there is nothing sound to load."""
    from extract.manifest import ManifestError, load_manifest

    if not folder.root.is_dir():
        raise PipelineStopped(f"the documents folder {folder.root} does not exist: set BUDGET_DOCUMENTS (or "
                              "--documents) to the folder that holds the documents; nothing was loaded or published")
    names = [p.name for p in folder.document_files()]
    if not names:
        raise PipelineStopped(f"the documents folder {folder.root} holds no document (*.pdf, *.txt): check "
                              "BUDGET_DOCUMENTS (or --documents); nothing was withdrawn or published")
    try:
        load_manifest(folder.root)
    except ManifestError as exc:
        raise PipelineStopped(f"{exc}; nothing was loaded or published") from None
    return names


def withdraw_removed(names: Iterable[str], instance: DagsterInstance) -> list[str]:
    """Withdraw from `raw` every document name whose file is no longer in the folder, and its partition."""
    from extract.load import document_names, withdraw_documents
    from orchestration.partitions import document_partitions
    from orchestration.resources import warehouse

    with warehouse.process_config_and_initialize().writer() as con:
        withdrawn = withdraw_documents(con, sorted(set(document_names(con)) - set(names)))
    for name in withdrawn:
        if instance.has_dynamic_partition(document_partitions.name, name):
            instance.delete_dynamic_partition(document_partitions.name, name)
    return withdrawn


def open_instance(ephemeral: bool) -> DagsterInstance:
    if ephemeral or not os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.ephemeral()
    from orchestration.home import ensure_dagster_home

    ensure_dagster_home()
    return DagsterInstance.get()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.run", description=__doc__.splitlines()[0])
    parser.add_argument("--documents", help="documents folder (default: $BUDGET_DOCUMENTS or data/sample)")
    parser.add_argument("--warehouse", help="DuckDB file (default: $BUDGET_WAREHOUSE or warehouse/budget.duckdb)")
    parser.add_argument("--ephemeral", action="store_true", help="keep no run history, even with DAGSTER_HOME set")
    args = parser.parse_args(argv)
    for name, value in (("BUDGET_DOCUMENTS", args.documents), ("BUDGET_WAREHOUSE", args.warehouse)):
        if value:
            os.environ[name] = os.path.abspath(value)
    started = time.perf_counter()
    print("loading definitions (dbt manifest, Great Expectations suites)…", flush=True)
    from orchestration.summary import print_summary

    with open_instance(args.ephemeral) as instance:
        out = sys.stdout  # progress lines go here while dbt's console output is dropped
        try:
            report = run_pipeline(instance, echo=lambda line: print(line, file=out, flush=True))
        except PipelineStopped as exc:
            print(f"stopped: {exc}", file=sys.stderr)
            return 2
    print_summary(report, time.perf_counter() - started)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
