"""The staging gate: dbt's typed, renamed views over ``raw`` before the marts read them."""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation

from expectations.settings import LEVEL1_CATEGORIES
from expectations.suite import TableSuite, error, warning
from expectations.suites.common import (
    amounts_in_range,
    holds,
    key,
    normalized_present,
    normalizes,
    not_null,
    stored_as,
    typeof_columns,
    unique_key,
)

AMOUNT = "DECIMAL(18,2)"
DOCUMENT_TYPES = {"document_id": "VARCHAR", "is_loaded": "BOOLEAN", "fiscal_year": "INTEGER",
                  "department_total_amount": AMOUNT, "project_count": "INTEGER", "loaded_at": "TIMESTAMP"}
DOCUMENT_TEXT = {"header_name": "header_name_normalized", "department_name": "department_name_normalized"}
UNIT_TYPES = {"unit_id": "VARCHAR", "unit_seq": "INTEGER", "total_amount": AMOUNT, "fiscal_amount": AMOUNT,
              "special_account_amount": AMOUNT, "other_amount": AMOUNT}
UNIT_TEXT = {"unit_name": "unit_name_normalized"}
PROJECT_TYPES = {"project_id": "VARCHAR", "unit_id": "VARCHAR", "project_seq": "INTEGER", "total_amount": AMOUNT,
                 "fiscal_amount": AMOUNT, "special_account_amount": AMOUNT, "other_amount": AMOUNT}
PROJECT_NAME, PROJECT_GOAL = {"project_name": "project_name_normalized"}, {"goal": "goal_normalized"}
INDICATOR_TYPES = {"indicator_id": "VARCHAR", "project_id": "VARCHAR", "indicator_seq": "INTEGER",
                   "level1_name": "VARCHAR", "annual_value": "VARCHAR"}
INDICATOR_NAMES = {"level1_name": "level1_name_normalized", "indicator_name": "indicator_name_normalized"}
INDICATOR_VALUES = {"level2_name": "level2_name_normalized", "period_value": "period_value_normalized",
                    "annual_value": "annual_value_normalized"}

DOCUMENTS_QUERY = f"""
select d.*, {typeof_columns('d', DOCUMENT_TYPES)}, {normalized_present('d', DOCUMENT_TEXT)},
    d.is_loaded is not distinct from (d.document_status = 'loaded') as is_loaded_matches_status,
    (select count(*) from raw.documents) as raw_rows, count(*) over () as staged_rows
from {{table}} as d
"""


def stg_documents() -> list[Expectation]:
    return [
        error(gxe.ExpectTableRowCountToBeBetween(min_value=1)),
        *key("document_id"),
        unique_key("document_name"),
        *stored_as(DOCUMENT_TYPES),
        error(gxe.ExpectColumnValuesToBeInSet(column="document_status", value_set=["loaded", "rejected"])),
        holds("is_loaded_matches_status", "is_loaded is true exactly for status 'loaded'."),
        *normalizes(DOCUMENT_TEXT),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="staged_rows", column_B="raw_rows", description="Every raw document is staged.")),
    ]


def _loaded(raw_table: str) -> str:
    return (f"(select count(*) from raw.{raw_table} as r join raw.documents as d "
            f"on d.document_id = r.document_id and d.status = 'loaded')")


UNITS_QUERY = f"""
select u.*, {typeof_columns('u', UNIT_TYPES)}, {normalized_present('u', UNIT_TEXT)},
    coalesce(d.is_loaded, false) as document_loaded,
    {_loaded('units')} as raw_rows, count(*) over () as staged_rows
from {{table}} as u
left join staging.stg_budget__documents as d on d.document_id = u.document_id
"""


def stg_units() -> list[Expectation]:
    return [
        *key("unit_id"),
        unique_key("document_id", "unit_seq"),
        *stored_as(UNIT_TYPES),
        *normalizes(UNIT_TEXT),
        *amounts_in_range("total_amount", "fiscal_amount", "special_account_amount", "other_amount"),
        holds("document_loaded", "Units come only from loaded documents."),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="staged_rows", column_B="raw_rows", description="Every unit of a loaded document is staged.")),
    ]


PROJECTS_QUERY = f"""
select p.*, {typeof_columns('p', PROJECT_TYPES)},
    {normalized_present('p', {**PROJECT_NAME, **PROJECT_GOAL})},
    u.unit_id is not null as unit_exists,
    {_loaded('projects')} as raw_rows, count(*) over () as staged_rows
from {{table}} as p
left join staging.stg_budget__units as u on u.unit_id = p.unit_id
"""


def stg_projects() -> list[Expectation]:
    return [
        *key("project_id"),
        *not_null("unit_id", "project_name", "total_amount"),
        *stored_as(PROJECT_TYPES),
        *normalizes(PROJECT_NAME),
        *normalizes(PROJECT_GOAL, warning),
        *amounts_in_range("total_amount", "fiscal_amount", "special_account_amount", "other_amount"),
        error(gxe.ExpectColumnValuesToBeInSet(column="funding_attribution",
                                              value_set=["explicit", "inferred", "unknown"])),
        holds("unit_exists", "Every project's unit_id is a staged unit."),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="staged_rows", column_B="raw_rows",
            description="Every project of a loaded document is staged.")),
    ]


INDICATORS_QUERY = f"""
select i.*, {typeof_columns('i', INDICATOR_TYPES)},
    {normalized_present('i', {**INDICATOR_NAMES, **INDICATOR_VALUES})},
    p.project_id is not null as project_exists,
    {_loaded('indicators')} as raw_rows, count(*) over () as staged_rows
from {{table}} as i
left join staging.stg_budget__projects as p on p.project_id = i.project_id
"""


def stg_indicators() -> list[Expectation]:
    return [
        *key("indicator_id"),
        unique_key("project_id", "indicator_seq"),
        *stored_as(INDICATOR_TYPES),
        *normalizes(INDICATOR_NAMES),
        *normalizes(INDICATOR_VALUES, warning),
        error(gxe.ExpectColumnValuesToBeInSet(column="level1_name_normalized", value_set=list(LEVEL1_CATEGORIES))),
        holds("project_exists", "Every indicator's project_id is a staged project."),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="staged_rows", column_B="raw_rows",
            description="Every indicator of a loaded document is staged.")),
    ]


STAGING_SUITES = (
    TableSuite("stg_budget__documents", "staging", "staging.stg_budget__documents", ("document_name",),
               stg_documents, DOCUMENTS_QUERY),
    TableSuite("stg_budget__units", "staging", "staging.stg_budget__units", ("unit_id", "unit_name"),
               stg_units, UNITS_QUERY),
    TableSuite("stg_budget__projects", "staging", "staging.stg_budget__projects", ("project_id", "project_name"),
               stg_projects, PROJECTS_QUERY),
    TableSuite("stg_budget__indicators", "staging", "staging.stg_budget__indicators", ("indicator_id",),
               stg_indicators, INDICATORS_QUERY),
)
