"""Loading into the DuckDB raw schema: idempotent, replaces changed files, one transaction per document."""

from __future__ import annotations

import shutil

import duckdb
import pytest

import extract.load as load
from extract import extract_path
from extract.load import load_documents
from tests.extract.conftest import DOC_000, DOC_002, SAMPLE_DOCS

TABLES = ("documents", "units", "projects", "indicators", "findings")


def snapshot(warehouse) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            t: con.execute(f"select * exclude (loaded_at) from raw.{t} order by all").fetchall()
            if t == "documents" else con.execute(f"select * from raw.{t} order by all").fetchall()
            for t in TABLES
        }
    finally:
        con.close()


def counts(warehouse) -> dict[str, int]:
    return {t: len(rows) for t, rows in snapshot(warehouse).items()}


def test_sample_corpus_loads_with_lineage(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    report = load_documents(warehouse, [extract_path(p) for p in SAMPLE_DOCS])
    assert len(report.loaded) == 4 and not report.failed
    assert counts(warehouse) == {"documents": 4, "units": 4, "projects": 90, "indicators": 660,
                                 "findings": len([f for p in SAMPLE_DOCS for f in extract_path(p).findings])}
    con = duckdb.connect(str(warehouse), read_only=True)
    row = con.execute(
        "select d.document_name, p.line_start, p.line_end, p.total, p.components from raw.projects p "
        "join raw.documents d using (document_id) where p.project_name = ?",
        ["广州开放大学2025年-2026年信息化运维项目"]).fetchone()
    assert row[0] == DOC_000.name and (row[1], row[2]) == (903, 951)
    assert str(row[3]) == "372.65" and [str(c) for c in row[4]] == ["175.26", "197.39"]
    con.close()


def test_loading_the_same_file_twice_changes_nothing(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load_documents(warehouse, [extract_path(p) for p in SAMPLE_DOCS])
    before = snapshot(warehouse)
    report = load_documents(warehouse, [extract_path(p) for p in SAMPLE_DOCS])
    assert len(report.unchanged) == 4 and not report.loaded
    assert snapshot(warehouse) == before


def test_a_changed_file_replaces_its_earlier_version(tmp_path):
    docs_dir, warehouse = tmp_path / "docs", tmp_path / "w.duckdb"
    docs_dir.mkdir()
    path = docs_dir / DOC_002.name
    shutil.copy(DOC_002, path)
    load_documents(warehouse, [extract_path(path)])
    old_id = extract_path(path).document_id
    path.write_text(path.read_text(encoding="utf-8").replace("    专项工作经费 32.00 32.00", "    专项工作经费 33.00 33.00"),
                    encoding="utf-8")
    changed = extract_path(path)
    report = load_documents(warehouse, [changed])
    assert report.replaced == [DOC_002.name]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select document_id from raw.documents").fetchall() == [(changed.document_id,)]
    assert con.execute("select count(*) from raw.projects where document_id = ?", [old_id]).fetchone() == (0,)
    assert con.execute("select count(*) from raw.findings where document_id = ?", [old_id]).fetchone() == (0,)
    assert con.execute("select total from raw.projects where project_seq = 1").fetchone()[0] == 33
    assert con.execute("select count(*) from raw.projects").fetchone() == (23,)
    con.close()


def test_failure_part_way_through_an_ingest_leaves_no_rows(tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    load_documents(warehouse, [extract_path(DOC_000)])
    before = snapshot(warehouse)
    class Boom(RuntimeError):
        pass

    def insert_extracts(plan, *args):  # every row of the batch goes in, then the write fails
        original(plan, *args)
        raise Boom("disk full while writing indicators")

    original = load._Plan._insert_extracts
    monkeypatch.setattr(load._Plan, "_insert_extracts", insert_extracts)
    report = load_documents(warehouse, [extract_path(DOC_002), extract_path(SAMPLE_DOCS[1])])
    assert set(report.failed) == {DOC_002.name, SAMPLE_DOCS[1].name} and "disk full" in report.failed[DOC_002.name]
    assert not report.loaded
    assert snapshot(warehouse) == before  # nothing of the batch, and 000 untouched
    monkeypatch.setattr(load._Plan, "_insert_extracts", original)
    report = load_documents(warehouse, [extract_path(DOC_002)])
    assert report.loaded == [DOC_002.name]
    assert counts(warehouse)["projects"] == 23 + 23


def test_rejected_document_keeps_findings_but_no_rows(tmp_path):
    bad = tmp_path / "cut.txt"
    bad.write_bytes(DOC_000.read_bytes()[:20000])
    warehouse = tmp_path / "w.duckdb"
    report = load_documents(warehouse, [extract_path(bad), extract_path(DOC_002)])
    assert report.rejected == ["cut.txt"] and report.loaded == [DOC_002.name]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select status from raw.documents where document_name = 'cut.txt'").fetchone() == ("rejected",)
    codes = con.execute("select f.code from raw.findings f join raw.documents d using (document_id) "
                        "where d.document_name = 'cut.txt' and f.severity = 'error'").fetchall()
    assert codes == [("truncated_document",)]
    assert con.execute("select count(distinct document_id) from raw.projects").fetchone() == (1,)
    con.close()


@pytest.mark.parametrize("hostile", ["x'); drop table raw.projects; --", "Robert\"; select 1; --", "\u202etxt.exe"])
def test_names_are_stored_verbatim_never_executed(tmp_path, hostile):
    text = DOC_002.read_text(encoding="utf-8").replace("    专项工作经费 32.00", f"    专项工作经费{hostile} 32.00")
    path = tmp_path / "hostile.txt"
    path.write_text(text, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    load_documents(warehouse, [extract_path(path)])
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select project_name from raw.projects where project_seq = 1").fetchone() == (f"专项工作经费{hostile}",)
    assert con.execute("select count(*) from raw.projects").fetchone() == (23,)
    con.close()
