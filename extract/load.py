"""Load extracted documents into the DuckDB ``raw`` schema (connections: `extract.warehouse`).

* one transaction per document: a failure leaves none of its rows;
* idempotent: a file already loaded with the same content (sha256) and extractor version is skipped;
* a changed file (same name, new content) replaces its earlier version's rows;
* a document with an error finding is recorded (``status = 'rejected'``) with its findings, but none of
  its units, projects or indicators, so bad data stops here;
* parameterised SQL only;
* while another process writes the warehouse, it waits (``extract.warehouse.writer``), then raises
  ``WarehouseLocked``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from extract import failpoints
from extract.model import ExtractedDocument
from extract.warehouse import writer

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
"""


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # no content to record (e.g. missing file)
    failed: dict[str, str] = field(default_factory=dict)  # load errors, rolled back

    def summary(self) -> str:
        return (
            f"load: {len(self.loaded)} loaded, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
            f"{len(self.rejected)} rejected, {len(self.skipped)} skipped, {len(self.failed)} failed"
        )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def load_documents(warehouse: str | Path, docs: Iterable[ExtractedDocument],
                   timeout: float | None = None) -> LoadReport:
    """Load each document in its own transaction; `timeout`: seconds to wait for the warehouse's lock."""
    report = LoadReport()
    with writer(warehouse, timeout=timeout) as con:
        ensure_schema(con)
        for doc in docs:
            load_document(con, doc, report)
    return report


def load_document(con: duckdb.DuckDBPyConnection, doc: ExtractedDocument, report: LoadReport) -> None:
    if not doc.document_id:
        report.skipped.append(doc.document)
        return
    previous = con.execute(
        "select document_id, document_name, extractor_version from raw.documents "
        "where document_id = ? or document_name = ?",
        [doc.document_id, doc.document],
    ).fetchall()
    if (doc.document_id, doc.document, EXTRACTOR_VERSION) in previous and len(previous) == 1:
        report.unchanged.append(doc.document)
        return
    con.execute("begin transaction")
    try:
        for old_id, _, _ in previous:
            for table in RAW_TABLES:
                con.execute(f"delete from raw.{table} where document_id = ?", [old_id])  # table from RAW_TABLES
        _insert(con, doc)
        failpoints.reached("load.transaction")
        con.execute("commit")
    except Exception as exc:
        con.execute("rollback")
        report.failed[doc.document] = f"{type(exc).__name__}: {exc}"
        return
    if doc.failed:
        report.rejected.append(doc.document)
    elif previous:
        report.replaced.append(doc.document)
    else:
        report.loaded.append(doc.document)


def _insert(con: duckdb.DuckDBPyConnection, doc: ExtractedDocument) -> None:
    accepted = not doc.failed
    projects = doc.projects() if accepted else []
    total = doc.department_total
    con.execute(
        "insert into raw.documents values (" + ", ".join(["?"] * 28) + ")",
        [
            doc.document_id, doc.document, doc.source_path, doc.source_format,
            "loaded" if accepted else "rejected",
            doc.title, doc.header_label, doc.header_name, doc.currency_unit,
            doc.department, doc.fiscal_year, doc.year_source, doc.indicator_format,
            total.total if total else None, total.fiscal if total else None,
            total.special_account if total else None, total.other if total else None,
            doc.department_components or None,
            len(doc.units) if accepted else 0, len(projects),
            sum(len(p.indicators) for _, p in projects),
            sum(f.severity == "error" for f in doc.findings), sum(f.severity == "warning" for f in doc.findings),
            doc.page_count, doc.line_count, doc.size_bytes,
            EXTRACTOR_VERSION, dt.datetime.now(dt.UTC).replace(tzinfo=None),
        ],
    )
    if accepted:
        _insert_records(con, doc)
    findings = [
        (doc.document_id, i, f.severity, f.code, f.message, f.unit, f.project_seq,
         f.lineage.pages or None, f.lineage.line_start, f.lineage.line_end, f.text)
        for i, f in enumerate(doc.findings, start=1)
    ]
    _insert_frame(con, "findings", findings)


def _insert_records(con: duckdb.DuckDBPyConnection, doc: ExtractedDocument) -> None:
    """The accepted document's units, projects and indicators, one table record per item."""
    units, projects, indicators = [], [], []
    for unit_seq, unit in enumerate(doc.units, start=1):
        a = unit.amounts
        units.append((doc.document_id, unit_seq, unit.name, a.total, a.fiscal, a.special_account, a.other,
                      unit.components, unit.attribution, unit.lineage.pages or None,
                      unit.lineage.line_start, unit.lineage.line_end))
        for p in unit.projects:
            a = p.amounts
            projects.append((doc.document_id, unit_seq, p.seq, p.name, a.total, a.fiscal, a.special_account,
                             a.other, p.components, p.attribution, p.goal, p.lineage.pages or None,
                             p.lineage.line_start, p.lineage.line_end))
            for i in p.indicators:
                indicators.append((doc.document_id, unit_seq, p.seq, i.seq, i.level1_code, i.level1,
                                   i.level2_code, i.level2, i.name, i.period_value, i.annual_value,
                                   i.source_text, i.lineage.pages or None, i.lineage.line_start,
                                   i.lineage.line_end))
    for table, records in (("units", units), ("projects", projects), ("indicators", indicators)):
        _insert_frame(con, table, records)


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, records: list[tuple]) -> None:
    """Insert many records at once through a DataFrame: ~30x faster than executemany.

    Values travel as Python objects (decimals as text) and are cast to the table's column types in SQL,
    so no value is ever formatted into the statement.
    """
    if not records:
        return
    columns = _column_types(con, table)
    frame = pd.DataFrame(
        [[_plain(v) for v in record] for record in records], columns=[f"c{i}" for i in range(len(columns))], dtype=object
    )
    casts = ", ".join(f"c{i}::{data_type}" for i, (_, data_type) in enumerate(columns))
    con.register("incoming_records", frame)
    try:
        con.execute(f"insert into raw.{table} select {casts} from incoming_records")  # names from the catalog
    finally:
        con.unregister("incoming_records")


_COLUMN_TYPES: dict[tuple[int, str], list[tuple[str, str]]] = {}


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    key = (id(con), table)
    if key not in _COLUMN_TYPES:
        _COLUMN_TYPES[key] = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    return _COLUMN_TYPES[key]


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [str(v) if isinstance(v, Decimal) else v for v in value]
    return value
