"""The raw gate: what `extract` loaded into schema ``raw`` before dbt reads it."""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations import Expectation
from great_expectations.expectations.row_conditions import Column

from expectations.settings import FISCAL_YEARS, LEVEL1_CATEGORIES, LEVEL1_CODES, LEVEL2_CATEGORIES
from expectations.suite import TableSuite, error, warning
from expectations.suites.common import (
    amounts_in_range,
    funding_gap,
    funding_sums_to_total,
    holds,
    key,
    non_empty,
    not_null,
    unique_key,
)

DOCUMENTS_QUERY = """
with units as (select document_id, count(*) as n from raw.units group by document_id),
projects as (select document_id, count(*) as n from raw.projects group by document_id),
indicators as (select document_id, count(*) as n from raw.indicators group by document_id),
errors as (select distinct document_id from raw.findings where severity = 'error')
select d.*,
    coalesce(projects.n, 0) as projects_loaded,
    coalesce(indicators.n, 0) as indicators_loaded,
    coalesce(d.status <> 'loaded' or errors.document_id is not null
             or (units.n > 0 and projects.n > 0), false) as loaded_with_rows,
    coalesce(d.status <> 'rejected' or (errors.document_id is not null
             and units.n is null and projects.n is null), false) as rejected_without_rows
from {table} as d
left join units on units.document_id = d.document_id
left join projects on projects.document_id = d.document_id
left join indicators on indicators.document_id = d.document_id
left join errors on errors.document_id = d.document_id
"""


def raw_documents() -> list[Expectation]:
    return [
        error(gxe.ExpectTableRowCountToBeBetween(min_value=1)),
        *key("document_id"),
        *not_null("document_name", "status", "source_format", "extractor_version"),
        unique_key("document_name"),
        error(gxe.ExpectColumnValuesToBeInSet(column="status", value_set=["loaded", "rejected"])),
        error(gxe.ExpectColumnValuesToBeInSet(column="source_format", value_set=["pdf", "text"])),
        error(gxe.ExpectColumnValuesToBeBetween(column="fiscal_year", min_value=FISCAL_YEARS[0],
                                                max_value=FISCAL_YEARS[1])),
        warning(gxe.ExpectColumnValuesToNotBeNull(
            column="fiscal_year", row_condition=Column("status") == "loaded",
            description="A loaded document has a fiscal year (from the manifest, its file name or inferred).")),
        *amounts_in_range("department_total", "department_fiscal", "department_special_account", "department_other"),
        holds("loaded_with_rows", "Every loaded document has at least one unit and one project, "
                                  "unless it carries an error finding."),
        holds("rejected_without_rows", "A rejected document carries an error finding and no units or projects."),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="project_count", column_B="projects_loaded",
            description="raw.projects holds as many rows of the document as it counted.")),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="indicator_count", column_B="indicators_loaded",
            description="raw.indicators holds as many rows of the document as it counted.")),
    ]


UNITS_QUERY = f"""
select u.*, {funding_gap('u')} as funding_gap,
    coalesce(d.status = 'loaded', false) as document_loaded
from {{table}} as u
left join raw.documents as d on d.document_id = u.document_id
"""


def raw_units() -> list[Expectation]:
    return [
        *key("document_id", "unit_seq"),
        *not_null("unit_name", "attribution"),
        *non_empty("unit_name", severe=warning),  # a project before any unit row is filed under a blank unit
        error(gxe.ExpectColumnValuesToBeInSet(column="attribution", value_set=["explicit", "inferred", "unknown"])),
        *amounts_in_range("total", "fiscal", "special_account", "other"),
        funding_sums_to_total(),
        holds("document_loaded", "Units belong to a document with status 'loaded'."),
    ]


PROJECTS_QUERY = f"""
with indicators as (
    select document_id, unit_seq, project_seq, count(*) as n from raw.indicators group by all
)
select p.*, {funding_gap('p')} as funding_gap,
    row_number() over (partition by p.document_id, p.unit_seq order by p.project_seq) as expected_project_seq,
    u.unit_seq is not null as unit_exists,
    coalesce(indicators.n, 0) as indicators_loaded
from {{table}} as p
left join raw.units as u on u.document_id = p.document_id and u.unit_seq = p.unit_seq
left join indicators on indicators.document_id = p.document_id and indicators.unit_seq = p.unit_seq
    and indicators.project_seq = p.project_seq
"""


