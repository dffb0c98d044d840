"""Failpoints: named places in the pipeline where a crash test can stop it and kill it.

The crash-safety tests (``tests/orchestration/test_crash_safety.py``) start the pipeline with

* ``BUDGET_FAILPOINT=<name>[@<n>]``: the failpoint armed, on its n-th hit in a process (default 1);
* ``BUDGET_FAILPOINT_SIGNAL=<file>``: where the process says it got there.

On reaching the armed point a process writes its pid and the point's name to the signal file and waits
there, so that the test can SIGKILL the whole process group at exactly that point. If nobody kills it, it
exits with status 70 after ``PAUSE_SECONDS``. With nothing armed, `reached` returns at once.

The points, in pipeline order:

``extract.document``  a document's bytes are read, its table not yet parsed (in a worker process when
                      documents are extracted in parallel);
``extract.write``     a document's extract files are written and flushed, the folder not yet renamed into
                      place (`extract.extracts`);
``ingest.transaction`` the run's rows are inserted into ``raw``, the one transaction not yet committed;
``dbt.<layer>``       a dbt layer (staging, intermediate, marts) has reported a node done, others still run;
``publish.swap``      the new Parquet build is switched in, the new DuckDB copy not yet.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ARMED = "BUDGET_FAILPOINT"
SIGNAL = "BUDGET_FAILPOINT_SIGNAL"
PAUSE_SECONDS = 600.0
PAUSED_EXIT_STATUS = 70

_hits: dict[str, int] = {}


def armed() -> tuple[str, int] | None:
    value = os.environ.get(ARMED)
    if not value:
        return None
    name, _, nth = value.partition("@")
    return name, int(nth or 1)


def reached(name: str) -> None:
    """Mark the failpoint `name`; if it is the armed one, signal and wait here to be killed."""
    point = armed()
    if point is None or point[0] != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] != point[1]:
        return
    signal = Path(os.environ.get(SIGNAL) or "failpoint.signal")
    partial = signal.with_name(f"{signal.name}.{os.getpid()}")
    partial.write_text(f"{os.getpid()} {name}@{point[1]}\n")
    partial.replace(signal)
    time.sleep(PAUSE_SECONDS)
    os._exit(PAUSED_EXIT_STATUS)
