"""Persist outcomes to ``quality.validation_results`` with one short write connection.

Reading happens on read-only connections; the write connection is opened only for the insert
(waiting, as `extract.warehouse.connect` does, while another process holds the file).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from expectations.outcome import ValidationOutcome
from expectations.settings import RESULTS_TABLE
from extract.warehouse import connect

DDL = f"""
create schema if not exists quality;
create table if not exists {RESULTS_TABLE} (
    run_id varchar not null, stage varchar not null, suite_name varchar not null, table_name varchar not null,
    expectation_type varchar not null, column_name varchar, severity varchar not null, success boolean not null,
    observed_value varchar, unexpected_count bigint, failing_rows varchar, description varchar,
    validated_at timestamp not null
);
"""


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
    with connect(warehouse, read_only=False) as con:
        con.execute("begin transaction")
        con.execute(DDL)
        if rows:
            con.executemany(f"insert into {RESULTS_TABLE} values ({', '.join(['?'] * 13)})", rows)
        con.execute("commit")
    return len(rows)
