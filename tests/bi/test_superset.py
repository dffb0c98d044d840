"""Apache Superset on a published copy the pipeline built: its charts answer what the marts answer, the
dashboard renders in headless Chromium, and a re-publication while it is up leaves every query answering.

The sample is built into a temporary warehouse (extract, `dbt build`) and published as the pipeline does
(`publish_documented_marts`); `bi/superset/superset.sh start` then installs Superset's own virtual
environment if missing (.venv-superset, kept in the checkout), initialises a temporary SUPERSET_HOME,
imports the dashboard of bi/superset/dashboard/ and starts the webserver on a free port of 127.0.0.1;
`superset.sh stop` stops it by its PID.
"""

from __future__ import annotations

import decimal
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from extract.load import load_documents
from extract.parallel import extract_many
from extract.reader import document_paths
from orchestration.dbt_docs import publish_documented_marts

pytestmark = pytest.mark.superset

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
SUPERSET_SH = ROOT / "bi" / "superset" / "superset.sh"
SUPERSET_VENV = ROOT / ".venv-superset"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DASHBOARD = "budget-performance"

# Each chart's question asked of the marts directly (not through the charts' datasets).
QUESTIONS = {
    "Money by unit and funding source, year over year (万元)": """
        select unit_name, fiscal_year, funding_source_name, sum(printed_amount)
        from rpt_unit_year_summary where funding_source_code <> 'total' group by all""",
    "Money by fiscal year and funding source (万元)": """
        select fiscal_year, funding_source_name, sum(printed_amount)
        from rpt_unit_year_summary where funding_source_code <> 'total' group by all""",
    # through the coverage report's per-project counts of target kinds, not the indicators themselves
    "Quantified vs vague targets by unit": """
        select u.unit_name, c.fiscal_year, sum(c.quantitative_count + c.compound_count + c.deadline_count),
               sum(c.qualitative_count + c.unparsed_count),
               round(sum(c.quantitative_count + c.compound_count + c.deadline_count) / sum(c.indicator_count), 4)
        from rpt_project_indicator_coverage c join dim_unit u using (unit_key)
        where c.indicator_count > 0 group by all""",
    "Targets by unit, quantified or vague": """
        select u.unit_name, if(t.is_quantified, '定量 quantified', '定性 vague'), count(*)
        from fct_indicator_target t join dim_unit u using (unit_key) group by all""",
    "Projects lacking a required indicator category": """
        select c.fiscal_year, u.unit_name, c.project_name, c.total_amount, c.missing_categories
        from rpt_project_indicator_coverage c join dim_unit u using (unit_key) where c.missing_category_count > 0""",
    "Projects lacking a category, by unit and year": """
        select c.fiscal_year, u.unit_name, c.missing_categories, count(*)
        from rpt_project_indicator_coverage c join dim_unit u using (unit_key)
        where c.missing_category_count > 0 group by all""",
    "Recurring projects, money and targets between years": """
        select u.unit_name, y.project_name, y.previous_fiscal_year, y.fiscal_year, y.previous_total_amount,
               y.total_amount, y.total_amount - y.previous_total_amount, y.changed_target_count,
               y.new_indicator_count, y.dropped_indicator_count, y.target_changes
        from rpt_project_year_over_year y join dim_unit u using (unit_key) where y.previous_project_id is not null""",
    "Reconciliation of unit totals and their projects (万元)": """
        select fiscal_year, printed_unit_name, funding_source_name, printed_amount, projects_amount,
               printed_amount - projects_amount, abs(printed_amount - projects_amount) < 0.005
        from rpt_unit_year_summary where printed_amount is not null and funding_source_code <> 'unattributed'""",
}
RECONCILIATION = "Reconciliation of unit totals and their projects (万元)"


def normalised(row) -> tuple:
    """A row as comparable values: numbers to 4 decimals (Superset answers JSON floats)."""
    return tuple(round(float(v), 4) if isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool)
                 else v for v in row)


