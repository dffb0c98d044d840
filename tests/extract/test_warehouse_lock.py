"""Waiting for the warehouse's single-writer lock, and the error when another process keeps it too long.

A real second process holds the DuckDB file (or this project's loader queue) while we connect.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from extract.load import load_documents
from extract.warehouse import (
    DEFAULT_LOCK_TIMEOUT,
    WarehouseLocked,
    connect,
    lock_holder,
    lock_timeout,
    writer,
)
from orchestration.resources import Warehouse
from tests.extract.conftest import DOC_000, ROOT

# Opens the file for writing (DuckDB's lock), says so, and keeps it for argv[2] seconds.
HOLD_FILE = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('open', flush=True); "
             "time.sleep(float(sys.argv[2]))")
# The same through this project's loader queue (the lock file beside the warehouse, then the file).
HOLD_QUEUE = ("import sys, time; from extract.warehouse import writer\n"
              "with writer(sys.argv[1]):\n    print('open', flush=True); time.sleep(float(sys.argv[2]))")


@contextmanager
def held(warehouse: Path, seconds: float = 60, script: str = HOLD_FILE) -> Iterator[subprocess.Popen]:
    holder = subprocess.Popen([sys.executable, "-c", script, str(warehouse), str(seconds)],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield holder
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "budget.duckdb"
    duckdb.connect(str(path)).close()
    return path


def test_a_held_file_raises_a_clear_error_naming_file_holder_and_remedy(warehouse):
    with held(warehouse) as holder:
        for read_only in (False, True):
            started = time.monotonic()
            with pytest.raises(WarehouseLocked) as raised:
                connect(warehouse, read_only=read_only, timeout=0.5)
            assert 0.5 <= time.monotonic() - started < 5
    error = raised.value
    assert error.path == warehouse and error.waited >= 0.5
    assert error.holder is not None and error.holder.startswith(f"process {holder.pid} (")
    message = str(error)
    assert f"the warehouse {warehouse} is locked by process {holder.pid}" in message
    assert re.search(r"gave up after waiting \d+\.\d s", message)
    assert "Another pipeline run or `python -m extract --load` is writing it" in message
    assert "wait for it to finish or stop it" in message and "$BUDGET_LOCK_TIMEOUT" in message


def test_connect_succeeds_once_the_holder_exits_within_the_timeout(warehouse):
    with held(warehouse, seconds=1.0):
        started = time.monotonic()
        con = connect(warehouse, timeout=60)
        waited = time.monotonic() - started
    with con:
        assert con.execute("select 42").fetchone() == (42,)
    assert 0.5 < waited < 30  # it got in once the holder left, about a second after it opened the file


def test_the_loader_waits_for_the_holder_and_then_loads(warehouse):
    from extract import extract_path

    with held(warehouse, seconds=1.0):
        report = load_documents(warehouse, [extract_path(DOC_000)], timeout=60)
    assert report.loaded == [DOC_000.name]


def test_loaders_queue_on_the_lock_file_beside_the_warehouse(warehouse):
    with held(warehouse, script=HOLD_QUEUE):
        with pytest.raises(WarehouseLocked, match=r"another loader \(it holds .*budget\.duckdb\.lock\)"):
            with writer(warehouse, timeout=0.3):
                pass
    with writer(warehouse, timeout=5) as con:  # the holder is gone, and the queue with it
        assert con.execute("select 1").fetchone() == (1,)


def test_the_dagster_resource_waits_the_same_way(warehouse):
    resource = Warehouse(database=str(warehouse), lock_timeout_seconds=0.3)
    with held(warehouse):
        with pytest.raises(WarehouseLocked, match="is locked by process"):
            with resource.get_connection(read_only=True):
                pass
        with pytest.raises(WarehouseLocked):
            with resource.writer():
                pass


def test_other_errors_are_not_waited_for(tmp_path):
    garbage = tmp_path / "not_a_database.duckdb"
    garbage.write_bytes(b"this is not a DuckDB file" * 1000)
    started = time.monotonic()
    with pytest.raises(duckdb.Error) as raised:
        connect(garbage, timeout=60)
    assert not isinstance(raised.value, WarehouseLocked) and time.monotonic() - started < 10
    with pytest.raises(FileNotFoundError, match="no warehouse at"):
        connect(tmp_path / "missing.duckdb", read_only=True, timeout=60)


def test_the_timeout_comes_from_budget_lock_timeout(monkeypatch):
    monkeypatch.delenv("BUDGET_LOCK_TIMEOUT", raising=False)
    assert lock_timeout() == DEFAULT_LOCK_TIMEOUT == 300
    monkeypatch.setenv("BUDGET_LOCK_TIMEOUT", "2.5")
    assert lock_timeout() == 2.5
    monkeypatch.setenv("BUDGET_LOCK_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="BUDGET_LOCK_TIMEOUT must be a number of seconds, not 'soon'"):
        lock_timeout()


def test_the_holder_is_read_from_duckdbs_message():
    message = ('IO Error: Could not set lock on file "/w.duckdb": Conflicting lock is held in '
               "/usr/bin/python3.11 (PID 4800). See also https://duckdb.org/docs/current/connect/concurrency")
    assert lock_holder(message) == "process 4800 (/usr/bin/python3.11)"
    assert lock_holder('IO Error: Could not set lock on file "/w.duckdb"') is None


def test_cli_load_into_a_locked_warehouse_exits_2_with_the_message_and_no_traceback(warehouse):
    with held(warehouse) as holder:
        done = subprocess.run(
            [sys.executable, "-m", "extract", str(DOC_000.relative_to(ROOT)), "--load", "--quiet",
             "--warehouse", str(warehouse)],
            cwd=ROOT, env={**os.environ, "BUDGET_LOCK_TIMEOUT": "0.5"}, capture_output=True, text=True,
            timeout=120,
        )
    assert done.returncode == 2, done.stderr
    assert f"error: the warehouse {warehouse} is locked by process {holder.pid}" in done.stderr
    assert "`python -m extract --load` is writing it" in done.stderr
    assert "Traceback" not in done.stderr and "Could not set lock" not in done.stderr
