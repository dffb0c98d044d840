"""What a validation found, as plain values: per expectation, per table, per gate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from expectations.settings import Severity, Stage


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation_type: str
    column: str | None
    severity: Severity
    success: bool
    observed_value: Any = None
    unexpected_count: int | None = None
    failing_rows: list[dict[str, Any]] = field(default_factory=list)
    description: str | None = None

    @property
    def blocking(self) -> bool:
        return not self.success and self.severity == "error"


@dataclass(frozen=True)
class ValidationOutcome:
    suite_name: str
    stage: Stage
    table: str
    run_id: str
    validated_at: dt.datetime
    row_count: int
    expectations: list[ExpectationOutcome]
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return all(e.success for e in self.expectations)

    @property
    def blocking(self) -> bool:
        return any(e.blocking for e in self.expectations)

    def failed(self, severity: Severity | None = None) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success and severity in (None, e.severity)]


@dataclass(frozen=True)
class StageOutcome:
    stage: Stage
    run_id: str
    tables: list[ValidationOutcome]
    docs_index: str | None = None
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return all(t.success for t in self.tables)

    @property
    def blocking(self) -> bool:
        return any(t.blocking for t in self.tables)

    def failed(self, severity: Severity | None = None) -> list[tuple[ValidationOutcome, ExpectationOutcome]]:
        return [(t, e) for t in self.tables for e in t.failed(severity)]
