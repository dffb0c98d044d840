"""Typed resources: where documents arrive and the DuckDB warehouse they are loaded into.

Locations follow `extract.locations`: a relative one is taken from the project root, so every Dagster
process agrees on them whatever its working directory. Connections wait for the warehouse's lock as
`extract.warehouse` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, EnvVar
from dagster_duckdb import DuckDBResource

from extract import locations
from extract.load import ensure_schema
from extract.reader import document_in_folder, document_paths
from extract.warehouse import connect
from extract.warehouse import writer as queued_writer


class DocumentsFolder(ConfigurableResource):
    """The folder documents arrive in. Each document file in it is one partition, keyed by its file name."""

    path: str = locations.DEFAULTS[locations.DOCUMENTS]

    @property
    def root(self) -> Path:
        return locations.resolve(self.path)

    def document_files(self) -> list[Path]:
        return document_paths([self.root]) if self.root.is_dir() else []

    def path_of(self, document: str) -> Path:
        """The file of a partition key; a key that would lead outside the folder is refused."""
        return document_in_folder(self.root, document)


class PublishFolder(ConfigurableResource):
    """Where the read-only copy of the marts for BI tools is published."""

    path: str = locations.DEFAULTS[locations.PUBLISH_DIR]

    @property
    def root(self) -> Path:
        return locations.resolve(self.path)


class Warehouse(DuckDBResource):
    """The DuckDB warehouse file. DuckDB admits one writing process per file: our loaders queue on a lock
    file beside it, and every connection waits while another program (dbt, `python -m extract --load`)
    holds the file, for `lock_timeout_seconds` (unset: $BUDGET_LOCK_TIMEOUT or 300 s)."""

    lock_timeout_seconds: float | None = None

    @property
    def path(self) -> Path:
        return locations.resolve(self.database)

    @contextmanager
    def get_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect(self.path, read_only, self.lock_timeout_seconds, self.connection_config) as con:
            yield con

    @contextmanager
    def writer(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for loading, with the `raw` schema in place, held by one process at a time."""
        with queued_writer(self.path, self.lock_timeout_seconds, self.connection_config) as con:
            ensure_schema(con)
            yield con


# The locations are `EnvVar`s, read when a run starts (tests and `python -m orchestration.run --warehouse`
# point them elsewhere). Unset, they take the defaults of `extract.locations`, made absolute so that
# processes started in another working directory (dbt runs in dbt_project/) agree on them.
for _variable in (locations.DOCUMENTS, locations.WAREHOUSE, locations.PUBLISH_DIR):
    os.environ.setdefault(_variable, str(locations.location(_variable)))

documents_folder = DocumentsFolder(path=EnvVar(locations.DOCUMENTS))
warehouse = Warehouse(database=EnvVar(locations.WAREHOUSE))
publish_folder = PublishFolder(path=EnvVar(locations.PUBLISH_DIR))
