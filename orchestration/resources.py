"""Typed resources: where documents arrive and the DuckDB warehouse they are loaded into.

Relative locations are taken from the project root, so every Dagster process agrees on them whatever its
working directory.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource

from extract.config import DEFAULT_DOCUMENTS, DEFAULT_WAREHOUSE, PROJECT_ROOT
from extract.load import ensure_schema
from extract.manifest import ManifestEntry, load_manifest
from extract.reader import document_in_folder, document_paths
from orchestration.publish import DEFAULT_PUBLISH_DIR


def absolute(value: str) -> Path:
    """Relative locations are taken from the project root, whatever the process's working directory."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path).resolve()


class DocumentsFolder(ConfigurableResource):
    """The folder documents arrive in. Each document file in it is one partition, keyed by its file name."""

    path: str = DEFAULT_DOCUMENTS

    @property
    def root(self) -> Path:
        return absolute(self.path)

    def document_files(self) -> list[Path]:
        return document_paths([self.root]) if self.root.is_dir() else []

    def path_of(self, document: str) -> Path:
        """The file of a partition key; a key that would lead outside the folder is refused."""
        return document_in_folder(self.root, document)

    def manifest(self) -> dict[str, ManifestEntry]:
        return load_manifest(self.root)


class PublishFolder(ConfigurableResource):
    """Where the read-only copy of the marts for BI tools is published."""

    path: str = DEFAULT_PUBLISH_DIR

    @property
    def root(self) -> Path:
        return absolute(self.path)


class Warehouse(DuckDBResource):
    """The DuckDB warehouse file. DuckDB admits one writing process per file: our writers queue on a lock
    file beside it, and every connection retries for a while when another program (dbt) holds the file."""

    lock_timeout_seconds: float = 300.0

    @property
    def path(self) -> Path:
        return absolute(self.database)

    @contextmanager
    def get_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_seconds
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only, config=self.connection_config)
                break
            except duckdb.IOException:  # "Could not set lock on file": another process is writing
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for loading, with the `raw` schema in place, held by one process at a time."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with self.get_connection() as con:
                    ensure_schema(con)
                    yield con
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


# The locations are `EnvVar`s, read when a run starts (tests and `python -m orchestration.run --warehouse`
# point them elsewhere). Unset, they take the defaults of `extract.config`, made absolute so that processes
# started in another working directory (dbt runs in dbt_project/) agree on them.
os.environ.setdefault("BUDGET_DOCUMENTS", str(PROJECT_ROOT / DEFAULT_DOCUMENTS))
os.environ.setdefault("BUDGET_WAREHOUSE", str(PROJECT_ROOT / DEFAULT_WAREHOUSE))
os.environ.setdefault("BUDGET_PUBLISH_DIR", str(PROJECT_ROOT / DEFAULT_PUBLISH_DIR))

documents_folder = DocumentsFolder(path=EnvVar("BUDGET_DOCUMENTS"))
warehouse = Warehouse(database=EnvVar("BUDGET_WAREHOUSE"))
publish_folder = PublishFolder(path=EnvVar("BUDGET_PUBLISH_DIR"))
