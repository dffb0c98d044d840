"""Documentation that works offline: Great Expectations Data Docs with every suite's results and history,
the dbt docs as one page that opens from file://, and the dbt owners carried into Dagster.

The sample is built into a temporary warehouse; the three gates then run one after another, each in its
own GX context as the pipeline's checks do, which used to leave only the last context's pages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dagster_dbt import dbt_assets

from expectations.checks import run_suite
from expectations.runner import validate_stage
from expectations.suites import SUITES
from extract.load import load_documents
from extract.parallel import extract_many
from extract.reader import document_paths
from orchestration.dbt_docs import generate_dbt_docs
from orchestration.dbt_project import translator

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
ASSET_ADDRESS = re.compile(r"<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
CSS_ADDRESS = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("docs")
    path = work / "budget.duckdb"
    assert len(load_documents(path, extract_many(document_paths([SAMPLE]), workers=1)).loaded) == 4
    run = subprocess.run(
        [str(DBT), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={**os.environ, "BUDGET_WAREHOUSE": str(path)}, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:]
    return path


@pytest.fixture(scope="module")
def quality_docs(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    docs = tmp_path_factory.mktemp("quality") / "docs"
    for stage in ("raw", "staging", "marts"):
        validate_stage(warehouse, stage, docs_dir=docs, record=False)
    return docs


@pytest.fixture(scope="module")
def dbt_page(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_dbt_docs(warehouse, tmp_path_factory.mktemp("dbt_docs")).page


def index_rows(docs: Path) -> list[str]:
    """The validation result pages the Data Docs index lists."""
    return re.findall(r"'_table_row_link_path': '(validations/[^']+)'",
                      (docs / "index.html").read_text(encoding="utf-8"))


def test_every_suite_has_its_pages_after_all_gates(quality_docs):
    assert {p.stem for p in (quality_docs / "expectations").glob("*.html")} == set(SUITES)
    validated = {p.relative_to(quality_docs / "validations").parts[0]
                 for p in (quality_docs / "validations").rglob("*.html")}
    assert validated == set(SUITES)
    assert {row.split("/")[1] for row in index_rows(quality_docs)} == set(SUITES)
    assert "raw_units" in validated and "rpt_unit_year_summary" in validated  # the ones that warn


def test_a_suite_validated_again_keeps_its_history_and_the_others_pages(quality_docs, warehouse):
    before = set(index_rows(quality_docs))
    check = run_suite(warehouse, "raw_units", record=False, docs_dir=quality_docs)
    after = set(index_rows(quality_docs))
    assert before < after and len(after - before) == 1
    assert len([row for row in after if row.startswith("validations/raw_units/")]) == 2
    assert all((quality_docs / row).is_file() for row in after)
    page = Path(check.metadata["data_docs_page"])
    assert page.is_file() and check.metadata["run_id"] in page.parts


def offline_problems(site: Path) -> list[str]:
    """Asset addresses (script, link, img, CSS url()) that leave the site, or pages' that name a missing file
    (Font Awesome's style sheet also names fallback fonts that are not vendored: never loaded)."""
    problems = []
    for path in (*site.rglob("*.html"), *site.rglob("*.css")):
        text = path.read_text(encoding="utf-8")
        for address in ASSET_ADDRESS.findall(text) + CSS_ADDRESS.findall(text):
            if address.startswith(("data:", "#", "{{", "${")) or "'+" in address:
                continue
            missing = path.suffix == ".html" and not (path.parent / address.split("?")[0]).exists()
            if re.match(r"(https?:)?//", address) or missing:
                problems.append(f"{path.relative_to(site)}: {address}")
    return problems


def test_data_docs_load_nothing_from_the_internet(quality_docs):
    assert offline_problems(quality_docs) == []
    assert (quality_docs / "static" / "vendor" / "bootstrap-table" / "bootstrap-table.min.js").is_file()


def test_dbt_docs_are_one_page_with_the_project_inline(dbt_page):
    html = dbt_page.read_text(encoding="utf-8")
    assert not re.findall(r"<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*[\"']https?://", html)
    manifest = re.search(r'manifest:(\{"metadata": \{"dbt_schema_version": "[^"]+manifest/v\d+\.json")', html)
    assert manifest, "no manifest inline"
    for node in ("model.budget_warehouse.fct_project_budget", "exposure.budget_warehouse.published_marts",
                 "exposure.budget_warehouse.budget_performance_dashboard", "group.budget_warehouse.budget_analytics"):
        assert f'"{node}"' in html
    assert "catalog:{" in html and "For BI tools: the first PDF page" in html  # the catalog, with comments


def test_mart_owners_reach_dagster(dbt_page):
    manifest = json.loads((dbt_page.parent / "manifest.json").read_text())

    @dbt_assets(manifest=manifest, dagster_dbt_translator=translator)
    def everything(): ...

    owners = {key.path[-1]: spec.owners for key, spec in everything.specs_by_key.items()}
    assert owners["fct_project_budget"] == ["team:budget-analytics"]
    assert owners["stg_budget__projects"] == ["team:warehouse-engineering"]
    assert all(owners[name] for name in owners)


def rendered(page: Path) -> str:
    """The page's DOM after its scripts ran in headless Chromium, with every host name unresolvable."""
    run = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    return run.stdout


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM, reason="needs chromium (CI installs it; see .ci/run)")
def test_both_open_offline_in_a_browser(quality_docs, dbt_page):
    index = rendered(quality_docs / "index.html")  # bootstrap-table filled both tables, 10 rows a page
    assert index.count('data-index="0"') == 2 and len(re.findall(r"<tr[^>]*data-index=", index)) == 20
    docs = rendered(dbt_page)
    assert "fct_project_budget" in docs and "budget_performance_dashboard" in docs
