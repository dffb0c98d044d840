"""The marts gate, dimensions: one row per key, and every key they hand on found where it points."""

from __future__ import annotations

from collections.abc import Callable

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from expectations.settings import FISCAL_YEARS, LEVEL1_CATEGORIES
from expectations.suite import TableSuite, error
from expectations.suites.common import exists_in, holds, key, not_null, unique_key


def dimension(name: str, keys: tuple[str, ...], more: Callable[[], list[Expectation]],
              query: str = "select * from {table}") -> TableSuite:
    def expectations() -> list[Expectation]:
        return [error(gxe.ExpectTableRowCountToBeBetween(min_value=1)), *key(keys[0]), *more()]

    return TableSuite(name, "marts", f"marts.{name}", keys, expectations, query)


def _dim_project() -> list[Expectation]:
    return [
        *not_null("unit_key", "project_name", "latest_project_id"),
        holds("joins_dim_unit", "Every project's unit_key is in dim_unit."),
        holds("years_in_order", "first_fiscal_year <= last_fiscal_year."),
    ]


def _dim_unit() -> list[Expectation]:
    return [*not_null("unit_name"), holds("joins_dim_department", "A unit's department_key is in dim_department.")]


def _dim_document() -> list[Expectation]:
    return [unique_key("document_name"),
            holds("joins_dim_fiscal_year", "A document's fiscal_year is in dim_fiscal_year.")]


def _dim_indicator_category() -> list[Expectation]:
    return [error(gxe.ExpectColumnValuesToBeInSet(
        column="level1_name", value_set=list(LEVEL1_CATEGORIES),
        description="Every category sits under one of the four 一级 categories."))]


DIMENSION_SUITES = (
    dimension("dim_project", ("project_key", "project_name"), _dim_project, f"""
        select d.*, {exists_in('d.unit_key', 'marts.dim_unit', 'unit_key')} as joins_dim_unit,
            coalesce(d.first_fiscal_year <= d.last_fiscal_year, true) as years_in_order
        from {{table}} as d"""),
    dimension("dim_unit", ("unit_key", "unit_name"), _dim_unit, f"""
        select d.*, {exists_in('d.department_key', 'marts.dim_department', nullable=True)} as joins_dim_department
        from {{table}} as d"""),
    dimension("dim_department", ("department_key", "department_name"), lambda: not_null("department_name")),
    dimension("dim_document", ("document_id", "document_name"), _dim_document, f"""
        select d.*, {exists_in('d.fiscal_year', 'marts.dim_fiscal_year', nullable=True)} as joins_dim_fiscal_year
        from {{table}} as d"""),
    dimension("dim_fiscal_year", ("fiscal_year",), lambda: [error(gxe.ExpectColumnValuesToBeBetween(
        column="fiscal_year", min_value=FISCAL_YEARS[0], max_value=FISCAL_YEARS[1]))]),
    dimension("dim_indicator_category", ("category_code", "category_name"), _dim_indicator_category),
    dimension("dim_funding_source", ("funding_source_code", "funding_source_name"),
              lambda: not_null("funding_source_name")),
)