def raw_projects() -> list[Expectation]:
    return [
        *key("document_id", "unit_seq", "project_seq"),
        *not_null("project_name", "attribution"),
        *non_empty("project_name"),
        unique_key("document_id", "unit_seq", "project_name", severe=warning),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="project_seq", column_B="expected_project_seq",
            description="Projects are numbered 1..N within their unit, without gaps or repeats.")),
        error(gxe.ExpectColumnValuesToBeInSet(column="attribution", value_set=["explicit", "inferred", "unknown"])),
        *amounts_in_range("total", "fiscal", "special_account", "other"),
        *not_null("total"),
        funding_sums_to_total(),
        holds("unit_exists", "Every project belongs to a unit of its document."),
        warning(gxe.ExpectColumnValuesToBeBetween(
            column="indicators_loaded", min_value=1, description="Every project has at least one indicator.")),
    ]


INDICATORS_QUERY = """
select i.*,
    row_number() over (partition by i.document_id, i.unit_seq, i.project_seq order by i.indicator_seq)
        as expected_indicator_seq,
    nullif(trim(i.level2), '') as level2_named,
    p.project_seq is not null as project_exists
from {table} as i
left join raw.projects as p on p.document_id = i.document_id and p.unit_seq = i.unit_seq
    and p.project_seq = i.project_seq
"""


def raw_indicators() -> list[Expectation]:
    return [
        *key("document_id", "unit_seq", "project_seq", "indicator_seq"),
        error(gxe.ExpectColumnPairValuesToBeEqual(
            column_A="indicator_seq", column_B="expected_indicator_seq",
            description="Indicators are numbered 1..N within their project, without gaps or repeats.")),
        *not_null("level1", "indicator_name"),
        *non_empty("indicator_name"),
        error(gxe.ExpectColumnValuesToBeInSet(
            column="level1", value_set=list(LEVEL1_CATEGORIES),
            description="一级指标 is one of 产出指标, 效益指标, 满意度指标, 成本指标.")),
        warning(gxe.ExpectColumnPairValuesToBeInSet(
            column_A="level1_code", column_B="level1", value_pairs_set=[(c, n) for c, n in LEVEL1_CODES.items()],
            ignore_row_if="either_value_is_missing",
            description="A printed 一级 code goes with its usual name (1 产出, 2 效益, 3 满意度, 4 成本).")),
        warning(gxe.ExpectColumnValuesToBeInSet(
            column="level2_named", value_set=list(LEVEL2_CATEGORIES),
            description="A named 二级指标 is one of the known ones (a blank name is allowed).")),
        warning(gxe.ExpectColumnValuesToNotBeNull(column="annual_value")),
        holds("project_exists", "Every indicator belongs to a project of its document."),
    ]


FINDINGS_QUERY = """
select f.*, d.document_id is not null as document_exists
from {table} as f
left join raw.documents as d on d.document_id = f.document_id
"""


def raw_findings() -> list[Expectation]:
    return [
        *key("document_id", "finding_seq"),
        *not_null("severity", "code", "message"),
        error(gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=["error", "warning", "info"])),
        holds("document_exists", "Every finding belongs to a loaded or rejected document."),
    ]


RAW_SUITES = (
    TableSuite("raw_documents", "raw", "raw.documents", ("document_name",), raw_documents, DOCUMENTS_QUERY),
    TableSuite("raw_units", "raw", "raw.units", ("document_id", "unit_seq", "unit_name"), raw_units, UNITS_QUERY),
    TableSuite("raw_projects", "raw", "raw.projects", ("document_id", "unit_seq", "project_seq", "project_name"),
               raw_projects, PROJECTS_QUERY),
    TableSuite("raw_indicators", "raw", "raw.indicators",
               ("document_id", "unit_seq", "project_seq", "indicator_seq"), raw_indicators, INDICATORS_QUERY),
    TableSuite("raw_findings", "raw", "raw.findings", ("document_id", "finding_seq", "code"), raw_findings,
               FINDINGS_QUERY),
)
