"""The extraction folder (`extract.extracts`) and the bulk ingest from it (`extract.load.ingest`)."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from extract import extract_path
from extract.extracts import extract_dir, write_extract
from extract.load import DDL, RAW_TABLES, document_file, ingest
from extract.warehouse import writer
from tests.extract.conftest import DOC_000, DOC_002, SAMPLE_DOCS


def raw_columns(table: str) -> list[tuple[str, str]]:
    con = duckdb.connect()
    con.execute(DDL)
    return con.execute("select column_name, data_type from information_schema.columns where table_schema = 'raw' "
                       "and table_name = ? order by ordinal_position", [table]).fetchall()


def test_an_extract_holds_the_raw_tables_columns_and_rows(tmp_path):
    doc = extract_path(DOC_000)
    folder = write_extract(doc, tmp_path)
    assert folder == tmp_path / f"{doc.document_id}-1"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t}.parquet" for t in RAW_TABLES)
    con = duckdb.connect()
    for table in RAW_TABLES:
        described = con.execute(f"describe select * from read_parquet('{folder / f'{table}.parquet'}')").fetchall()
        extra = [("table_key", "VARCHAR"), ("unit_key", "VARCHAR")] if table == "documents" else []
        assert [(c, t) for c, t, *_ in described] == [(c, t.upper()) for c, t in raw_columns(table)] + extra
    projects = con.execute(f"select count(*), min(line_start) from read_parquet('{folder / 'projects.parquet'}')")
    assert projects.fetchone()[0] == len(doc.projects())


def test_writing_an_unchanged_document_again_writes_nothing(tmp_path):
    folder = write_extract(extract_path(DOC_000), tmp_path)
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}
    shutil.copy(DOC_000, tmp_path / "copy.txt")
    assert write_extract(extract_path(tmp_path / "copy.txt"), tmp_path) == folder  # another name, same content
    assert write_extract(extract_path(DOC_000), tmp_path) == folder
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([".writing", folder.name, "copy.txt"])
    assert not any((tmp_path / ".writing").iterdir())


def test_a_crashed_write_leaves_only_a_temporary_folder_the_next_write_removes(tmp_path, monkeypatch):
    doc = extract_path(DOC_002)

    def crash(folder):
        raise KeyboardInterrupt  # as if killed after the files were written, before the rename

    monkeypatch.setattr("extract.extracts._fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        write_extract(doc, tmp_path)
    assert not extract_dir(tmp_path, doc.document_id).exists()
    # a SIGKILL leaves the folder behind: a dead process's temporary folder
    leftover = tmp_path / ".writing" / f"{doc.document_id}-1.{os.uname().nodename}.999999999.dead.tmp"
    leftover.mkdir()
    other = tmp_path / ".writing" / f"{'0' * 64}-1.{os.uname().nodename}.999999999.dead.tmp"
    other.mkdir()  # another document's: left for that document's next write
    monkeypatch.undo()
    assert write_extract(doc, tmp_path) == extract_dir(tmp_path, doc.document_id)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".writing", f"{doc.document_id}-1"]
    assert [p.name for p in (tmp_path / ".writing").iterdir()] == [other.name]


def test_ingest_from_the_folder_loads_changes_and_then_changes_nothing(tmp_path):
    extracts, warehouse = tmp_path / "extracts", tmp_path / "w.duckdb"
    docs = [extract_path(p) for p in SAMPLE_DOCS]
    for doc in docs:
        write_extract(doc, extracts)
    with writer(warehouse) as con:
        con.execute(DDL)
        first = ingest(con, extracts, [document_file(d) for d in docs])
        assert len(first.loaded) == 4
        counts = {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in RAW_TABLES}
        assert counts["projects"] == 90 and counts["indicators"] == 660
        lineage = con.execute("select d.document_name, p.line_start, p.line_end from raw.projects p join "
                              "raw.documents d using (document_id) where p.project_name = ?",
                              ["广州开放大学2025年-2026年信息化运维项目"]).fetchall()
        assert lineage == [(DOC_000.name, 903, 951)]
        snapshot = {t: con.execute(f"select * from raw.{t} order by all").fetchall() for t in (*RAW_TABLES,
                                                                                           "document_names")}
        shutil.rmtree(extracts)  # a current document is not read again
        again = ingest(con, extracts, [document_file(d) for d in docs])
        assert len(again.unchanged) == 4 and not again.failed
        assert snapshot == {t: con.execute(f"select * from raw.{t} order by all").fetchall()
                            for t in (*RAW_TABLES, "document_names")}


def test_extraction_workers_come_from_budget_extract_workers(tmp_path, monkeypatch):
    """One process when BUDGET_EXTRACT_WORKERS=1 (no pool started), a pool of two when 2, the same extracts
    either way; a value that is not a positive whole number is refused with the variable's name."""
    import extract.parallel as parallel

    paths = [tmp_path / f"{i}_{doc.name}" for i, doc in enumerate(SAMPLE_DOCS * 2)]
    for path, doc in zip(paths, SAMPLE_DOCS * 2, strict=True):
        shutil.copy(doc, path)
    pools = []

    class RecordingPool(parallel.ProcessPoolExecutor):
        def __init__(self, max_workers, **kwargs):
            pools.append(max_workers)
            super().__init__(max_workers=max_workers, **kwargs)

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setenv("BUDGET_EXTRACT_WORKERS", "1")
    alone = parallel.extract_to_folder(paths, tmp_path / "one")
    assert pools == []
    monkeypatch.setenv("BUDGET_EXTRACT_WORKERS", "2")
    pooled = parallel.extract_to_folder(paths, tmp_path / "two")
    assert pools == [2]
    assert [(f.name, f.document_id) for f in alone] == [(f.name, f.document_id) for f in pooled]
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(p.name for p in (tmp_path / "two").iterdir())
    for value in ("0", "two", "-1"):
        monkeypatch.setenv("BUDGET_EXTRACT_WORKERS", value)
        with pytest.raises(ValueError, match=f"BUDGET_EXTRACT_WORKERS='{value}'"):
            parallel.worker_count()
