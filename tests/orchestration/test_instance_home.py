"""Instance start-up is safe under concurrency (issue 15, point 1): two pipelines starting together on a
fresh $DAGSTER_HOME create its storage once, and every later run works."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from dagster import DagsterInstance, DagsterRun

ROOT = Path(__file__).resolve().parents[2]
# What `python -m orchestration.run` does before its first run.
START = "from orchestration.run import open_instance; open_instance(False).dispose()"


def test_two_pipelines_starting_together_on_a_fresh_home_create_one_instance(tmp_path: Path, monkeypatch) -> None:
    for attempt in range(5):
        home = tmp_path / f"home{attempt}"
        env = {**os.environ, "DAGSTER_HOME": str(home)}
        starts = [subprocess.Popen([sys.executable, "-c", START], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                                   text=True) for _ in range(2)]
        errors = [start.communicate(timeout=120)[1] for start in starts]
        assert [start.returncode for start in starts] == [0, 0], errors
        with sqlite3.connect(home / "history" / "runs.db") as con:
            assert len(con.execute("select * from alembic_version").fetchall()) == 1
        monkeypatch.setenv("DAGSTER_HOME", str(home))
        with DagsterInstance.from_config(str(home)) as instance:
            instance.add_run(DagsterRun(job_name="after_start", run_id=f"run-{attempt}"))
            assert instance.get_run_by_id(f"run-{attempt}") is not None
