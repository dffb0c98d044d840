"""Publish the marts as a read-only copy that BI tools can hold open while the pipeline rebuilds.

DuckDB lets one process write a database file, and other processes cannot even read it meanwhile.
So BI tools never connect to the pipeline's warehouse: they read ``<publish dir>/marts.duckdb``
(and ``<publish dir>/parquet/<mart>.parquet``), a copy written after a build whose blocking checks
passed, then swapped in with an atomic rename:

* the new copy is built completely under ``<publish dir>/.staging-<build id>/`` first;
* the Parquet folder is switched by replacing the ``parquet`` symlink (``rename(2)`` is atomic), and
  the DuckDB file by renaming the new file over the old one;
* a reader that opened the old file keeps reading it (its inode lives on until it closes), and a
  reader that connects later sees the whole new build; nobody sees a half-written or failed build;
* the previous Parquet build stays on disk (``KEEP_BUILDS``) so readers part-way through it finish.

Every published database carries ``_publication`` (one row: build id, time, source warehouse, row
counts) so a reader can tell which build it sees.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

DEFAULT_PUBLISH_DIR = "warehouse/published"
MARTS_SCHEMA = "marts"
DATABASE_NAME = "marts.duckdb"
PARQUET_LINK = "parquet"
KEEP_BUILDS = 2


@dataclass(frozen=True)
class Publication:
    build_id: str
    database: Path
    parquet_dir: Path
    row_counts: dict[str, int]


def publish_dir() -> Path:
    return Path(os.environ.get("BUDGET_PUBLISH_DIR", DEFAULT_PUBLISH_DIR)).expanduser().resolve()


def publish_marts(warehouse: str | Path, target: str | Path | None = None, build_id: str | None = None) -> Publication:
    """Copy every table of the warehouse's ``marts`` schema to the published location, atomically."""
    target = Path(target).resolve() if target else publish_dir()
    target.mkdir(parents=True, exist_ok=True)
    build_id = build_id or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    staging = target / f".staging-{build_id}"
    staging.mkdir()
    try:
        row_counts = _write_copy(Path(warehouse).resolve(), staging, build_id)
        parquet_build = target / f"parquet-{build_id}"
        (staging / PARQUET_LINK).rename(parquet_build)
        _swap_symlink(target / PARQUET_LINK, parquet_build.name)
        os.replace(staging / DATABASE_NAME, target / DATABASE_NAME)
        (target / "publication.json").with_suffix(".tmp").write_text(
            json.dumps({"build_id": build_id, "row_counts": row_counts}, ensure_ascii=False, indent=2)
        )
        os.replace(target / "publication.tmp", target / "publication.json")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(target)
    return Publication(build_id, target / DATABASE_NAME, target / PARQUET_LINK, row_counts)


def _write_copy(warehouse: Path, staging: Path, build_id: str) -> dict[str, int]:
    parquet = staging / PARQUET_LINK
    parquet.mkdir()
    con = duckdb.connect(str(staging / DATABASE_NAME))
    try:
        con.execute("attach ? as source (read_only)", [str(warehouse)])
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from duckdb_tables() where database_name = 'source' and schema_name = ? "
                "order by table_name",
                [MARTS_SCHEMA],
            ).fetchall()
        ]
        if not tables:
            raise RuntimeError(f"{warehouse} has no tables in schema {MARTS_SCHEMA!r}: nothing to publish")
        counts = {}
        for name in tables:  # names come from the catalog, quoted as identifiers
            ident = '"' + name.replace('"', '""') + '"'
            con.execute(f"create table main.{ident} as select * from source.{MARTS_SCHEMA}.{ident}")
            con.execute(f"copy main.{ident} to '{_sql_path(parquet / (name + '.parquet'))}' (format parquet)")
            counts[name] = con.execute(f"select count(*) from main.{ident}").fetchone()[0]
        con.execute(
            "create table main._publication as select ? as build_id, ? as published_at, ? as source_warehouse, "
            "? as row_counts",
            [build_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), str(warehouse), json.dumps(counts)],
        )
        con.execute("detach source")
        con.execute("checkpoint")
    finally:
        con.close()
    return counts


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _swap_symlink(link: Path, target_name: str) -> None:
    temporary = link.with_name(f".{link.name}-{uuid.uuid4().hex[:8]}")
    temporary.symlink_to(target_name)
    os.replace(temporary, link)


def _prune(target: Path) -> None:
    current = os.readlink(target / PARQUET_LINK) if (target / PARQUET_LINK).is_symlink() else None
    builds = sorted(p for p in target.glob("parquet-*") if p.is_dir())
    for old in builds[:-KEEP_BUILDS]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
