"""The cluster's Dagster home: the project's dagster.yaml with its SQLite storage swapped for PostgreSQL,
and a workspace.yaml that loads the project's code location.

Run queue, pools, run monitoring and retention stay those of the project's dagster.yaml, read each time the
cluster starts, so both deployments keep one set of settings. The PostgreSQL address and credentials are
environment variables (DAGSTER_PG_*), resolved on each machine that opens the instance: the webserver, the
daemon, the run workers and every Dask worker.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from extract.locations import PROJECT_ROOT
from orchestration.home import INSTANCE_YAML

POSTGRES_STORAGE = {
    "postgres": {
        "postgres_db": {
            "hostname": {"env": "DAGSTER_PG_HOST"},
            "port": {"env": "DAGSTER_PG_PORT"},
            "username": {"env": "DAGSTER_PG_USER"},
            "password": {"env": "DAGSTER_PG_PASSWORD"},
            "db_name": {"env": "DAGSTER_PG_DB"},
            "scheme": "postgresql+psycopg2",  # SQLAlchemy 2.1 would pick psycopg 3, which we do not install
        }
    }
}


def instance_settings(project_yaml: Path = INSTANCE_YAML) -> dict:
    settings = yaml.safe_load(project_yaml.read_text(encoding="utf-8"))
    return {**settings, "storage": POSTGRES_STORAGE}


def write_home(home: Path) -> Path:
    """Write dagster.yaml and workspace.yaml into `home` (made if missing); returns the workspace file."""
    home.mkdir(parents=True, exist_ok=True)
    header = "# Written by orchestration/cluster/instance.py from the project's dagster.yaml: edit that one.\n"
    (home / "dagster.yaml").write_text(header + yaml.safe_dump(instance_settings(), sort_keys=False),
                                       encoding="utf-8")
    workspace = home / "workspace.yaml"
    workspace.write_text(header + yaml.safe_dump({"load_from": [{"python_module": {
        "module_name": "orchestration.definitions", "working_directory": str(PROJECT_ROOT),
        "location_name": "budget_warehouse"}}]}, sort_keys=False), encoding="utf-8")
    return workspace
