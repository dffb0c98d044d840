"""The marts gate: facts join their dimensions, shares are shares, totals reconcile (a warning)."""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation
from great_expectations.expectations.row_conditions import Column

from expectations.settings import AMOUNT_TOLERANCE, UNIT_TOTAL_TOLERANCE
from expectations.suite import TableSuite, error, warning
from expectations.suites.common import amounts_in_range, exists_in, holds, key, not_null, unique_key
from expectations.suites.marts_dimensions import DIMENSION_SUITES

AMOUNTS = ("total_amount", "fiscal_amount", "special_account_amount", "other_amount", "unattributed_amount")

PROJECT_BUDGET_QUERY = f"""
with indicators as (select project_id, count(*) as n from marts.fct_indicator_target group by project_id)
select f.*,
    {exists_in('f.project_key', 'marts.dim_project')} as joins_dim_project,
    {exists_in('f.unit_key', 'marts.dim_unit')} as joins_dim_unit,
    {exists_in('f.department_key', 'marts.dim_department', nullable=True)} as joins_dim_department,
    {exists_in('f.document_id', 'marts.dim_document')} as joins_dim_document,
    {exists_in('f.fiscal_year', 'marts.dim_fiscal_year', nullable=True)} as joins_dim_fiscal_year,
    f.total_amount - (coalesce(f.fiscal_amount, 0) + coalesce(f.special_account_amount, 0)
        + coalesce(f.other_amount, 0) + coalesce(f.unattributed_amount, 0)) as funding_gap,
    coalesce(indicators.n, 0) as indicators_in_fact,
    (select count(*) from staging.stg_budget__projects) as staged_rows, count(*) over () as fact_rows
from {{table}} as f
left join indicators on indicators.project_id = f.project_id
"""


def fct_project_budget() -> list[Expectation]:
    return [
        *key("project_id"),
        *not_null("project_key", "unit_key", "document_id", "total_amount"),
        *not_null("department_key", "fiscal_year", severe=warning),
        *(holds(f"joins_{dim}", f"Every row's key is found in {dim}.") for dim in
          ("dim_project", "dim_unit", "dim_department", "dim_document", "dim_fiscal_year")),
        *amounts_in_range(*AMOUNTS),
        error(gxe.ExpectColumnValuesToBeBetween(
            column="funding_gap", min_value=-AMOUNT_TOLERANCE, max_value=AMOUNT_TOLERANCE,
            description="fiscal + special_account + other + unattributed = total_amount on every row.")),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="indicator_count", column_B="indicators_in_fact",
            description="indicator_count is the project's number of rows in fct_indicator_target.")),
        # Real documents may print a project without indicators: one is reported, many mean a broken join.
        warning(gxe.ExpectColumnValuesToBeBetween(
            column="indicators_in_fact", min_value=1, description="Every project has at least one indicator.")),
        error(gxe.ExpectColumnValuesToBeBetween(
            column="indicators_in_fact", min_value=1, mostly=0.9,
            description="At least 90% of projects have indicators (fewer means indicators were lost).")),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="fact_rows", column_B="staged_rows", description="Every staged project is in the fact.")),
    ]


INDICATOR_TARGET_QUERY = f"""
select f.*,
    {exists_in('f.project_id', 'marts.fct_project_budget')} as joins_fct_project_budget,
    {exists_in('f.project_key', 'marts.dim_project')} as joins_dim_project,
    {exists_in('f.unit_key', 'marts.dim_unit')} as joins_dim_unit,
    {exists_in('f.document_id', 'marts.dim_document')} as joins_dim_document,
    {exists_in('f.fiscal_year', 'marts.dim_fiscal_year', nullable=True)} as joins_dim_fiscal_year,
    {exists_in('f.level1_category_code', 'marts.dim_indicator_category', 'category_code')}
        as joins_dim_indicator_category,
    {exists_in('f.level2_category_code', 'marts.dim_indicator_category', 'category_code', nullable=True)}
        as joins_dim_indicator_category_level2,
    (select count(*) from staging.stg_budget__indicators) as staged_rows, count(*) over () as fact_rows
from {{table}} as f
"""
TARGET_KINDS = ["quantitative", "qualitative", "compound", "deadline", "unparsed"]


def fct_indicator_target() -> list[Expectation]:
    return [
        *key("indicator_id"),
        unique_key("project_id", "indicator_seq"),
        *not_null("project_id", "project_key", "level1_category_code", "is_quantified"),
        *(holds(f"joins_{dim}", f"Every row's key is found in {dim}.") for dim in
          ("fct_project_budget", "dim_project", "dim_unit", "dim_document", "dim_fiscal_year",
           "dim_indicator_category", "dim_indicator_category_level2")),
        error(gxe.ExpectColumnValuesToBeInSet(column="annual_kind", value_set=TARGET_KINDS)),
        error(gxe.ExpectColumnValuesToBeInSet(column="period_kind", value_set=TARGET_KINDS)),
        warning(gxe.ExpectColumnValuesToNotBeInSet(
            column="annual_kind", value_set=["unparsed"], mostly=0.95,
            description="At most 5% of annual targets are left unparsed.")),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="fact_rows", column_B="staged_rows", description="Every staged indicator is in the fact.")),
    ]


