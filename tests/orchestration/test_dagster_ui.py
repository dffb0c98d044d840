"""The Dagster UI for real: `dagster dev` on 127.0.0.1 (a free port, a temporary DAGSTER_HOME), its GraphQL
API asked for the lineage, and its pages rendered by headless Chromium.

The documents folder is empty, so the sensors start no runs while the test looks around.
"""

import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.home import ensure_dagster_home

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DAGSTER = Path(sys.executable).with_name("dagster")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
LOCATION = "orchestration.definitions"
START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(base: str, query: str) -> dict:
    request = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.load(response)
    assert "errors" not in body, body["errors"]
    return body["data"]


ASSET_NODES = """{ assetNodes { assetKey { path } groupName kinds dependencyKeys { path }
  assetChecksOrError { ... on AssetChecks { checks { name blocking description } } } } }"""


def _default_signals() -> None:
    # A shell's background job inherits SIGINT/SIGTERM ignored; dagster dev must hear them to shut down.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.fixture(scope="module")
def dagster_ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("ui")
    (work / "documents").mkdir()
    env = {**os.environ, "DAGSTER_HOME": str(ensure_dagster_home(work / "home")),
           "BUDGET_DOCUMENTS": str(work / "documents"), "BUDGET_WAREHOUSE": str(work / "budget.duckdb"),
           "BUDGET_PUBLISH_DIR": str(work / "published"), "BUDGET_QUALITY_DOCS": str(work / "quality_docs")}
    port, log = free_port(), (work / "dagster-dev.log").open("w")
    process = subprocess.Popen(
        [str(DAGSTER), "dev", "-m", LOCATION, "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=_default_signals,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, (work / "dagster-dev.log").read_text()[-3000:]
            try:
                if graphql(base, "{ assetNodes { id } }")["assetNodes"]:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "dagster dev did not serve the definitions in time"
            time.sleep(2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_graphql_lineage_runs_from_document_to_marts(dagster_ui: str) -> None:
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graphql(dagster_ui, ASSET_NODES)["assetNodes"]}
    parents = {key: {"/".join(d["path"]) for d in n["dependencyKeys"]} for key, n in nodes.items()}
    for child, parent in [
        ("document_extracts", "document_files"),
        ("raw/projects", "document_extracts"),
        ("staging/stg_budget__projects", "raw/projects"),
        ("intermediate/int_projects_matched", "staging/stg_budget__projects"),
        ("marts/fct_project_budget", "intermediate/int_projects_matched"),
    ]:
        assert parent in parents[child], (child, parent)
    assert {nodes[k]["groupName"] for k in ("document_files", "raw/projects", "staging/stg_budget__projects",
                                            "marts/fct_project_budget")} == {"sources", "raw", "staging", "marts"}
    assert "dbt" in nodes["marts/fct_project_budget"]["kinds"]
    assert {"python", "duckdb"} <= {k.lower() for k in nodes["raw/projects"]["kinds"]}
    checks = {c["name"]: c["blocking"] for c in nodes["raw/projects"]["assetChecksOrError"]["checks"]}
    assert checks == {"gx_errors": True, "gx_warnings": False}
    described = [(key, c["name"], c["description"]) for key, n in nodes.items()
                 for c in (n["assetChecksOrError"] or {}).get("checks", [])]
    assert len(described) > 150 and all(description for _, _, description in described), described


def page_text(url: str, profile: Path) -> str:
    """The page as headless Chromium renders it, as visible text."""
    shutil.rmtree(profile, ignore_errors=True)
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=2400,1600", f"--user-data-dir={profile}",
         "--virtual-time-budget=20000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180, check=True,
    ).stdout
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", dom, flags=re.S)
    return " ".join(html.unescape(text).split())


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install -y chromium)")
def test_asset_graph_shows_extraction_dbt_and_check_nodes(dagster_ui: str, tmp_path: Path) -> None:
    profile = tmp_path / "chromium"
    lineage = page_text(f"{dagster_ui}/asset-groups", profile)
    assert "Global asset lineage" in lineage
    for group in ("sources", "raw", "staging", "intermediate", "marts"):
        assert group in lineage.split(), group

    raw = page_text(f"{dagster_ui}/locations/__repository__@{LOCATION}/asset-groups/raw", profile)
    for node in ("document_files", "documents", "projects", "indicators", "stg_budget__projects"):
        assert node in raw, node
    assert "Asset checks" in raw and "DuckDB" in raw

    staging = page_text(f"{dagster_ui}/assets/staging/stg_budget__projects?view=lineage", profile)
    for node in ("projects", "stg_budget__projects", "int_projects_matched", "fct_project_budget", "dbt"):
        assert node in staging, node

    gx = page_text(f"{dagster_ui}/assets/raw/projects?view=checks", profile)
    assert "gx_errors" in gx and "gx_warnings" in gx and "Great Expectations suite" in gx
    assert "No description provided" not in gx
    dbt_tests = page_text(f"{dagster_ui}/assets/staging/stg_budget__projects?view=checks", profile)
    assert "not_null_project_id" in dbt_tests, dbt_tests
    assert "dbt test:" in dbt_tests and "(severity error: a failure blocks the next layer)" in dbt_tests, dbt_tests
    assert "No description provided" not in dbt_tests
