"""The published copy opens in DuckDB 1.x and describes itself: comments, keys, BI-friendly columns.

The sample is built into a temporary warehouse (extract, `dbt build`) and published as the pipeline does
(`publish_documented_marts`). Some rows get PDF pages first, as a PDF would give them (the samples are
text exports, whose rows have none), so that first_page/last_page are checked on real values.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from extract.load import load_documents
from extract.parallel import extract_many
from extract.reader import document_paths
from orchestration.dbt_docs import publish_documented_marts

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
OLD_DUCKDB = "1.4.5"  # the newest release of the 1.4 long-term support line
OLD_DUCKDB_VENV = ROOT / "tests" / ".cache" / f"duckdb-{OLD_DUCKDB}"

READ_WITH_OLD_DUCKDB = textwrap.dedent("""
    import json, sys
    import duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    tables = {t: c for t, c in con.execute(
        "select table_name, comment from duckdb_tables() where database_name = 'marts'").fetchall()}
    print(json.dumps({
        "version": duckdb.__version__,
        "rows": {t: len(con.execute(f'select * from "{t}"').fetchall()) for t in tables},
        "table_comments": tables,
        "column_comments": {f"{t}.{c}": m for t, c, m in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where database_name = 'marts'"
        ).fetchall()},
        "keys": sorted(con.execute("select table_name, constraint_type, constraint_column_names::varchar "
                                   "from duckdb_constraints() where database_name = 'marts'").fetchall()),
    }, ensure_ascii=False, default=str))