UNIT_YEAR_QUERY = f"""
with projects as (
    select document_id || '-' || unit_seq as unit_id, sum(total_amount) as amount
    from marts.fct_project_budget group by all
)
select r.*,
    {exists_in('r.unit_key', 'marts.dim_unit')} as joins_dim_unit,
    {exists_in('r.document_id', 'marts.dim_document')} as joins_dim_document,
    {exists_in('r.funding_source_code', 'marts.dim_funding_source')} as joins_dim_funding_source,
    coalesce(projects.amount, 0) as fact_projects_amount
from {{table}} as r
left join projects on projects.unit_id = r.unit_id
"""


def rpt_unit_year_summary() -> list[Expectation]:
    return [
        *key("summary_id"),
        unique_key("unit_id", "funding_source_code"),
        *(holds(f"joins_{dim}", f"Every row's key is found in {dim}.") for dim in
          ("dim_unit", "dim_document", "dim_funding_source")),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="projects_amount", column_B="fact_projects_amount", row_condition=Column("funding_source_code") == "total",
            description="The report's project sum is the sum of the unit's rows in fct_project_budget.")),
        # Warnings: real documents do not all reconcile; the observed value lists the gaps.
        warning(gxe.ExpectColumnValuesToBeBetween(
            column="reconciliation_gap", min_value=-UNIT_TOTAL_TOLERANCE, max_value=UNIT_TOTAL_TOLERANCE,
            row_condition=Column("funding_source_code") == "total",
            description=f"A unit's projects sum to its printed total within {UNIT_TOTAL_TOLERANCE} 万元.")),
        warning(gxe.ExpectColumnValuesToBeBetween(
            column="reconciliation_gap", min_value=-UNIT_TOTAL_TOLERANCE, max_value=UNIT_TOTAL_TOLERANCE,
            row_condition=Column("funding_source_code") != "total",
            description="Each funding column the unit prints (and the unattributed rest) is its projects' sum.")),
    ]


def _share(*columns: str) -> list[Expectation]:
    return [error(gxe.ExpectColumnValuesToBeBetween(
        column=c, min_value=0, max_value=1, description=f"{c} is a share, within [0, 1].")) for c in columns]


COVERAGE_QUERY = f"""
select r.*, {exists_in('r.project_id', 'marts.fct_project_budget')} as joins_fct_project_budget
from {{table}} as r
"""


def rpt_project_indicator_coverage() -> list[Expectation]:
    return [
        *key("project_id"),
        *_share("quantified_share"),
        error(gxe.ExpectColumnValuesToBeBetween(column="missing_category_count", min_value=0, max_value=4)),
        holds("joins_fct_project_budget", "Every row is a project of fct_project_budget."),
    ]


YEAR_OVER_YEAR_QUERY = f"""
select r.*,
    {exists_in('r.project_id', 'marts.fct_project_budget')} as joins_fct_project_budget,
    {exists_in('r.previous_project_id', 'marts.fct_project_budget', 'project_id', nullable=True)}
        as previous_joins_fct_project_budget,
    coalesce(r.previous_fiscal_year < r.fiscal_year, r.previous_project_id is null) as previous_is_earlier
from {{table}} as r
"""


def rpt_project_year_over_year() -> list[Expectation]:
    return [
        *key("project_id"),
        *_share("quantified_share", "previous_quantified_share"),
        holds("joins_fct_project_budget", "Every row is a project of fct_project_budget."),
        holds("previous_joins_fct_project_budget", "A previous project is a project of fct_project_budget."),
        holds("previous_is_earlier", "A previous project is from an earlier fiscal year."),
    ]


MARTS_SUITES = (
    TableSuite("fct_project_budget", "marts", "marts.fct_project_budget", ("project_id", "project_name"),
               fct_project_budget, PROJECT_BUDGET_QUERY),
    TableSuite("fct_indicator_target", "marts", "marts.fct_indicator_target", ("indicator_id",),
               fct_indicator_target, INDICATOR_TARGET_QUERY),
    TableSuite("rpt_unit_year_summary", "marts", "marts.rpt_unit_year_summary",
               ("summary_id", "printed_unit_name", "fiscal_year"), rpt_unit_year_summary, UNIT_YEAR_QUERY),
    TableSuite("rpt_project_indicator_coverage", "marts", "marts.rpt_project_indicator_coverage",
               ("project_id", "project_name"), rpt_project_indicator_coverage, COVERAGE_QUERY),
    TableSuite("rpt_project_year_over_year", "marts", "marts.rpt_project_year_over_year",
               ("project_id", "project_name"), rpt_project_year_over_year, YEAR_OVER_YEAR_QUERY),
    *DIMENSION_SUITES,
)
