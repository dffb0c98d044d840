"""Expectation shapes every gate uses: keys, amounts, computed yes/no checks."""

from __future__ import annotations

from collections.abc import Callable

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation
from great_expectations.expectations.row_conditions import Column

from expectations.settings import AMOUNT_TOLERANCE, MAX_AMOUNT
from expectations.suite import error, warning

Severe = Callable[[Expectation], Expectation]


def not_null(*columns: str, severe: Severe = error) -> list[Expectation]:
    return [severe(gxe.ExpectColumnValuesToNotBeNull(column=c)) for c in columns]


def unique_key(*columns: str, severe: Severe = error) -> Expectation:
    if len(columns) == 1:
        return severe(gxe.ExpectColumnValuesToBeUnique(column=columns[0]))
    return severe(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(columns)))


def key(*columns: str) -> list[Expectation]:
    """A primary key: every part present, the whole unique."""
    return [*not_null(*columns), unique_key(*columns)]


def amounts_in_range(*columns: str, severe: Severe = error) -> list[Expectation]:
    return [
        severe(gxe.ExpectColumnValuesToBeBetween(
            column=c, min_value=0, max_value=MAX_AMOUNT,
            description=f"{c} is an amount in 万元: not negative, at most {MAX_AMOUNT:,}.",
        ))
        for c in columns
    ]


def non_empty(*columns: str, severe: Severe = error) -> list[Expectation]:
    return [severe(gxe.ExpectColumnValueLengthsToBeBetween(column=c, min_value=1)) for c in columns]


def holds(column: str, description: str, severe: Severe = error) -> Expectation:
    """A yes/no column the suite's query computes (a join, a count) must be true on every row.

    GX skips nulls in set expectations, so the query must never leave the column null.
    """
    return severe(gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], description=description))


def funding_sums_to_total() -> Expectation:
    # A warning: real documents do not all reconcile, and the extractor reports gaps as findings.
    return warning(gxe.ExpectColumnValuesToBeBetween(
        column="funding_gap", min_value=-AMOUNT_TOLERANCE, max_value=AMOUNT_TOLERANCE,
        row_condition=Column("attribution") == "explicit",
        description="Where the funding columns are known (attribution = explicit), "
                    "财政拨款 + 财政专户拨款 + 其他资金 = 总计.",
    ))


def funding_gap(alias: str) -> str:
    """SQL for 总计 minus the funding columns of the row `alias`."""
    a = alias
    return f"{a}.total - (coalesce({a}.fiscal, 0) + coalesce({a}.special_account, 0) + coalesce({a}.other, 0))"


def typeof_columns(alias: str, types: dict[str, str]) -> str:
    """SQL selecting each column's DuckDB type as ``<column>__type`` (pandas dtypes depend on the data)."""
    return ", ".join(f"typeof({alias}.{c}) as {c}__type" for c in types)


def stored_as(types: dict[str, str]) -> list[Expectation]:
    return [
        error(gxe.ExpectColumnValuesToBeInSet(
            column=f"{c}__type", value_set=[t], description=f"{c} is stored as {t}."))
        for c, t in types.items()
    ]


def normalized_present(alias: str, pairs: dict[str, str]) -> str:
    """SQL: for each printed column, true where it is blank or its normalised twin is filled."""
    return ", ".join(
        f"(nullif(trim({alias}.{raw}), '') is null or {alias}.{norm} is not null) as {norm}_present"
        for raw, norm in pairs.items()
    )


def normalizes(pairs: dict[str, str], severe: Severe = error) -> list[Expectation]:
    return [
        holds(f"{norm}_present", f"{norm} is filled wherever {raw} is not blank.", severe)
        for raw, norm in pairs.items()
    ]


def exists_in(column: str, relation: str, key: str | None = None, nullable: bool = False) -> str:
    """SQL: true where `column` finds its row in `relation` (a dimension); a null passes when `nullable`."""
    found = f"exists (select 1 from {relation} as dim where dim.{key or column.split('.')[-1]} = {column})"
    return f"({column} is null or {found})" if nullable else found