""")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("portable")
    warehouse = work / "budget.duckdb"
    report = load_documents(warehouse, extract_many(document_paths([SAMPLE]), workers=1))
    assert len(report.loaded) == 4
    with duckdb.connect(str(warehouse)) as con:  # PDF lineage on the first projects and their indicators
        con.execute("update raw.projects set pages = [project_seq, project_seq + 1] where project_seq <= 3")
        con.execute("update raw.indicators set pages = [project_seq + 1] where project_seq <= 3")
    run = subprocess.run(
        [str(DBT), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:]
    publication = publish_documented_marts(warehouse, work / "published")
    return publication.database


@pytest.fixture(scope="module")
def con(published: Path):
    connection = duckdb.connect(str(published), read_only=True)
    yield connection
    connection.close()


def old_duckdb_python() -> Path:
    """A virtual environment with DuckDB 1.4 from the package registry, built once under tests/.cache."""
    python = OLD_DUCKDB_VENV / "bin" / "python"
    OLD_DUCKDB_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(OLD_DUCKDB_VENV.parent / f".{OLD_DUCKDB_VENV.name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # test processes started together build it once
        if not python.exists():
            partial = OLD_DUCKDB_VENV.with_name(OLD_DUCKDB_VENV.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(partial)], check=True)
            pip = subprocess.run([str(partial / "bin" / "python"), "-m", "pip", "install", "--quiet",
                                  f"duckdb=={OLD_DUCKDB}"], capture_output=True, text=True, check=False)
            if pip.returncode != 0:
                shutil.rmtree(partial, ignore_errors=True)
                pytest.skip(f"cannot install duckdb=={OLD_DUCKDB} from the package registry: "
                            f"{pip.stderr.strip()[-300:]}")
            partial.rename(OLD_DUCKDB_VENV)  # venv scripts do not hard-code their folder for `python -m`
    return python


def test_duckdb_1_4_reads_every_table_and_comment(published, con):
    run = subprocess.run([str(old_duckdb_python()), "-c", READ_WITH_OLD_DUCKDB, str(published)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout)
    assert seen["version"] == OLD_DUCKDB
    row_counts = json.loads(con.execute("select row_counts from _publication").fetchone()[0])
    assert seen["rows"] == {**row_counts, "_publication": 1}
    assert seen["table_comments"] == dict(con.execute(
        "select table_name, comment from duckdb_tables() where database_name = 'marts'").fetchall())
    assert seen["column_comments"] == {f"{t}.{c}": m for t, c, m in con.execute(
        "select table_name, column_name, comment from duckdb_columns() where database_name = 'marts'").fetchall()}
    assert ["fct_project_budget", "PRIMARY KEY", "[project_id]"] in seen["keys"]


def test_the_copy_is_in_the_1_4_storage_format(con):
    tags = con.execute("select tags from duckdb_databases() where database_name = 'marts'").fetchone()[0]
    assert tags["storage_version"].startswith("v1.4.0")


def test_every_table_and_column_has_a_comment(con):
    tables = con.execute("select table_name, coalesce(trim(comment), '') from duckdb_tables() "
                         "where database_name = 'marts'").fetchall()
    columns = con.execute("select table_name || '.' || column_name, coalesce(trim(comment), '') "
                          "from duckdb_columns() where database_name = 'marts'").fetchall()
    assert len(tables) == 13 and len(columns) > 200  # 12 marts and _publication
    assert [name for name, comment in tables + columns if not comment] == []
    assert con.execute("select comment from duckdb_columns() where table_name = 'fct_project_budget' "
                       "and column_name = 'total_amount'").fetchone() == ("总计, 万元.",)


def test_primary_and_foreign_keys_are_declared(con):
    primary = dict(con.execute("select table_name, constraint_column_names[1] from duckdb_constraints() "
                               "where database_name = 'marts' and constraint_type = 'PRIMARY KEY'").fetchall())
    assert primary == {
        "dim_department": "department_key", "dim_document": "document_id", "dim_fiscal_year": "fiscal_year",
        "dim_funding_source": "funding_source_code", "dim_indicator_category": "category_code",
        "dim_project": "project_key", "dim_unit": "unit_key", "fct_indicator_target": "indicator_id",
        "fct_project_budget": "project_id", "rpt_project_indicator_coverage": "project_id",
        "rpt_project_year_over_year": "project_id", "rpt_unit_year_summary": "summary_id",
    }
    foreign = {(t, c[0], r, rc[0]) for t, c, r, rc in con.execute(
        "select table_name, constraint_column_names, referenced_table, referenced_column_names "
        "from duckdb_constraints() where database_name = 'marts' and constraint_type = 'FOREIGN KEY'").fetchall()}
    assert {
        ("fct_project_budget", "unit_key", "dim_unit", "unit_key"),
        ("fct_project_budget", "project_key", "dim_project", "project_key"),
        ("fct_indicator_target", "project_id", "fct_project_budget", "project_id"),
        ("fct_indicator_target", "level2_category_code", "dim_indicator_category", "category_code"),
        ("rpt_unit_year_summary", "funding_source_code", "dim_funding_source", "funding_source_code"),
        ("dim_unit", "department_key", "dim_department", "department_key"),
    } <= foreign
    assert not [fk for fk in foreign if fk[0].startswith("dim_") and fk[2].startswith("fct_")]  # no cycle
    assert len(foreign) >= 30


def test_bi_columns_hold_what_the_lists_hold(con):
    mismatched = con.execute("""
        select count(*) from fct_project_budget
        where first_page is distinct from list_min(pages) or last_page is distinct from list_max(pages)
           or component_count is distinct from len(component_amounts)
           or component_1_amount is distinct from component_amounts[1]
           or component_2_amount is distinct from component_amounts[2]
           or component_3_amount is distinct from component_amounts[3]
    """).fetchone()
    assert mismatched == (0,)
    assert con.execute("select count(*) from fct_indicator_target where first_page is distinct from list_min(pages) "
                       "or last_page is distinct from list_max(pages)").fetchone() == (0,)
    # …and on real values: the pages given above, and the rows printing two amounts
    assert con.execute("select first_page, last_page, pages from fct_project_budget where project_seq = 2 "
                       "limit 1").fetchone() == (2, 3, [2, 3])
    assert con.execute("select count(*) from fct_indicator_target where first_page is not null").fetchone()[0] > 0
    assert con.execute("select count(*) from fct_project_budget where component_2_amount is not null "
                       "and component_count = 2").fetchone()[0] >= 4


def test_parquet_files_carry_the_bi_columns(published):
    parquet = published.parent / "parquet" / "fct_project_budget.parquet"
    columns = {c for (c,) in duckdb.sql(f"select name from parquet_schema('{parquet}')").fetchall()}
    assert {"first_page", "last_page", "component_count", "component_1_amount"} <= columns


def test_the_readme_cli_command_reads_the_copy(published):
    cli = Path(sys.executable).with_name("duckdb")  # duckdb-cli, a dev dependency: `make run` installs it
    assert cli.exists(), "no DuckDB CLI in the virtual environment: run `make setup`"
    run = subprocess.run([str(cli), "-readonly", "-csv", str(published),
                          "select count(*) as n from rpt_unit_year_summary"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["n", "20"]
