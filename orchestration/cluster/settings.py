"""Where the cluster lives and how its processes find each other: environment variables with defaults.

Every address is an environment variable, so the same configuration points at remote machines: a worker
on another host is `dask worker $BUDGET_DASK_SCHEDULER` with the DAGSTER_PG_* variables and the shared
BUDGET_DOCUMENTS / BUDGET_WAREHOUSE / BUDGET_PUBLISH_DIR folders.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from extract.locations import resolve

EXECUTOR = "BUDGET_EXECUTOR"  # "dask": every job's steps go to the Dask scheduler below
SCHEDULER = "BUDGET_DASK_SCHEDULER"
AUTOMATION = "BUDGET_AUTOMATION"  # "off": no sensors or schedules, only submitted runs
CLUSTER_DIR = "BUDGET_CLUSTER_DIR"  # PostgreSQL data, Dagster home, PID files and logs

DEFAULT_CLUSTER_DIR = "warehouse/cluster"
DEFAULT_SCHEDULER_PORT = 8786
DEFAULT_PG_PORT = 55432  # not 5432: a system PostgreSQL may hold that one
DEFAULT_WEBSERVER_PORT = 3100  # not 3000, where `make dev` listens
WORKERS = 2


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass(frozen=True)
class ClusterSettings:
    """One cluster on this machine: its folder and its ports (all on 127.0.0.1 unless BUDGET_CLUSTER_HOST)."""

    root: Path
    host: str = "127.0.0.1"
    pg_port: int = DEFAULT_PG_PORT
    scheduler_port: int = DEFAULT_SCHEDULER_PORT
    dashboard_port: int = DEFAULT_SCHEDULER_PORT + 1
    webserver_port: int = DEFAULT_WEBSERVER_PORT
    workers: int = WORKERS

    @classmethod
    def from_env(cls) -> ClusterSettings:
        scheduler_port = env_int("BUDGET_DASK_SCHEDULER_PORT", DEFAULT_SCHEDULER_PORT)
        return cls(
            root=resolve(os.environ.get(CLUSTER_DIR) or DEFAULT_CLUSTER_DIR),
            host=os.environ.get("BUDGET_CLUSTER_HOST") or "127.0.0.1",
            pg_port=env_int("DAGSTER_PG_PORT", DEFAULT_PG_PORT),
            scheduler_port=scheduler_port,
            dashboard_port=env_int("BUDGET_DASK_DASHBOARD_PORT", scheduler_port + 1),
            webserver_port=env_int("BUDGET_CLUSTER_WEBSERVER_PORT", DEFAULT_WEBSERVER_PORT),
            workers=env_int("BUDGET_DASK_WORKERS", WORKERS),
        )

    @property
    def pg_data(self) -> Path:
        return self.root / "pg"

    @property
    def pg_password_file(self) -> Path:
        return self.root / "pg.password"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def scheduler_address(self) -> str:
        return f"tcp://{self.host}:{self.scheduler_port}"

    def environment(self) -> dict[str, str]:
        """What every process of the cluster (and a remote worker) needs besides the BUDGET_* folders."""
        return {
            "DAGSTER_HOME": str(self.dagster_home),
            EXECUTOR: "dask",
            SCHEDULER: self.scheduler_address,
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.pg_port),
            "DAGSTER_PG_USER": "dagster",
            "DAGSTER_PG_DB": "dagster",
            "DAGSTER_PG_PASSWORD": self.pg_password_file.read_text().strip()
            if self.pg_password_file.exists() else "",
            # A step may start processes of its own (extraction's process pool): a daemonic worker cannot.
            "DASK_DISTRIBUTED__WORKER__DAEMON": "False",
        }
