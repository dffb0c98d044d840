"""A guarded table's suite: which rows to validate, which columns name a row, and the expectations.

Each expectation carries its severity in ``meta["severity"]``: ``error`` blocks the downstream stage,
``warning`` is reported only. GX's own ``severity`` field is set to match so Data Docs show it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from great_expectations.expectations import Expectation
from great_expectations.expectations.metadata_types import FailureSeverity

from expectations.settings import Severity, Stage

_GX_SEVERITY = {"error": FailureSeverity.CRITICAL, "warning": FailureSeverity.WARNING}
_EFFECT = {"error": "blocks the next stage", "warning": "reported only"}


@dataclass(frozen=True)
class TableSuite:
    """One suite per guarded table, named after the table (``raw_projects`` guards ``raw.projects``).

    ``query`` selects the rows to validate; ``{table}`` stands for the guarded relation. Checks that
    need other tables (joins, running numbers) are computed there as extra columns, so every rule is
    an ordinary column expectation with the offending rows in its result.
    """

    name: str
    stage: Stage
    table: str
    keys: tuple[str, ...]
    expectations: Callable[[], list[Expectation]]
    query: str = "select * from {table}"

    def sql(self, table: str | None = None) -> str:
        return self.query.format(table=table or self.table)


def with_severity(severity: Severity, expectation: Expectation) -> Expectation:
    expectation.meta = {**(expectation.meta or {}), "severity": severity}
    expectation.severity = _GX_SEVERITY[severity]
    expectation.notes = expectation.notes or f"severity: {severity} ({_EFFECT[severity]})"  # shown in Data Docs
    return expectation


def error(expectation: Expectation) -> Expectation:
    return with_severity("error", expectation)


def warning(expectation: Expectation) -> Expectation:
    return with_severity("warning", expectation)


def severity_of(meta: dict | None) -> Severity:
    return "warning" if (meta or {}).get("severity") == "warning" else "error"
