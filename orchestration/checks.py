"""The Great Expectations suites as asset checks, one check per suite on the table it guards.

A failed error-severity expectation makes the check fail with ERROR severity, and the checks are
blocking, so the next layer does not build; warnings fail the check with WARN severity and block
nothing. One check step per gate (raw, staging, marts) keeps the GX start-up to once per gate.
"""

from collections.abc import Iterable, Iterator

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from expectations.checks import SuiteCheck, run_suite
from expectations.settings import STAGES
from expectations.suite import TableSuite
from expectations.suites import suites_for
from orchestration.constants import WAREHOUSE_POOL
from orchestration.resources import Warehouse


def guarded_asset(suite: TableSuite) -> AssetKey:
    """`raw.projects` is the asset `raw/projects`, `staging.stg_budget__units` is `staging/stg_budget__units`."""
    return AssetKey(suite.table.split("."))


def check_result(suite: TableSuite, outcome: SuiteCheck) -> AssetCheckResult:
    metadata = dict(outcome.metadata)
    metadata["failures"] = MetadataValue.json(metadata.get("failures") or [])
    if metadata.get("data_docs"):
        metadata["data_docs"] = MetadataValue.path(str(metadata["data_docs"]))
    return AssetCheckResult(
        asset_key=guarded_asset(suite),
        check_name=suite.name,
        passed=outcome.passed,
        severity=AssetCheckSeverity.ERROR if outcome.blocking else AssetCheckSeverity.WARN,
        description=outcome.description,
        metadata=metadata,
    )


def suite_spec(suite: TableSuite) -> AssetCheckSpec:
    return AssetCheckSpec(suite.name, asset=guarded_asset(suite), blocking=True,
                          description=f"Great Expectations suite `{suite.name}` on `{suite.table}`.")


def gate_checks(stage: str, suites: list[TableSuite]) -> AssetChecksDefinition:
    by_key = {suite_spec(suite).key: suite for suite in suites}

    @multi_asset_check(
        name=f"gx_{stage}_gate",
        specs=[suite_spec(suite) for suite in suites],
        can_subset=True,
        pool=WAREHOUSE_POOL,
    )
    def _gate(context: AssetCheckExecutionContext, warehouse: Warehouse) -> Iterator[AssetCheckResult]:
        for key in context.selected_asset_check_keys:
            suite = by_key[key]
            outcome = run_suite(warehouse.path, suite.name)
            context.log.info(outcome.description)
            yield check_result(suite, outcome)

    return _gate


def suite_checks(asset_keys: Iterable[AssetKey]) -> list[AssetChecksDefinition]:
    """A gate per stage, over the suites whose table is an asset in the graph."""
    known = set(asset_keys)
    gates = []
    for stage in STAGES:
        suites = [s for s in suites_for(stage) if guarded_asset(s) in known]
        if suites:
            gates.append(gate_checks(stage, suites))
    return gates
