"""The marts never count one unit-year twice (issue 15, points 2-3): a CRLF copy stops the build at the
staging gate; a byte-identical copy is one document; a revision the manifest declares replaces the original."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from extract.load import load_documents
from extract.parallel import extract_many
from extract.reader import document_paths
from tests.dbt.test_dbt_project import DBT, DBT_PROJECT, SAMPLE

DOC_000, DOC_004 = "000_beb44010db26e9ba.txt", "004_df1d7dc7c09f411b.txt"


def build(work: Path, docs: Path) -> subprocess.CompletedProcess:
    warehouse = work / "budget.duckdb"
    load_documents(warehouse, extract_many(document_paths([docs]), workers=1))
    return subprocess.run(
        [str(DBT), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False,
    )


def test_a_crlf_copy_fails_the_staging_gate_and_builds_no_marts(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLE / DOC_004, docs)
    text = (SAMPLE / DOC_004).read_text(encoding="utf-8")
    (docs / "004 (copy).text").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    run = build(tmp_path, docs)
    assert run.returncode != 0
    assert "unique_stg_budget__documents_unit_year_key" in run.stdout
    assert "unique_stg_budget__documents_table_key" in run.stdout
    con = duckdb.connect(str(tmp_path / "budget.duckdb"), read_only=True)
    try:
        marts = con.execute("select count(*) from information_schema.tables where table_name = 'fct_project_budget'")
        assert marts.fetchall() == [(0,)]
    finally:
        con.close()


def test_a_copy_counts_once_and_a_declared_revision_replaces_the_original(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(SAMPLE, docs)
    shutil.copy(SAMPLE / DOC_000, docs / "000 (copy).txt")
    text = (SAMPLE / DOC_004).read_text(encoding="utf-8")
    (docs / "004_revised.txt").write_text(text.replace("广州市技师学院国家助学金", "广州市技师学院国家奖助学金", 1),
                                          encoding="utf-8")
    manifest = (docs / "manifest.csv").read_text(encoding="utf-8")
    header = "file,fiscal_year,department,unit,basis"
    manifest = manifest.replace(header, header + ",supersedes")
    manifest += f"004_revised.txt,2024,广州市人力资源和社会保障局,广州市技师学院,revised table,{DOC_004}\n"
    (docs / "manifest.csv").write_text(manifest, encoding="utf-8")
    load_documents(tmp_path / "budget.duckdb", extract_many(document_paths([SAMPLE]), workers=1))  # the originals
    run = build(tmp_path, docs)
    assert run.returncode == 0, run.stdout[-4000:]
    con = duckdb.connect(str(tmp_path / "budget.duckdb"), read_only=True)
    try:
        names = dict(con.execute("select document_name, file_names from marts.dim_document").fetchall())
        assert sorted(names) == [DOC_000, "001_40ca284911398d73.txt", "002_9b46f816c8349047.txt", "004_revised.txt"]
        assert names[DOC_000] == ["000 (copy).txt", DOC_000]
        assert con.execute("select count(*) from marts.fct_project_budget").fetchall() == [(90,)]
    finally:
        con.close()

