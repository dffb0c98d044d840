"""Every suite, one per guarded table, by gate."""

from __future__ import annotations

from expectations.settings import Stage
from expectations.suite import TableSuite
from expectations.suites.marts import MARTS_SUITES
from expectations.suites.raw import RAW_SUITES
from expectations.suites.staging import STAGING_SUITES

SUITES: dict[str, TableSuite] = {s.name: s for s in (*RAW_SUITES, *STAGING_SUITES, *MARTS_SUITES)}


def suites_for(stage: Stage) -> list[TableSuite]:
    return [s for s in SUITES.values() if s.stage == stage]


def get_suite(name: str) -> TableSuite:
    try:
        return SUITES[name]
    except KeyError:
        raise KeyError(f"no suite {name!r}; known: {', '.join(sorted(SUITES))}") from None
