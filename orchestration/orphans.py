"""Runs left "started" by a headless pipeline process that died (killed, out of memory, power cut).

`python -m orchestration.run` executes its runs in its own process, so no daemon watches them. A process
killed part-way leaves its run marked as started forever, still holding its `duckdb_warehouse` pool slot,
and every later run would wait for that slot for ever. Each headless run is therefore tagged with the
identity of the process running it (host, boot, pid and the pid's start time, so a reused pid is not
mistaken for it); before the next pipeline starts, the runs whose process is gone are marked failed and
their slots freed. Runs of other machines, and of processes still alive, are left alone.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

PROCESS_TAG = "budget/process"
IN_PROGRESS = [DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]


def process_identity(pid: int | None = None) -> str | None:
    """``host/boot/pid/start time`` of a live process, None if there is no such process."""
    pid = pid or os.getpid()
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        started = stat[stat.rindex(")") + 2 :].split()[19]  # field 22: start time, in ticks since boot
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None  # /proc is there and the pid is not: no such process
        try:  # no /proc (macOS): whether the pid is alive is all there is to know
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        started, boot = "?", "?"
    return f"{socket.gethostname()}/{boot}/{pid}/{started}"


def _is_dead(identity: str) -> bool:
    host, _, rest = identity.partition("/")
    if host != socket.gethostname():
        return False  # another machine's run: not ours to judge
    try:
        pid = int(rest.split("/")[1])
    except (IndexError, ValueError):
        return False
    return process_identity(pid) != identity


def fail_orphaned_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed the in-progress headless runs whose process died, and free their pool slots."""
    orphans = []
    for run in instance.get_runs(filters=RunsFilter(statuses=IN_PROGRESS)):
        identity = run.tags.get(PROCESS_TAG)
        if not identity or not _is_dead(identity):
            continue
        pid = identity.split("/")[2]
        instance.report_run_failed(run, message=f"The process running it (pid {pid}) died before the run ended.")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        orphans.append(run.run_id)
    return orphans
