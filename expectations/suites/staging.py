"""The staging gate (filled in once the dbt staging models exist)."""

from __future__ import annotations

from expectations.suite import TableSuite

STAGING_SUITES: tuple[TableSuite, ...] = ()
