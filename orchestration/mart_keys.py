"""The marts' primary and foreign keys as their dbt tests state them, for the published copy.

DuckDB enforces declared keys, and dbt-duckdb must drop and rebuild every table whose foreign key points at
a table it replaces; so the warehouse declares none and dbt tests check them instead. A column with both
`unique` and `not_null` is its model's primary key; a `relationships` test to another mart's primary key is
a foreign key. The published copy is written once and read by BI tools that draw joins from declared keys,
so it declares them. A dimension's reference to a fact (`dim_project.latest_project_id`) is left out: it
would make a cycle, and a foreign key must point at a table created before it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

_REF = re.compile(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""")
# Kimball layers in the order they may reference each other: a fact refers to dimensions, a report to both.
_LAYER_RANK = {"dim": 0, "fct": 1, "rpt": 2}


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    table_column: str


@dataclass(frozen=True)
class TableKeys:
    primary_key: str | None = None
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)


def mart_keys(manifest: Mapping[str, Any], schema: str = "marts") -> dict[str, TableKeys]:
    """Keys of every model in `schema`, by table name, from the manifest's generic tests."""
    models = {uid: node for uid, node in manifest["nodes"].items()
              if node["resource_type"] == "model" and node["schema"] == schema}
    names = {uid: node.get("alias") or node["name"] for uid, node in models.items()}
    column_tests: dict[tuple[str, str], set[str]] = defaultdict(set)
    references: list[tuple[str, str, str, str]] = []  # table, column, referenced table, referenced column
    for test in manifest["nodes"].values():
        meta = test.get("test_metadata") or {}
        table = names.get(test.get("attached_node") or "")
        if test["resource_type"] != "test" or not table or not test.get("column_name") \
                or (test.get("config") or {}).get("where"):
            continue
        if meta.get("name") in ("unique", "not_null"):
            column_tests[(table, test["column_name"])].add(meta["name"])
        elif meta.get("name") == "relationships":
            kwargs = meta.get("kwargs") or {}
            ref = _REF.search(str(kwargs.get("to", "")))
            if ref and ref.group(1) in names.values():
                references.append((table, test["column_name"], ref.group(1), kwargs.get("field", "")))
    primary = {}
    for uid, table in names.items():
        for column in models[uid].get("columns") or {}:
            if column_tests.get((table, column)) == {"unique", "not_null"}:
                primary.setdefault(table, column)
    foreign: dict[str, list[ForeignKey]] = defaultdict(list)
    for table, column, target, target_column in sorted(references):
        if target != table and primary.get(target) == target_column and _rank(target) <= _rank(table):
            foreign[table].append(ForeignKey(column, target, target_column))
    return {table: TableKeys(primary.get(table), tuple(foreign[table])) for table in sorted(names.values())}


def creation_order(tables: list[str], keys: Mapping[str, TableKeys]) -> list[str]:
    """`tables` with each one after the tables its foreign keys reference (the same order every time)."""
    graph = {t: sorted({fk.table for fk in keys.get(t, TableKeys()).foreign_keys if fk.table in tables})
             for t in sorted(tables)}
    return list(TopologicalSorter(graph).static_order())


def _rank(table: str) -> int:
    return _LAYER_RANK.get(table.split("_", 1)[0], len(_LAYER_RANK))
