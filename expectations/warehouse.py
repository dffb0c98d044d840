"""Short DuckDB connections that wait briefly for a lock another process holds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

LOCK_RETRIES = 40
LOCK_WAIT_SECONDS = 0.25


@contextmanager
def connection(warehouse: str | Path, *, read_only: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only for reading tables (other readers may be open); read-write only to record results."""
    if read_only and not Path(warehouse).exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}")
    for attempt in range(LOCK_RETRIES):
        try:
            con = duckdb.connect(str(warehouse), read_only=read_only)
            break
        except duckdb.IOException:  # "Could not set lock": a writer (or, for us writing, a reader) has it
            if attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(LOCK_WAIT_SECONDS)
    try:
        yield con
    finally:
        con.close()
