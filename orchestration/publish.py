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

What a build holds (a copy that describes itself and opens in DuckDB 1.4 and later) is written by
`orchestration.marts_copy`. ``docs.html`` beside the links is the dbt documentation page
(`orchestration.dbt_docs`), replaced in one rename after the switch.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from extract import failpoints
from extract.locations import publish_dir
from orchestration.mart_keys import TableKeys
from orchestration.marts_copy import DATABASE_NAME, PARQUET_DIR, PUBLICATION_FILE, write_build

BUILDS_DIR = "builds"
CURRENT_LINK = "current"
DOCS_PAGE = "docs.html"
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


def publish_marts(warehouse: str | Path, target: str | Path | None = None, build_id: str | None = None, *,
                  keys: Mapping[str, TableKeys] | None = None, docs_page: Path | None = None) -> Publication:
    """Copy every table of the warehouse's ``marts`` schema to the published location, atomically, with
    the primary and foreign `keys` declared; `docs_page` becomes ``docs.html`` beside it."""
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
        row_counts = write_build(Path(warehouse).resolve(), partial, build_id, keys or {})
        partial.rename(builds / build_id)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    failpoints.reached("publish.swap")
    _link(target / CURRENT_LINK, f"{BUILDS_DIR}/{build_id}")
    for name in (DATABASE_NAME, PARQUET_DIR, PUBLICATION_FILE):
        _link(target / name, f"{CURRENT_LINK}/{name}")
    if docs_page:
        install_file(docs_page, target / DOCS_PAGE)
    _prune(target)
    return Publication(build_id, target / DATABASE_NAME, target / PARQUET_DIR, row_counts)


def install_file(source: Path, destination: Path) -> None:
    """Copy `source` to `destination`, replacing it in one rename (readers see the old file or the new)."""
    temporary = destination.with_name(f".{destination.name}-{uuid.uuid4().hex[:8]}")
    shutil.copyfile(source, temporary)
    os.replace(temporary, destination)


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
    for name in (CURRENT_LINK, DATABASE_NAME, PARQUET_DIR, PUBLICATION_FILE, DOCS_PAGE):
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
