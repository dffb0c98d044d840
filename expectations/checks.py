"""What a Dagster asset check calls: one suite, one result with ``passed``, ``blocking`` and metadata.

A check should report ``severity=ERROR`` when ``blocking`` (an error-severity expectation failed) and
``WARN`` otherwise; ``metadata`` holds plain JSON-ready values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from expectations.gx_context import build_docs, quality_context
from expectations.outcome import ValidationOutcome
from expectations.results import record_outcomes
from expectations.runner import new_run_id, validate_table
from expectations.settings import quality_docs_dir
from expectations.suites import get_suite


@dataclass(frozen=True)
class SuiteCheck:
    passed: bool
    blocking: bool
    description: str
    metadata: dict[str, Any]
    outcome: ValidationOutcome


def check_metadata(outcome: ValidationOutcome, docs_index: str | None) -> dict[str, Any]:
    failed = [
        {"expectation": e.expectation_type, "column": e.column, "severity": e.severity,
         "unexpected_count": e.unexpected_count, "observed_value": e.observed_value,
         "failing_rows": e.failing_rows[:5]}
        for e in outcome.failed()
    ]
    return {
        "run_id": outcome.run_id,
        "table": outcome.table,
        "rows": outcome.row_count,
        "expectations": len(outcome.expectations),
        "failed_errors": len(outcome.failed("error")),
        "failed_warnings": len(outcome.failed("warning")),
        "failures": failed,
        "data_docs": docs_index or "",
    }


def run_suite(warehouse: str | Path, suite_name: str, *, record: bool = True,
              docs_dir: str | Path | None = None) -> SuiteCheck:
    suite = get_suite(suite_name)
    context = quality_context(quality_docs_dir(docs_dir))
    outcome = validate_table(warehouse, suite.table, suite, run_id=new_run_id(suite_name), context=context)
    if record:
        record_outcomes(warehouse, [outcome])
    docs_index = build_docs(context)
    errors, warnings = len(outcome.failed("error")), len(outcome.failed("warning"))
    description = (f"{suite_name}: {len(outcome.expectations)} expectations, "
                   f"{errors} error and {warnings} warning failures")
    return SuiteCheck(outcome.success, outcome.blocking, description, check_metadata(outcome, docs_index), outcome)
