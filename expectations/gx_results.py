"""GX validation results to plain `ExpectationOutcome`s: observed value, offending rows, severity."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from great_expectations.core import ExpectationValidationResult

from expectations.outcome import ExpectationOutcome
from expectations.settings import FAILING_ROWS_LIMIT
from expectations.suite import severity_of


def result_format(keys: tuple[str, ...]) -> dict[str, Any]:
    """COMPLETE results, with each offending row named by the suite's key columns."""
    return {
        "result_format": "COMPLETE",
        "unexpected_index_column_names": list(keys),
        "partial_unexpected_count": FAILING_ROWS_LIMIT,
        "return_unexpected_index_query": False,
    }


def plain(value: Any) -> Any:
    """A JSON-ready copy of a value from GX or pandas (numpy scalars, NaN, timestamps, tuples)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return None if _is_missing(value) else str(value)


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, pd.NA, NaT
    except (TypeError, ValueError):
        return False


def column_of(kwargs: dict[str, Any]) -> str | None:
    if kwargs.get("column"):
        return kwargs["column"]
    pair = [kwargs[k] for k in ("column_A", "column_B") if kwargs.get(k)]
    columns = pair or list(kwargs.get("column_list") or [])
    return ",".join(columns) or None


def to_outcome(result: ExpectationValidationResult) -> ExpectationOutcome:
    config = result.expectation_config
    details = result.result or {}
    if "observed_value" in details:
        observed = details["observed_value"]
    elif details.get("unexpected_count"):
        observed = details.get("partial_unexpected_list")  # e.g. the gaps of the rows that do not reconcile
    else:
        observed = {k: details[k] for k in ("element_count", "unexpected_count") if k in details} or None
    exception = (result.exception_info or {}).get("exception_message") if result.exception_info else None
    if exception:
        observed = {"exception": exception}
    rows = details.get("unexpected_index_list") or []
    return ExpectationOutcome(
        expectation_type=config.type,
        column=column_of(config.kwargs),
        severity=severity_of(config.meta),
        success=bool(result.success),
        observed_value=plain(observed),
        unexpected_count=details.get("unexpected_count"),
        failing_rows=plain(rows[:FAILING_ROWS_LIMIT]) if isinstance(rows, list) else [],
        description=config.description,
    )
