"""What a Dagster asset check calls: one suite, one result with ``passed``, ``blocking`` and metadata.

A check should report ``severity=ERROR`` when ``blocking`` (an error-severity expectation failed) and
``WARN`` otherwise; ``metadata`` holds plain JSON-ready values (``data_docs`` is the index file's path,
``data_docs_page`` the suite's own result page).
`run_suites` runs a gate's suites together: GX start-up, Data Docs and the results write happen once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from expectations.data_docs import result_pages
from expectations.outcome import ValidationOutcome
from expectations.runner import new_run_id, validate_suites
from expectations.suites import get_suite


@dataclass(frozen=True)
class SuiteCheck:
    passed: bool
    blocking: bool
    description: str
    metadata: dict[str, Any]
    outcome: ValidationOutcome


def check_metadata(outcome: ValidationOutcome, docs_index: str | None,
                   result_page: Path | None = None) -> dict[str, Any]:
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
        "data_docs": (docs_index or "").removeprefix("file://"),
        "data_docs_page": str(result_page or ""),  # this suite's result page of this run
    }


def suite_check(outcome: ValidationOutcome, docs_index: str | None, result_page: Path | None = None) -> SuiteCheck:
    errors, warnings = len(outcome.failed("error")), len(outcome.failed("warning"))
    description = (f"{outcome.suite_name}: {len(outcome.expectations)} expectations, "
                   f"{errors} error and {warnings} warning failures")
    return SuiteCheck(outcome.success, outcome.blocking, description,
                      check_metadata(outcome, docs_index, result_page), outcome)


def run_suites(warehouse: str | Path, suite_names: list[str], *, record: bool = True,
               docs_dir: str | Path | None = None) -> dict[str, SuiteCheck]:
    """Several suites in one GX context (cheaper than one `run_suite` each), by suite name."""
    suites = [get_suite(name) for name in suite_names]
    stages = {s.stage for s in suites}
    run_id = new_run_id(stages.pop() if len(stages) == 1 else "checks")
    outcomes, docs_index = validate_suites(warehouse, suites, run_id, docs_dir=docs_dir, record=record)
    pages = result_pages(Path(docs_index.removeprefix("file://")).parent, run_id) if docs_index else {}
    return {o.suite_name: suite_check(o, docs_index, pages.get(o.suite_name)) for o in outcomes}


def run_suite(warehouse: str | Path, suite_name: str, *, record: bool = True,
              docs_dir: str | Path | None = None) -> SuiteCheck:
    return run_suites(warehouse, [suite_name], record=record, docs_dir=docs_dir)[suite_name]
