"""The dbt project on the real sample: one `dbt build` into a temporary warehouse, then its results.

The warehouse holds the four sample documents and a truncated copy of 004 (rejected by the extractor).
dbt writes its target and logs into the temporary folder, so dbt_project/target is left alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extract.load import load_documents
from extract.parallel import extract_many
from extract.reader import document_paths

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
TRUNCATED = "truncated_004.txt"


@pytest.fixture(scope="session")
def dbt_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("dbt")
    docs = work / "docs"
    shutil.copytree(SAMPLE, docs)
    lines = (SAMPLE / "004_df1d7dc7c09f411b.txt").read_text(encoding="utf-8").splitlines()
    (docs / TRUNCATED).write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    warehouse = work / "budget.duckdb"
    report = load_documents(warehouse, extract_many(document_paths([docs]), workers=1))
    assert report.rejected == [TRUNCATED] and len(report.loaded) == 4
    run = subprocess.run(
        [str(DBT), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:]
    return warehouse, json.loads((work / "target" / "run_results.json").read_text())


@pytest.fixture(scope="session")
def con(dbt_build: tuple[Path, dict]):
    connection = duckdb.connect(str(dbt_build[0]), read_only=True)
    yield connection
    connection.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def test_build_is_green_with_only_reconciliation_warnings(dbt_build):
    results = dbt_build[1]["results"]
    exposures = [r for r in results if r["unique_id"].startswith("exposure.")]
    assert exposures and all(r["status"] == "no-op" for r in exposures)  # dbt builds nothing for them
    results = [r for r in results if r not in exposures]
    statuses = {r["status"] for r in results}
    assert statuses <= {"success", "pass", "warn"}
    warned = sorted(r["unique_id"].split(".")[2] for r in results if r["status"] == "warn")
    assert warned and all(name.startswith("reconciles_") for name in warned)
    unit_tests = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit_tests) >= 4 and all(r["status"] == "pass" for r in unit_tests)


def test_layers_live_in_their_named_schemas(con):
    schemas = {s for (s,) in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
    assert {"raw", "staging", "intermediate", "marts"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


def test_facts_hold_every_project_and_indicator_of_the_loaded_documents(con):
    assert one(con, "select count(*) from marts.fct_project_budget") == (90,)
    assert one(con, "select count(*) from marts.fct_indicator_target") == (660,)
    assert one(con, "select count(*) from marts.dim_project") < (90,)  # some projects recur across years


def test_rejected_document_is_visible_but_goes_no_further(con):
    assert one(con, "select document_status from marts.dim_document where document_name = ?", TRUNCATED) == (
        "rejected",)
    assert one(con, "select document_status from staging.stg_budget__documents where document_name = ?",
               TRUNCATED) == ("rejected",)
    assert one(con, """select count(*) from marts.fct_project_budget f join marts.dim_document d using (document_id)
                       where d.document_name = ?""", TRUNCATED) == (0,)


def test_unit_year_summary_reports_the_printed_gaps(con):
    gaps = dict(con.execute("""
        select left(d.document_name, 3), s.reconciliation_gap
        from marts.rpt_unit_year_summary s join marts.dim_document d using (document_id)
        where s.funding_source_code = 'total'""").fetchall())
    assert gaps == {"000": Decimal("-0.01"), "001": Decimal("-0.01"), "002": Decimal("150.01"), "004": Decimal("0.00")}
    # 001 prints its columns: its 财政拨款 row misses its projects by 480.00
    assert one(con, """select s.printed_amount, s.projects_amount, s.reconciliation_gap
                       from marts.rpt_unit_year_summary s join marts.dim_document d using (document_id)
                       where d.document_name like '001%' and s.funding_source_code = 'fiscal'""") == (
        Decimal("4189.07"), Decimal("3709.07"), Decimal("480.00"))


def test_renamed_unit_is_one_unit(con):
    unit_name, printed, documents = one(
        con, "select unit_name, printed_names, document_count from marts.dim_unit where printed_names like '%广播电视大学%'")
    assert (unit_name, documents) == ("广州开放大学", 2)
    assert set(printed.split("; ")) == {"广州开放大学", "广州市广播电视大学"}


def test_recurring_project_is_matched_to_its_predecessor_through_the_stable_key(con):
    row = one(con, """
        select y.previous_fiscal_year, y.previous_project_name, y.previous_total_amount, y.total_amount,
               y.match_basis, y.is_doubtful_match, f.project_key = p.project_key
        from marts.rpt_project_year_over_year y
        join marts.fct_project_budget f on f.project_id = y.project_id
        join marts.fct_project_budget p on p.project_id = y.previous_project_id
        where y.project_name = '广州开放大学2023年-2024年信息化运维项目' and y.fiscal_year = 2025""")
    assert row == (2023, "广州开放大学2023年-2024年信息化运维项目(2023)", Decimal("261.50"), Decimal("24.66"),
                   "stripped_name", True, True)
    # a yearly re-tender is a new project, only its series recurs
    assert one(con, """select previous_project_id, match_note like 'not linked%' from marts.rpt_project_year_over_year
                       where project_name = '广州开放大学2025年-2026年信息化运维项目'""")[0] is None
    # the unit's rename does not break a project: 广州市广播电视大学校园维护维修经费 → 广州开放大学校园维护维修经费
    assert one(con, """select previous_project_name from marts.rpt_project_year_over_year
                       where project_name = '广州开放大学校园维护维修经费'""") == ("广州市广播电视大学校园维护维修经费",)


EXAMPLES = {
    "≥90%": ("quantitative", "≥", Decimal("90"), "%"),
    "90%以上": ("quantitative", "≥", Decimal("90"), "%"),
    "不少于2次": ("quantitative", "≥", Decimal("2"), "次"),
    "约154人": ("quantitative", "≈", Decimal("154"), "人"),
    "＜20%": ("quantitative", "<", Decimal("20"), "%"),
    "2次/天": ("quantitative", "=", Decimal("2"), "次/天"),
    "每天2次": ("quantitative", "=", Decimal("2"), "次/天"),
    "1028台": ("quantitative", "=", Decimal("1028"), "台"),
    "≥20万人次": ("quantitative", "≥", Decimal("20"), "万人次"),
    "0": ("quantitative", "=", Decimal("0"), None),
    "有效": ("qualitative", None, None, None),
    "重大故障＜4小时 严重故障＜8小时 一般故障＜24小时": ("compound", "<", Decimal("4"), "小时"),
    "系统简单查询响应时间≤2000毫秒 复杂查询响应时间≤5000 毫秒": ("compound", "≤", Decimal("2000"), "毫秒"),
}


def test_example_targets_are_typed(con):
    typed = {
        text: (kind, comparator, number, unit)
        for text, kind, comparator, number, unit in con.execute("""
            select distinct target_text, target_kind, comparator, number_value, unit
            from intermediate.int_indicator_targets_parsed""").fetchall()
    }
    assert {text: typed.get(text) for text in EXAMPLES} == EXAMPLES


def test_target_parser_covers_the_sample(con):
    kinds = dict(con.execute(
        "select target_kind, count(*) from intermediate.int_indicator_targets_parsed group by 1").fetchall())
    total = sum(kinds.values())
    print(f"\ntarget parser coverage on the sample: {total - kinds.get('unparsed', 0)}/{total} typed; {kinds}")
    assert total == 660 + 269  # annual values, and period values of the three-level tables
    assert kinds.get("unparsed", 0) <= 0.01 * total
    # The last one, …低于总投资金额的5%, is typed since the comparator word is tied to its number by …的.
    assert one(con, """select count(*) from marts.fct_indicator_target
                       where annual_kind = 'unparsed'""") == (0,)


def test_indicator_categories_are_canonical(con):
    assert one(con, "select count(*) from marts.fct_indicator_target where level1_category_code is null") == (0,)
    flags = dict(con.execute("""select category_flag, count(*) from marts.fct_indicator_target
                                where category_flag is not null group by 1""").fetchall())
    assert flags == {"level2_name_blank": 4}  # 24-； three times and 14-； once, in 000
    by_format = dict(con.execute("""
        select d.indicator_format, string_agg(distinct f.level1_category_code, ',' order by f.level1_category_code)
        from marts.fct_indicator_target f join marts.dim_document d using (document_id) group by 1""").fetchall())
    assert by_format == {"one_level": "1,2,3", "three_level": "1,2,3,4"}


def test_coverage_finds_projects_lacking_required_categories(con):
    assert one(con, "select min(quantified_share) >= 0 and max(quantified_share) <= 1 "
                    "from marts.rpt_project_indicator_coverage") == (True,)
    assert one(con, """select missing_categories, is_large_project from marts.rpt_project_indicator_coverage
                       where project_name = '广州市教育局2021年信息化建设项目'""") == ("满意度指标", False)
    assert one(con, """select missing_categories from marts.rpt_project_indicator_coverage
                       where project_name = '机构运行辅助经费' and fiscal_year = 2023""") == ("满意度指标、成本指标",)


def test_lineage_leads_back_to_the_document_lines(con):
    assert one(con, """select document_name, line_start, line_end from marts.fct_project_budget
                       where project_name = '业务用房物业管理费' and fiscal_year = 2025""") == (
        "000_beb44010db26e9ba.txt", 10, 44)
    assert one(con, "select count(*) from marts.fct_indicator_target where line_start is null or source_text is null") == (
        0,)
