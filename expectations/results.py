"""Persist outcomes to ``quality.validation_results`` with one short write connection.

Reading happens on read-only connections; the write connection is opened only for the insert and
retried briefly, since another process may hold the file for a moment.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb

from expectations.outcome import ValidationOutcome
from expectations.settings import RESULTS_TABLE

DDL = f"""
create schema if not exists quality;
create table if not exists {RESULTS_TABLE} (
    run_id varchar not null, stage varchar not null, suite_name varchar not null, table_name varchar not null,
    expectation_type varchar not null, column_name varchar, severity varchar not null, success boolean not null,
    observed_value varchar, unexpected_count bigint, failing_rows varchar, description varchar,
    validated_at timestamp not null
);
"""
LOCK_RETRIES = 20
LOCK_WAIT_SECONDS = 0.25


def to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def result_rows(outcomes: Iterable[ValidationOutcome]) -> list[tuple]:
    return [
        (o.run_id, o.stage, o.suite_name, o.table, e.expectation_type, e.column, e.severity, e.success,
         to_json(e.observed_value), e.unexpected_count, to_json(e.failing_rows or None), e.description,
         o.validated_at)
        for o in outcomes for e in o.expectations
    ]


def record_outcomes(warehouse: str | Path, outcomes: Iterable[ValidationOutcome]) -> int:
    rows = result_rows(outcomes)
    for attempt in range(LOCK_RETRIES):
        try:
            con = duckdb.connect(str(warehouse))
        except duckdb.IOException:  # the file is locked by another writer
            if attempt == LOCK_RETRIES - 1:
                raise
            time.sleep(LOCK_WAIT_SECONDS)
            continue
        try:
            con.execute("begin transaction")
            con.execute(DDL)
            if rows:
                con.executemany(f"insert into {RESULTS_TABLE} values ({', '.join(['?'] * 13)})", rows)
            con.execute("commit")
        finally:
            con.close()
        return len(rows)
    return 0
