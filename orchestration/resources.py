"""Typed resources: where documents arrive and the DuckDB warehouse they are loaded into.

Locations follow `extract.locations`: a relative one is taken from the project root, so every Dagster
process agrees on them whatever its working directory. Connections wait for the warehouse's lock as
`extract.warehouse` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource
from dagster_duckdb import DuckDBResource

from extract import locations
from extract.load import ensure_schema
from extract.reader import document_in_folder, document_paths
from extract.warehouse import connect
from extract.warehouse import writer as queued_writer


class DocumentsFolder(ConfigurableResource):
    """The folder documents arrive in. Each document file in it is one partition, keyed by its file name."""

    path: str = ""  # empty: $BUDGET_DOCUMENTS, else its default (`extract.locations`), read when used
    extracts_path: str = ""  # where their extracts go: empty: $BUDGET_EXTRACTS, else beside the warehouse

    @property
    def root(self) -> Path:
        return locations.resolve(self.path) if self.path else locations.location(locations.DOCUMENTS)

    @property
    def extracts(self) -> Path:
        """The extraction folder (`extract.extracts`): may be shared storage that other machines write."""
        return locations.resolve(self.extracts_path) if self.extracts_path else locations.extracts_dir()

    def document_files(self) -> list[Path]:
        return document_paths([self.root]) if self.root.is_dir() else []

    def path_of(self, document: str) -> Path:
        """The file of a partition key; a key that would lead outside the folder is refused."""
        return document_in_folder(self.root, document)


class PublishFolder(ConfigurableResource):
    """Where the read-only copy of the marts for BI tools is published."""

    path: str = ""  # empty: $BUDGET_PUBLISH_DIR, else its default, read when used

    @property
    def root(self) -> Path:
        return locations.resolve(self.path) if self.path else locations.location(locations.PUBLISH_DIR)


class Warehouse(DuckDBResource):
    """The DuckDB warehouse file. DuckDB admits one writing process per file: our loaders queue on a lock
    file beside it, and every connection waits while another program (dbt, `python -m extract --load`)
    holds the file, for `lock_timeout_seconds` (unset: $BUDGET_LOCK_TIMEOUT or 300 s)."""

    database: str = ""  # empty: $BUDGET_WAREHOUSE, else its default (`extract.locations`), read when used
    lock_timeout_seconds: float | None = None

    @property
    def path(self) -> Path:
        return locations.resolve(self.database) if self.database else locations.location(locations.WAREHOUSE)

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


# Unset, each location is read from its environment variable when a run uses it, so tests and
# `python -m orchestration.run --warehouse` can point a run elsewhere; nothing is set at import.
documents_folder = DocumentsFolder()
warehouse = Warehouse()
publish_folder = PublishFolder()
