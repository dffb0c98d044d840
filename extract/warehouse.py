"""Connections to the DuckDB warehouse that wait for its lock instead of failing at once.

DuckDB lets one process write a database file, and while it does no other process may open it, not even
to read. The raw loads, dbt, the quality gates recording their results and a ``python -m extract --load``
beside a pipeline run therefore take turns: `connect` retries, with growing pauses, while another process
holds the file, for up to ``BUDGET_LOCK_TIMEOUT`` seconds (default `DEFAULT_LOCK_TIMEOUT`), then raises
`WarehouseLocked`, which names the file, the time waited, the process holding it and what to do.
`writer` also queues this project's loaders on a lock file beside the warehouse, so that they take the
file in turn rather than race each other for it.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import duckdb

LOCK_TIMEOUT = "BUDGET_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 300.0
FIRST_PAUSE = 0.05  # seconds; doubled after each failed attempt up to LONGEST_PAUSE
LONGEST_PAUSE = 2.0
# DuckDB: 'Could not set lock on file "…": Conflicting lock is held in /usr/bin/python3 (PID 4800). …'
_LOCKED = "Could not set lock"
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseLocked(TimeoutError):
    """Another process held the warehouse file for longer than we were willing to wait."""

    def __init__(self, path: Path, waited: float, holder: str | None = None) -> None:
        self.path, self.waited, self.holder = path, waited, holder
        super().__init__(
            f"the warehouse {path} is locked by {holder or 'another process'}; gave up after waiting "
            f"{waited:.1f} s. Another pipeline run or `python -m extract --load` is writing it (or another "
            f"program has it open): wait for it to finish or stop it, then try again (${LOCK_TIMEOUT} sets how "
            "many seconds to wait)."
        )


def lock_timeout() -> float:
    """Seconds to wait for the warehouse: $BUDGET_LOCK_TIMEOUT, else DEFAULT_LOCK_TIMEOUT."""
    value = os.environ.get(LOCK_TIMEOUT) or str(DEFAULT_LOCK_TIMEOUT)
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"${LOCK_TIMEOUT} must be a number of seconds, not {value!r}") from None


def lock_holder(message: str) -> str | None:
    """The process named in DuckDB's lock error, e.g. ``process 4800 (/usr/bin/python3)``."""
    match = _HOLDER.search(message)
    return f"process {match['pid']} ({match['program']})" if match else None


class _Patience:
    """Pauses between attempts, doubling from FIRST_PAUSE to LONGEST_PAUSE, until `timeout` has passed."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = lock_timeout() if timeout is None else timeout
        self.started = time.monotonic()
        self._pause = FIRST_PAUSE

    @property
    def waited(self) -> float:
        return time.monotonic() - self.started

    def pause(self) -> bool:
        """Sleep before the next attempt; False when the time is up (the last attempt was at the end)."""
        left = self.timeout - self.waited
        if left <= 0:
            return False
        time.sleep(min(self._pause, left))
        self._pause = min(self._pause * 2, LONGEST_PAUSE)
        return True


def connect(path: str | Path, read_only: bool = False, timeout: float | None = None,
            config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse file, waiting up to `timeout` seconds (None: `lock_timeout()`) while
    another process holds it. Read-only needs the file to exist; read-write creates it and its folder."""
    return _connect(Path(os.path.abspath(path)), read_only, _Patience(timeout), config or {})


def _connect(path: Path, read_only: bool, patience: _Patience, config: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            if _LOCKED not in str(exc):
                raise
            if not patience.pause():
                raise WarehouseLocked(path, patience.waited, lock_holder(str(exc))) from exc


@contextmanager
def writer(path: str | Path, timeout: float | None = None,
           config: dict[str, Any] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for loading. This project's loaders queue on ``<file>.lock`` beside the
    warehouse, one at a time; the wait for that queue and for the file share one timeout."""
    path = Path(os.path.abspath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    patience = _Patience(timeout)
    queue = path.with_name(path.name + ".lock")
    with open(queue, "a") as lock:
        _take_turn(lock, path, queue, patience)
        try:
            con = _connect(path, False, patience, config or {})
            try:
                yield con
            finally:
                con.close()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _take_turn(lock: IO[str], path: Path, queue: Path, patience: _Patience) -> None:
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not patience.pause():
                raise WarehouseLocked(path, patience.waited, f"another loader (it holds {queue})") from None
