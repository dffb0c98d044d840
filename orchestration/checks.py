"""The Great Expectations suites as asset checks on the tables they guard: two checks per suite.

* `gx_errors`, blocking: the suite's error-severity expectations. A failure has ERROR severity and keeps
  the next layer from building.
* `gx_warnings`, not blocking: its warning-severity expectations (the real documents do not all
  reconcile). A failure has WARN severity and blocks nothing, so the UI shows a warning, not a failed gate.

A suite without warning (or error) expectations has no such check. One check step per gate (raw,
staging, marts) validates its selected suites together: GX starts once and Data Docs are built once.
"""

from collections.abc import Iterable, Iterator

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from expectations.checks import SuiteCheck, run_suites
from expectations.settings import STAGES, Severity
from expectations.suite import TableSuite, severity_of
from expectations.suites import suites_for
from extract.locations import docs_link
from orchestration.constants import WAREHOUSE_POOL
from orchestration.resources import Warehouse

CHECK_NAMES: dict[Severity, str] = {"error": "gx_errors", "warning": "gx_warnings"}
_EFFECT = {"error": "severity error, blocking: a failure keeps the next layer from building",
           "warning": "severity warning, not blocking: a failure is reported and blocks nothing"}


def guarded_asset(suite: TableSuite) -> AssetKey:
    """`raw.projects` is the asset `raw/projects`, `staging.stg_budget__units` is `staging/stg_budget__units`."""
    return AssetKey(suite.table.split("."))


def _what(expectation_type: str) -> str:
    """`ExpectColumnValuesToNotBeNull` → `column values to not be null`."""
    words, word = [], ""
    for char in expectation_type.removeprefix("Expect"):
        if char.isupper() and word:
            words.append(word)
            word = ""
        word += char.lower()
    return " ".join([*words, word])


def severity_specs(suite: TableSuite) -> dict[Severity, AssetCheckSpec]:
    """The suite's checks, by the severity of the expectations each one runs."""
    by_severity: dict[Severity, list[str]] = {}
    for expectation in suite.expectations():
        by_severity.setdefault(severity_of(expectation.meta), []).append(type(expectation).__name__)
    specs = {}
    for severity, kinds in by_severity.items():
        examples = ", ".join(dict.fromkeys(_what(k) for k in kinds))
        specs[severity] = AssetCheckSpec(
            CHECK_NAMES[severity], asset=guarded_asset(suite), blocking=severity == "error",
            description=f"Great Expectations suite `{suite.name}` on `{suite.table}`: its {len(kinds)} "
            f"{severity}-severity expectations ({examples}); {_EFFECT[severity]}.",
        )
    return specs


def check_result(suite: TableSuite, severity: Severity, outcome: SuiteCheck,
                 docs_page: str | None = None) -> AssetCheckResult:
    """The part of a suite's outcome that one of its checks reports."""
    failed = [f for f in outcome.metadata.get("failures") or [] if f.get("severity") == severity]
    counted = [e for e in outcome.outcome.expectations if e.severity == severity]
    readable = all(e.expectation_type != "table_is_readable" for e in outcome.outcome.expectations)
    described = (f"{len(failed)} of {len(counted)} {severity}-severity expectations failed: " + "; ".join(
        f"{f['expectation']}({f.get('column') or ''}) {f.get('unexpected_count') or 0} rows" for f in failed[:3])
        if failed else f"all {len(counted)} {severity}-severity expectations passed")
    metadata = {key: value for key, value in outcome.metadata.items()
                if key not in ("failures", "data_docs", "data_docs_page")}
    metadata["failed"] = len(failed)
    metadata["failures"] = MetadataValue.json(failed)
    if docs_page:
        metadata["data_docs"] = MetadataValue.url(docs_link(docs_page))
    if outcome.metadata.get("data_docs"):
        metadata["data_docs_index"] = MetadataValue.url(docs_link(outcome.metadata["data_docs"]))
    return AssetCheckResult(
        asset_key=guarded_asset(suite),
        check_name=CHECK_NAMES[severity],
        passed=not failed and readable,
        severity=AssetCheckSeverity.ERROR if severity == "error" else AssetCheckSeverity.WARN,
        description=f"{suite.name}: {described}" if readable else f"{suite.name}: the table could not be read",
        metadata=metadata,
    )


def gate_checks(stage: str, suites: list[TableSuite]) -> AssetChecksDefinition:
    by_key: dict[AssetCheckKey, tuple[TableSuite, Severity]] = {}
    specs = []
    for suite in suites:
        for severity, spec in severity_specs(suite).items():
            by_key[spec.key] = (suite, severity)
            specs.append(spec)

    @multi_asset_check(name=f"gx_{stage}_gate", specs=specs, can_subset=True, pool=WAREHOUSE_POOL,
                       description=f"The Great Expectations suites of the {stage} gate, validated together.")
    def _gate(context: AssetCheckExecutionContext, warehouse: Warehouse) -> Iterator[AssetCheckResult]:
        selected = [by_key[key] for key in context.selected_asset_check_keys]
        names = list(dict.fromkeys(suite.name for suite, _ in selected))
        outcomes = run_suites(warehouse.path, names)  # one validation, one Data Docs build
        for name in names:
            context.log.info(outcomes[name].description)
        for suite, severity in selected:
            outcome = outcomes[suite.name]
            yield check_result(suite, severity, outcome, outcome.metadata.get("data_docs_page") or None)

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
