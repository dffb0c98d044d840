"""The marts gate (filled in once the dbt marts exist)."""

from __future__ import annotations

from expectations.suite import TableSuite

MARTS_SUITES: tuple[TableSuite, ...] = ()
