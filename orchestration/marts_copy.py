"""What one published build holds: the marts as a DuckDB file any DuckDB from 1.4 (LTS) on opens, with their
descriptions and keys, one Parquet file per mart, and `publication.json` (`orchestration.publish` switches
builds in).

* The DuckDB file is written in the ``v1.4.0`` storage format: DuckDB 2.0 writes its own by default, which
  no 1.x release (nor a tool bundling one: JDBC, Node, WebAssembly, the PyPI CLI) can open.
* Each table and column carries the warehouse's comment (dbt's descriptions, via `persist_docs`); copying
  rows does not carry comments, so they are set again from the source catalog. ``_publication`` (build id,
  time, source, row counts) has its own.
* The primary and foreign keys the dbt tests state (`orchestration.mart_keys`) are declared, and tables are
  created in an order that lets each foreign key point at a table already filled.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path

import duckdb

from orchestration.mart_keys import TableKeys, creation_order

MARTS_SCHEMA = "marts"
DATABASE_NAME = "marts.duckdb"
PARQUET_DIR = "parquet"
PUBLICATION_FILE = "publication.json"
# The newest storage format DuckDB 1.4 (the long-term support line) reads; 1.5, 2.0 and later read it too.
STORAGE_VERSION = "v1.4.0"
PUBLICATION_COMMENTS = {
    "": "Which build this copy is: one row, written with the tables (also in publication.json).",
    "build_id": "The build: UTC time it was published and a random suffix.",
    "published_at": "When the build was published (UTC).",
    "source_warehouse": "The pipeline's DuckDB file the marts were copied from.",
    "row_counts": "Rows of each published table, as a JSON object.",
}


def write_build(warehouse: Path, folder: Path, build_id: str, keys: Mapping[str, TableKeys]) -> dict[str, int]:
    """Every table of the warehouse's marts schema into `folder`; the row count of each."""
    parquet = folder / PARQUET_DIR
    parquet.mkdir()
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_sql_path(folder / DATABASE_NAME)}' as published (storage_version '{STORAGE_VERSION}')")
        con.execute("attach ? as source (read_only)", [str(warehouse)])
        tables = [name for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'source' and schema_name = ?",
            [MARTS_SCHEMA]).fetchall()]
        if not tables:
            raise RuntimeError(f"{warehouse} has no tables in schema {MARTS_SCHEMA!r}: nothing to publish")
        counts = {}
        for name in creation_order(tables, keys):
            _copy_table(con, name, keys.get(name, TableKeys()))
            con.execute(f"copy published.main.{_ident(name)} to '{_sql_path(parquet / (name + '.parquet'))}' "
                        "(format parquet)")
            counts[name] = con.execute(f"select count(*) from published.main.{_ident(name)}").fetchone()[0]
        counts = dict(sorted(counts.items()))
        published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        con.execute("create table published.main._publication (build_id varchar, published_at timestamp, "
                    "source_warehouse varchar, row_counts varchar)")
        con.execute("insert into published.main._publication values (?, ?, ?, ?)",
                    [build_id, published_at, str(warehouse), json.dumps(counts)])
        _comment(con, "_publication", PUBLICATION_COMMENTS)
        con.execute("detach source")
        con.execute("checkpoint published")  # the file is whole before its folder is renamed into place
        con.execute("detach published")
    finally:
        con.close()
    (folder / PUBLICATION_FILE).write_text(json.dumps(
        {"build_id": build_id, "published_at": published_at.isoformat(), "source_warehouse": str(warehouse),
         "row_counts": counts}, ensure_ascii=False, indent=2))
    return counts


def _copy_table(con: duckdb.DuckDBPyConnection, name: str, keys: TableKeys) -> None:
    """The source table's columns, types and comments, with its keys; then its rows."""
    columns = con.execute(
        "select column_name, data_type, is_nullable, comment from duckdb_columns() "
        "where database_name = 'source' and schema_name = ? and table_name = ? order by column_index",
        [MARTS_SCHEMA, name]).fetchall()
    definitions = [f"{_ident(column)} {data_type}{'' if nullable else ' not null'}"
                   for column, data_type, nullable, _ in columns]
    if keys.primary_key:
        definitions.append(f"primary key ({_ident(keys.primary_key)})")
    definitions += [f"foreign key ({_ident(fk.column)}) references {_ident(fk.table)} ({_ident(fk.table_column)})"
                    for fk in keys.foreign_keys]
    con.execute(f"create table published.main.{_ident(name)} ({', '.join(definitions)})")
    con.execute(f"insert into published.main.{_ident(name)} select * from source.{MARTS_SCHEMA}.{_ident(name)}")
    (table_comment,) = con.execute(
        "select comment from duckdb_tables() where database_name = 'source' and schema_name = ? "
        "and table_name = ?", [MARTS_SCHEMA, name]).fetchone()
    _comment(con, name, {"": table_comment, **{column: comment for column, _, _, comment in columns}})


def _comment(con: duckdb.DuckDBPyConnection, table: str, comments: Mapping[str, str | None]) -> None:
    """COMMENT ON the table (key "") and its columns; comments that are empty are left out."""
    for column, text in comments.items():
        text = (text or "").strip()  # a folded YAML description ends with a newline
        if text:
            target = f"table published.main.{_ident(table)}" if not column else \
                f"column published.main.{_ident(table)}.{_ident(column)}"
            con.execute(f"comment on {target} is '{text.replace(chr(39), chr(39) * 2)}'")


def _ident(name: str) -> str:
    """A catalog name quoted as an identifier."""
    return '"' + name.replace('"', '""') + '"'


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
