"""Publish the marts as a read-only copy that BI tools can hold open while the pipeline rebuilds.

DuckDB lets one process write a database file, and other processes cannot even read it meanwhile.
So BI tools never connect to the pipeline's warehouse: they read a copy written after a build whose
blocking checks passed. The publish folder holds

    builds/<build id>/marts.duckdb          one table per mart, plus `_publication`
    builds/<build id>/parquet/<mart>.parquet
    builds/<build id>/publication.json
    current -> builds/<build id>            the one link a publication switches
    marts.duckdb -> current/marts.duckdb    what readers open (fixed links)
    parquet -> current/parquet
    publication.json -> current/publication.json

* a build is written completely under ``builds/.partial-<build id>/``, then renamed into place;
* one ``rename(2)`` of a new symlink over ``current`` switches the DuckDB file, the Parquet files and
  ``publication.json`` together: a path opened before the switch is the old build, after it the new one,
  so a reader never sees a half-written build, a failed one, or a DuckDB file and Parquet files of
  different builds (a reader that must read several Parquet files of one build resolves ``current`` once);
* a reader that opened the old build keeps reading it: its folder stays until ``KEEP_BUILDS`` newer
  publications have happened, and its open files live on even after that;
* a publication killed part-way leaves the previous one published; its leftovers are removed by the next.

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

from extract import failpoints
from extract.locations import publish_dir

MARTS_SCHEMA = "marts"
DATABASE_NAME = "marts.duckdb"
PARQUET_DIR = "parquet"
PUBLICATION_FILE = "publication.json"
BUILDS_DIR = "builds"
CURRENT_LINK = "current"
PARTIAL_PREFIX = ".partial-"
KEEP_BUILDS = 2  # the current build and the one before it, for readers part-way through it


@dataclass(frozen=True)
class Publication:
    build_id: str
    database: Path
    parquet_dir: Path
    row_counts: dict[str, int]


def current_build(target: str | Path) -> str | None:
    """The build id published in `target`, or None before the first publication."""
    link = Path(target) / CURRENT_LINK
    return Path(os.readlink(link)).name if link.is_symlink() else None


def publish_marts(warehouse: str | Path, target: str | Path | None = None, build_id: str | None = None) -> Publication:
    """Copy every table of the warehouse's ``marts`` schema to the published location, atomically."""
    target = Path(target).resolve() if target else publish_dir()
    builds = target / BUILDS_DIR
    builds.mkdir(parents=True, exist_ok=True)
    build_id = build_id or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    if (builds / build_id).exists():
        raise ValueError(f"build {build_id!r} is already published in {target}")
    _remove_leftovers(target)
    partial = builds / f"{PARTIAL_PREFIX}{build_id}"
    partial.mkdir()
    try:
        row_counts = _write_build(Path(warehouse).resolve(), partial, build_id)
        partial.rename(builds / build_id)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    failpoints.reached("publish.swap")
    _link(target / CURRENT_LINK, f"{BUILDS_DIR}/{build_id}")
    for name in (DATABASE_NAME, PARQUET_DIR, PUBLICATION_FILE):
        _link(target / name, f"{CURRENT_LINK}/{name}")
    _prune(target)
    return Publication(build_id, target / DATABASE_NAME, target / PARQUET_DIR, row_counts)


def _write_build(warehouse: Path, folder: Path, build_id: str) -> dict[str, int]:
    parquet = folder / PARQUET_DIR
    parquet.mkdir()
    con = duckdb.connect(str(folder / DATABASE_NAME))
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
        published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con.execute(
            "create table main._publication as select ? as build_id, ? as published_at, ? as source_warehouse, "
            "? as row_counts",
            [build_id, published_at, str(warehouse), json.dumps(counts)],
        )
        con.execute("detach source")
        con.execute("checkpoint")
    finally:
        con.close()
    (folder / PUBLICATION_FILE).write_text(json.dumps(
        {"build_id": build_id, "published_at": published_at.isoformat(), "source_warehouse": str(warehouse),
         "row_counts": counts}, ensure_ascii=False, indent=2))
    return counts


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _link(link: Path, points_to: str) -> None:
    """Make `link` a symlink to `points_to`, replacing whatever is there in one rename (a no-op if it
    already is). A regular file or folder left by an older layout is replaced the same way."""
    if link.is_symlink() and os.readlink(link) == points_to:
        return
    temporary = link.with_name(f".{link.name}-{uuid.uuid4().hex[:8]}")
    temporary.symlink_to(points_to)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(temporary, link)


def _remove_leftovers(target: Path) -> None:
    """What a publication killed part-way left: unfinished builds and unswapped links."""
    for partial in (target / BUILDS_DIR).glob(f"{PARTIAL_PREFIX}*"):
        shutil.rmtree(partial, ignore_errors=True)
    for name in (CURRENT_LINK, DATABASE_NAME, PARQUET_DIR, PUBLICATION_FILE):
        for temporary in target.glob(f".{name}-*"):
            temporary.unlink(missing_ok=True)
    for old in (*target.glob(".staging-*"), *target.glob("parquet-*")):  # the layout before build folders
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)


def _prune(target: Path) -> None:
    current = current_build(target)
    builds = sorted((p for p in (target / BUILDS_DIR).iterdir()
                     if p.is_dir() and not p.name.startswith(PARTIAL_PREFIX)),
                    key=lambda p: p.stat().st_mtime)
    for old in builds[:-KEEP_BUILDS]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)