def asked_of_the_marts(database: Path, chart: str) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return sorted((normalised(r) for r in con.execute(QUESTIONS[chart]).fetchall()), key=repr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Superset:
    base: str
    password: str
    env: dict
    published: Path
    warehouse: Path
    setup_output: str
    token: str = ""

    def call(self, path: str, body: dict | None = None) -> tuple[int, dict | str]:
        request = urllib.request.Request(
            self.base + path, data=json.dumps(body).encode() if body is not None else None,
            headers={**({"Content-Type": "application/json"} if body is not None else {}),
                     **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")[:2000]

    def log_in(self) -> None:
        status, body = self.call("/api/v1/security/login", {"username": "admin", "password": self.password,
                                                            "provider": "db", "refresh": False})
        assert status == 200, body
        self.token = body["access_token"]

    def charts(self) -> dict[str, int]:
        status, body = self.call(f"/api/v1/dashboard/{DASHBOARD}/charts")
        assert status == 200, body
        return {chart["slice_name"]: chart["id"] for chart in body["result"]}

    def chart_rows(self, chart_id: int) -> tuple[int, list[tuple] | str]:
        """The chart's saved query as /api/v1/chart/<id>/data answers it, as sorted rows."""
        status, body = self.call(f"/api/v1/chart/{chart_id}/data/")
        if status != 200:
            return status, body
        result = body["result"][0]
        return status, sorted((normalised(tuple(row[c] for c in result["colnames"])) for row in result["data"]),
                              key=repr)


def build_and_publish(work: Path) -> tuple[Path, Path]:
    warehouse, published = work / "budget.duckdb", work / "published"
    report = load_documents(warehouse, extract_many(document_paths([SAMPLE]), workers=1))
    assert len(report.loaded) == 4
    run = subprocess.run(
        [str(DBT), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    publish_documented_marts(warehouse, published)
    return warehouse, published


@pytest.fixture(scope="module")
def superset(tmp_path_factory: pytest.TempPathFactory):
    install = subprocess.run([str(SUPERSET_SH), "install"], capture_output=True, text=True, check=False)
    if install.returncode != 0:
        pytest.skip(f"cannot create Superset's virtual environment ({SUPERSET_VENV.name}) from the package "
                    f"registry: {(install.stderr or install.stdout).strip()[-400:]}")
    work = tmp_path_factory.mktemp("superset")
    warehouse, published = build_and_publish(work)
    env = {**os.environ, "SUPERSET_HOME": str(work / "superset_home"), "BUDGET_PUBLISH_DIR": str(published),
           "SUPERSET_PORT": str(free_port())}
    try:
        start = subprocess.run([str(SUPERSET_SH), "start"], env=env, capture_output=True, text=True,
                               timeout=900, check=False)
        assert start.returncode == 0, start.stdout[-2000:] + start.stderr[-3000:]
        print(install.stdout + start.stdout)  # the phases' timings, shown with -s
        instance = Superset(f"http://127.0.0.1:{env['SUPERSET_PORT']}",
                            (work / "superset_home" / "admin_password").read_text().strip(), env, published,
                            warehouse, install.stdout + start.stdout)
        instance.log_in()
        yield instance
    finally:
        subprocess.run([str(SUPERSET_SH), "stop"], env=env, capture_output=True, text=True, timeout=120,
                       check=False)


def test_start_prints_the_url_and_login(superset: Superset) -> None:
    assert f"{superset.base}/superset/dashboard/{DASHBOARD}/" in superset.setup_output
    assert f"log in as admin, password {superset.password}" in superset.setup_output
    assert re.search(r"^webserver start: [\d.]+ s$", superset.setup_output, re.M)


def test_the_database_is_the_published_copy_read_only(superset: Superset) -> None:
    status, body = superset.call("/api/v1/database/")
    assert status == 200, body
    [listed] = body["result"]
    status, body = superset.call(f"/api/v1/database/{listed['id']}/connection")
    assert status == 200, body
    database = body["result"]
    assert database["sqlalchemy_uri"] == f"duckdb:///{superset.published / 'marts.duckdb'}"  # the link itself
    extra = database["extra"] if isinstance(database["extra"], dict) else json.loads(database["extra"])
    assert extra["engine_params"]["connect_args"] == {"read_only": True}


def test_every_chart_answers_what_the_marts_answer(superset: Superset) -> None:
    charts = superset.charts()
    assert set(charts) == set(QUESTIONS)
    for name, chart_id in charts.items():
        status, rows = superset.chart_rows(chart_id)
        assert status == 200, (name, rows)
        expected = asked_of_the_marts(superset.published / "marts.duckdb", name)
        print(f"{name}: {len(rows)} rows; Superset {rows[0]} / DuckDB {expected[0]}")  # shown with -s
        assert rows, name
        assert rows == expected, name


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install -y chromium)")
def test_the_dashboard_renders_in_headless_chromium(superset: Superset, tmp_path: Path) -> None:
    picture = Path(os.environ.get("SUPERSET_SCREENSHOT") or tmp_path / "dashboard.png")
    run = subprocess.run(
        [str(SUPERSET_VENV / "bin" / "python"), str(ROOT / "bi" / "superset" / "screenshot.py"), superset.base,
         DASHBOARD, "admin", superset.password, str(picture)],
        capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    page = json.loads(run.stdout)
    assert page["url"] == f"/superset/dashboard/{DASHBOARD}/"
    assert page["charts"] == len(QUESTIONS) and page["rendered"] == len(QUESTIONS), page
    assert page["errors"] == [] and page["loading"] == 0, page
    assert page["painted_canvases"] >= 2 and page["tables"] >= 6, page  # two bar charts, six tables
    assert not re.search(r"error|unexpected|no results", page["text"], re.I), page["text"][:3000]
    for figure in ("广州开放大学", "11469.28", "13,994.71", "业务用房物业管理费"):  # cells of the charts
        assert figure in page["text"], figure
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 100_000


def test_a_republication_while_superset_is_up_answers_old_or_new(superset: Superset) -> None:
    charts = superset.charts()
    reconciliation = charts[RECONCILIATION]
    old = asked_of_the_marts(superset.published / "marts.duckdb", RECONCILIATION)
    answers: list[tuple[float, int, object]] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            answers.append((time.monotonic(), *superset.chart_rows(reconciliation)))

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        time.sleep(1)
        # The next build prints other totals: the pipeline's warehouse changes, then it is published again.
        with duckdb.connect(str(superset.warehouse)) as con:
            con.execute("update marts.rpt_unit_year_summary set printed_amount = printed_amount + 100 "
                        "where funding_source_code = 'total'")
            con.execute("update marts.rpt_unit_year_summary set reconciliation_gap = printed_amount - projects_amount, "
                        "is_reconciled = abs(printed_amount - projects_amount) < 0.005 where funding_source_code = 'total'")
        published_at = time.monotonic()
        publish_documented_marts(superset.warehouse, superset.published)
        switched_at = time.monotonic()
        time.sleep(2)
    finally:
        stop.set()
        asking.join()
    new = asked_of_the_marts(superset.published / "marts.duckdb", RECONCILIATION)
    assert new != old
    assert [a for a in answers if a[1] != 200] == []
    assert all(rows in (old, new) for _, _, rows in answers)  # never an error, never a mixture
    assert any(t < published_at for t, _, _ in answers) and any(t > switched_at for t, _, _ in answers)
    assert answers[-1][2] == new
    for name, chart_id in charts.items():  # every chart now answers from the new build
        status, rows = superset.chart_rows(chart_id)
        assert status == 200 and rows == asked_of_the_marts(superset.published / "marts.duckdb", name), name
