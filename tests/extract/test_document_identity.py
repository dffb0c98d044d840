"""One identity rule for documents (issue 15, points 2-4): a document is its content; copies, revised tables
and removed files."""

from __future__ import annotations

import shutil

import duckdb

from extract import extract_path
from extract.load import load_documents, withdraw_documents
from extract.warehouse import writer
from tests.extract.conftest import DOC_000, DOC_002, DOC_004

MANIFEST_HEAD = "file,fiscal_year,department,unit,basis,supersedes\n"


def rows(warehouse, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def folder_with(tmp_path, *docs, manifest: str = ""):
    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in docs:
        shutil.copy(doc, folder / doc.name)
    (folder / "manifest.csv").write_text(MANIFEST_HEAD + manifest, encoding="utf-8")
    return folder


def load(warehouse, folder):
    return load_documents(warehouse, [extract_path(p) for p in sorted(folder.iterdir()) if p.suffix != ".csv"])


def test_a_byte_identical_copy_is_one_document_with_both_names(tmp_path):
    folder, warehouse = folder_with(tmp_path, DOC_004), tmp_path / "w.duckdb"
    load(warehouse, folder)
    shutil.copy(DOC_004, folder / "004 (copy).text")
    report = load(warehouse, folder)
    assert report.aliased == ["004 (copy).text"] and not report.duplicates
    assert rows(warehouse, "select document_name from raw.documents") == [(DOC_004.name,)]
    assert rows(warehouse, "select document_name from raw.document_names order by 1") == [
        ("004 (copy).text",), (DOC_004.name,)]
    assert rows(warehouse, "select count(*) from raw.projects") == [(16,)]
    assert rows(warehouse, "select severity from raw.findings where code = 'duplicate_file'") == [("info",)]
    # the next run changes nothing: the names no longer replace each other
    again = load(warehouse, folder)
    assert sorted(again.unchanged) == ["004 (copy).text", DOC_004.name]
    assert rows(warehouse, "select document_name from raw.documents") == [(DOC_004.name,)]


def test_a_crlf_copy_is_the_same_table_and_an_error(tmp_path):
    folder, warehouse = folder_with(tmp_path, DOC_004), tmp_path / "w.duckdb"
    text = DOC_004.read_text(encoding="utf-8")
    (folder / "004 (copy).text").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    report = load(warehouse, folder)
    # the second of the two in the folder's order is the duplicate
    assert report.duplicates == {DOC_004.name: report.duplicates[DOC_004.name]} and not report.failed
    assert "same table as 004 (copy).text" in report.duplicates[DOC_004.name]
    assert rows(warehouse, "select code, severity from raw.findings where code like 'duplicate%'") == [
        ("duplicate_table", "error")]


def test_a_revised_table_for_the_same_unit_and_year_is_an_error(tmp_path):
    folder = folder_with(tmp_path, DOC_004, manifest=f"004_revised.txt,2024,,,,\n{DOC_004.name},2024,,,,\n")
    warehouse = tmp_path / "w.duckdb"
    text = DOC_004.read_text(encoding="utf-8")
    (folder / "004_revised.txt").write_text(text.replace("广州市技师学院国家助学金", "广州市技师学院国家奖助学金", 1),
                                            encoding="utf-8")
    report = load(warehouse, folder)
    assert not report.failed, report
    assert "a second document for" in report.duplicates["004_revised.txt"]
    assert rows(warehouse, "select code from raw.findings where severity = 'error'") == [("duplicate_unit_year",)]


def test_a_revision_the_manifest_says_supersedes_is_no_error(tmp_path):
    text = DOC_004.read_text(encoding="utf-8")
    folder = folder_with(tmp_path, DOC_004, manifest=f"004_revised.txt,2024,,,,{DOC_004.name}\n"
                                                     f"{DOC_004.name},2024,,,,\n")
    (folder / "004_revised.txt").write_text(text.replace("广州市技师学院国家助学金", "广州市技师学院国家奖助学金", 1),
                                            encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    report = load(warehouse, folder)
    assert not report.duplicates and len(report.loaded) == 2
    assert rows(warehouse, "select supersedes from raw.document_names where document_name = '004_revised.txt'"
                ) == [(DOC_004.name,)]


def test_a_withdrawn_document_leaves_raw_but_a_copy_keeps_it(tmp_path):
    folder, warehouse = folder_with(tmp_path, DOC_000, DOC_002), tmp_path / "w.duckdb"
    shutil.copy(DOC_002, folder / "copy.txt")
    load(warehouse, folder)
    with writer(warehouse) as con:
        assert withdraw_documents(con, [DOC_000.name, DOC_002.name, "never.txt"]) == [DOC_000.name, DOC_002.name]
    assert rows(warehouse, "select document_name from raw.documents") == [("copy.txt",)]
    for table in ("units", "projects", "indicators", "findings"):
        assert rows(warehouse, f"select count(distinct document_id) from raw.{table}") == [(1,)], table


def test_an_operator_removes_a_document_by_name(tmp_path, capsys):
    from extract.__main__ import main

    folder, warehouse = folder_with(tmp_path, DOC_000, DOC_002), tmp_path / "w.duckdb"
    load(warehouse, folder)
    assert main(["--remove", DOC_000.name, "--warehouse", str(warehouse)]) == 0
    assert rows(warehouse, "select document_name from raw.documents") == [(DOC_002.name,)]
    assert main(["--remove", "nothing.txt", "--warehouse", str(warehouse)]) == 2
    assert "nothing.txt is not in the warehouse" in capsys.readouterr().err
