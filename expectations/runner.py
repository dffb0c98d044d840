"""Validate guarded tables: read each from DuckDB read-only, run its suite, record and render the results."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import duckdb
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext

from expectations.data_docs import build_site
from expectations.gx_context import quality_context, validation_for
from expectations.gx_results import result_format, to_outcome
from expectations.outcome import ExpectationOutcome, StageOutcome, ValidationOutcome
from expectations.results import record_outcomes
from expectations.settings import Stage
from expectations.suite import TableSuite
from expectations.suites import SUITES, suites_for
from extract.locations import quality_docs_dir
from extract.warehouse import connect


def new_run_id(label: str) -> str:
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}-{label}-{uuid.uuid4().hex[:6]}"


def read_frames(warehouse: str | Path, queries: dict[str, str]) -> dict[str, pd.DataFrame | Exception]:
    """Each query's rows, on one read-only connection (other processes may be reading too)."""
    frames: dict[str, pd.DataFrame | Exception] = {}
    with connect(warehouse, read_only=True) as con:
        for name, sql in queries.items():
            try:
                frames[name] = con.execute(sql).df()
            except duckdb.Error as exc:  # e.g. the table is not built yet: reported, not raised
                frames[name] = exc
    return frames


def validate_frame(context: AbstractDataContext, suite: TableSuite, frame: pd.DataFrame | Exception,
                   run_id: str, table: str | None = None) -> ValidationOutcome:
    started, validated_at = time.perf_counter(), dt.datetime.now(dt.UTC).replace(tzinfo=None)
    if isinstance(frame, Exception):
        missing = ExpectationOutcome("table_is_readable", None, "error", False, {"exception": str(frame)})
        return ValidationOutcome(suite.name, suite.stage, table or suite.table, run_id, validated_at, 0, [missing])
    result = validation_for(context, suite).run(
        batch_parameters={"dataframe": frame},
        result_format=result_format(suite.keys),
        run_id=RunIdentifier(run_name=run_id, run_time=validated_at),
    )
    return ValidationOutcome(
        suite.name, suite.stage, table or suite.table, run_id, validated_at, len(frame),
        [to_outcome(r) for r in result.results], time.perf_counter() - started,
    )


def validate_table(warehouse_path: str | Path, table: str, suite: TableSuite, *,
                   run_id: str | None = None, context: AbstractDataContext | None = None) -> ValidationOutcome:
    """Validate `table` (e.g. ``raw.projects``) with `suite`; nothing is recorded."""
    frame = read_frames(warehouse_path, {suite.name: suite.sql(table)})[suite.name]
    context = context or quality_context(None)
    return validate_frame(context, suite, frame, run_id or new_run_id(suite.name), table)


def validate_suites(warehouse: str | Path, suites: list[TableSuite], run_id: str, *,
                    docs_dir: str | Path | None = None, record: bool = True,
                    docs: bool = True) -> tuple[list[ValidationOutcome], str | None]:
    """Run several suites in one GX context: one read connection, one write, one Data Docs build."""
    frames = read_frames(warehouse, {s.name: s.sql() for s in suites})
    docs_dir = Path(docs_dir).absolute() if docs_dir else quality_docs_dir()
    context = quality_context(docs_dir)
    outcomes = [validate_frame(context, s, frames[s.name], run_id) for s in suites]
    if record:
        record_outcomes(warehouse, outcomes)
    return outcomes, build_site(context, docs_dir, run_id, SUITES.values()) if docs else None


def validate_stage(warehouse: str | Path, stage: Stage, *, docs_dir: str | Path | None = None,
                   record: bool = True, docs: bool = True) -> StageOutcome:
    """Run every suite of the gate, record the results in the warehouse and render Data Docs."""
    started, run_id = time.perf_counter(), new_run_id(stage)
    tables, index = validate_suites(warehouse, suites_for(stage), run_id, docs_dir=docs_dir, record=record, docs=docs)
    return StageOutcome(stage, run_id, tables, index, time.perf_counter() - started)
