"""The raw tables: their DDL and one extracted document's records in their columns' order.

Shared by the extraction folder (`extract.extracts`, which writes a document's records as Parquet) and the
loader (`extract.load`, which creates the tables and ingests the records); no import of either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal

from extract.model import ExtractedDocument

EXTRACTOR_VERSION = "1"
RAW_TABLES = ("documents", "units", "projects", "indicators", "findings")

DDL = """
create schema if not exists raw;
create table if not exists raw.documents (
    document_id varchar not null, document_name varchar not null, source_path varchar,
    source_format varchar not null, status varchar not null,
    title varchar, header_label varchar, header_name varchar, currency_unit varchar,
    department varchar, fiscal_year integer, year_source varchar not null, indicator_format varchar,
    department_total decimal(18,2), department_fiscal decimal(18,2),
    department_special_account decimal(18,2), department_other decimal(18,2),
    department_components decimal(18,2)[],
    unit_count integer, project_count integer, indicator_count integer,
    error_count integer, warning_count integer,
    page_count integer, line_count integer, size_bytes bigint,
    extractor_version varchar not null, loaded_at timestamp not null
);
create table if not exists raw.units (
    document_id varchar not null, unit_seq integer not null, unit_name varchar not null,
    total decimal(18,2), fiscal decimal(18,2), special_account decimal(18,2), other decimal(18,2),
    components decimal(18,2)[], attribution varchar not null,
    pages integer[], line_start integer, line_end integer
);
create table if not exists raw.projects (
    document_id varchar not null, unit_seq integer not null, project_seq integer not null,
    project_name varchar not null,
    total decimal(18,2), fiscal decimal(18,2), special_account decimal(18,2), other decimal(18,2),
    components decimal(18,2)[], attribution varchar not null, goal varchar,
    pages integer[], line_start integer, line_end integer
);
create table if not exists raw.indicators (
    document_id varchar not null, unit_seq integer not null, project_seq integer not null,
    indicator_seq integer not null,
    level1_code varchar, level1 varchar, level2_code varchar, level2 varchar, indicator_name varchar,
    period_value varchar, annual_value varchar, source_text varchar,
    pages integer[], line_start integer, line_end integer
);
create table if not exists raw.findings (
    document_id varchar not null, finding_seq integer not null, severity varchar not null,
    code varchar not null, message varchar not null, unit_name varchar, project_seq integer,
    pages integer[], line_start integer, line_end integer, source_text varchar
);
create table if not exists raw.document_names (
    document_name varchar not null, document_id varchar not null, supersedes varchar,
    table_key varchar, unit_key varchar, loaded_at timestamp not null
);
insert into raw.document_names
    select document_name, document_id, null, null, null, loaded_at from raw.documents
    where document_id not in (select document_id from raw.document_names);
"""


def unit_key(doc: ExtractedDocument) -> str:
    """The unit a table is for, whitespace removed: its 单位名称 (or 部门名称) header."""
    return _squeeze(doc.header_name or doc.department or "")


def table_key(doc: ExtractedDocument) -> str:
    """What makes two files the same table whatever their bytes: unit, year and project rows, with
    whitespace and line ends removed."""
    rows = [unit_key(doc), str(doc.fiscal_year)]
    rows += [f"{_squeeze(unit.name)}|{_squeeze(p.name)}|{p.amounts.total}" for unit in doc.units for p in unit.projects]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def document_rows(doc: ExtractedDocument) -> dict[str, list[tuple]]:
    """The raw tables' records of `doc`, in their columns' order (values as Python objects). A document with
    an error finding is recorded (status ``rejected``) with its findings, and nothing else."""
    accepted = not doc.failed
    projects = doc.projects() if accepted else []
    total = doc.department_total
    documents = [(
        doc.document_id, doc.document, doc.source_path, doc.source_format, "loaded" if accepted else "rejected",
        doc.title, doc.header_label, doc.header_name, doc.currency_unit,
        doc.department, doc.fiscal_year, doc.year_source, doc.indicator_format,
        total.total if total else None, total.fiscal if total else None,
        total.special_account if total else None, total.other if total else None,
        doc.department_components or None,
        len(doc.units) if accepted else 0, len(projects), sum(len(p.indicators) for _, p in projects),
        sum(f.severity == "error" for f in doc.findings), sum(f.severity == "warning" for f in doc.findings),
        doc.page_count, doc.line_count, doc.size_bytes,
        EXTRACTOR_VERSION, dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )]
    units, project_rows, indicators = [], [], []
    for unit_seq, unit in enumerate(doc.units if accepted else [], start=1):
        a = unit.amounts
        units.append((doc.document_id, unit_seq, unit.name, a.total, a.fiscal, a.special_account, a.other,
                      unit.components, unit.attribution, unit.lineage.pages or None,
                      unit.lineage.line_start, unit.lineage.line_end))
        for p in unit.projects:
            a = p.amounts
            project_rows.append((doc.document_id, unit_seq, p.seq, p.name, a.total, a.fiscal, a.special_account,
                                 a.other, p.components, p.attribution, p.goal, p.lineage.pages or None,
                                 p.lineage.line_start, p.lineage.line_end))
            for i in p.indicators:
                indicators.append((doc.document_id, unit_seq, p.seq, i.seq, i.level1_code, i.level1,
                                   i.level2_code, i.level2, i.name, i.period_value, i.annual_value,
                                   i.source_text, i.lineage.pages or None, i.lineage.line_start,
                                   i.lineage.line_end))
    findings = [
        (doc.document_id, i, f.severity, f.code, f.message, f.unit, f.project_seq,
         f.lineage.pages or None, f.lineage.line_start, f.lineage.line_end, f.text)
        for i, f in enumerate(doc.findings, start=1)
    ]
    return {"documents": documents, "units": units, "projects": project_rows, "indicators": indicators,
            "findings": findings}


def plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [str(v) if isinstance(v, Decimal) else v for v in value]
    return value
