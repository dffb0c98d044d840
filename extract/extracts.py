"""Extracted documents as immutable Parquet files: the extraction folder (``BUDGET_EXTRACTS``).

Each extracted document is written once, into ``<folder>/<sha256>-<EXTRACTOR_VERSION>/``, one Parquet file
per raw table (``documents``, ``units``, ``projects``, ``indicators``, ``findings``) with the columns and
types of the ``raw`` schema (`extract.load.DDL`); ``documents.parquet`` also carries the two keys the
duplicate check compares (``table_key``, ``unit_key``). Writing needs no lock and no warehouse, so
extraction runs anywhere that sees the folder (a shared one for several machines):

* a document is its content: an unchanged file, under any name, is written once; writing it again writes
  nothing (`write_extract` returns the folder already there);
* atomic: the files go into a temporary folder under ``<folder>/.writing/``, are flushed to disk, and the
  folder is renamed into place; a crash leaves only a temporary folder, which a later write of the same
  document removes. (The temporary folders have a folder of their own so that looking for a document's
  leftovers reads only the writes in progress, not every extract: with them beside the extracts, each
  write listed the whole folder, a cost that grew with the corpus.)
* the name-level facts (file name, path, manifest ``supersedes``, duplicates between files) are not
  content: the ingest (`extract.load.ingest`) sets them for the files of the run.
"""

from __future__ import annotations

import os
import shutil
import socket
import time
import uuid
from pathlib import Path

import duckdb

from extract import failpoints
from extract.model import ExtractedDocument
from extract.raw_schema import DDL, EXTRACTOR_VERSION, RAW_TABLES, document_rows, plain, table_key, unit_key

STALE_SECONDS = 3600.0  # a temporary folder older than this is a crashed write, whoever left it
WRITING = ".writing"  # the temporary folders of writes in progress (or crashed), inside the extraction folder
_HOST = socket.gethostname()


def extract_key(document_id: str) -> str:
    """The folder name of a document's extract: its content hash and the extractor version."""
    return f"{document_id}-{EXTRACTOR_VERSION}"


def extract_dir(folder: str | Path, document_id: str) -> Path:
    return Path(folder) / extract_key(document_id)


def has_extract(folder: str | Path, document_id: str) -> bool:
    return extract_dir(folder, document_id).is_dir()


def write_extract(doc: ExtractedDocument, folder: str | Path) -> Path | None:
    """Write `doc` into `folder` unless its extract is there already; the extract's folder (None for a file
    that could not be read, which has no content to record)."""
    if not doc.document_id:
        return None
    final = extract_dir(folder, doc.document_id)
    if final.is_dir():
        return final
    writing = final.parent / WRITING
    writing.mkdir(parents=True, exist_ok=True)
    _remove_crashed_writes(final)
    temporary = writing / f"{final.name}.{_HOST}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    temporary.mkdir()
    try:
        _write_tables(doc, temporary)
        _fsync(temporary)
        failpoints.reached("extract.write")
        try:
            os.rename(temporary, final)
        except OSError:
            if not final.is_dir():  # not a concurrent writer of the same content: a real failure
                raise
            shutil.rmtree(temporary, ignore_errors=True)
            return final
        _fsync_folder(final.parent)  # the rename itself
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return final


def _write_tables(doc: ExtractedDocument, into: Path) -> None:
    """One Parquet file per raw table. The values travel as one list parameter per column (decimals as
    text), unnested and cast to the column's type in SQL: no value is formatted into a statement, and no
    per-row Python conversion on the way (several times faster than a DataFrame of objects)."""
    con, columns = _connection()
    rows = document_rows(doc)
    rows["documents"] = [(*rows["documents"][0], table_key(doc), unit_key(doc))]
    for table in RAW_TABLES:
        types = columns[table] + ([("table_key", "varchar"), ("unit_key", "varchar")] if table == "documents" else [])
        values = [list(column) for column in zip(*[[plain(v) for v in record] for record in rows[table]],
                                                 strict=True)] or [[] for _ in types]
        select = ", ".join(f'unnest(${i})::{data_type} as "{name}"' for i, (name, data_type) in enumerate(types, 1))
        target = str(into / f"{table}.parquet").replace("'", "''")  # our own folder; names and types: the DDL
        con.execute(f"copy (select {select}) to '{target}' (format parquet)", values)


_CONNECTION: tuple[int, duckdb.DuckDBPyConnection, dict[str, list[tuple[str, str]]]] | None = None


def _connection() -> tuple[duckdb.DuckDBPyConnection, dict[str, list[tuple[str, str]]]]:
    """An in-memory DuckDB with the raw tables' DDL, one per process (a forked worker makes its own)."""
    global _CONNECTION
    if _CONNECTION is None or _CONNECTION[0] != os.getpid():
        con = duckdb.connect()
        con.execute(DDL)
        columns = {table: con.execute(
            "select column_name, data_type from information_schema.columns where table_schema = 'raw' "
            "and table_name = ? order by ordinal_position", [table]).fetchall() for table in RAW_TABLES}
        _CONNECTION = (os.getpid(), con, columns)
    return _CONNECTION[1], _CONNECTION[2]


def _fsync(path: Path) -> None:
    """Flush a (temporary) folder's files and the folder itself to disk."""
    for child in path.iterdir():
        if child.is_file():
            with child.open("rb") as f:
                os.fsync(f.fileno())
    _fsync_folder(path)


def _fsync_folder(path: Path) -> None:
    """Flush a folder's entries (not its files: the extraction folder holds every extract) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_crashed_writes(final: Path) -> None:
    """Temporary folders of this document left by a crashed write: this machine's dead processes', or any
    older than `STALE_SECONDS` (another machine's)."""
    for temporary in (final.parent / WRITING).glob(f"{final.name}.*.tmp"):
        parts = temporary.name.split(".")  # key, host (may hold dots), pid, random, "tmp"
        host, pid = ".".join(parts[1:-3]), parts[-3] if len(parts) >= 5 else "0"
        try:
            stale = time.time() - temporary.stat().st_mtime > STALE_SECONDS
        except OSError:
            continue
        if stale or (host == _HOST and pid.isdigit() and not _alive(int(pid))):
            shutil.rmtree(temporary, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
