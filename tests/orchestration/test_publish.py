"""The published read-only copy of the marts: atomic replacement, readers never disturbed or misled."""

from __future__ import annotations

import json
import multiprocessing as mp
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publish import publish_marts


def make_warehouse(path: Path, rows: int, tag: str) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create or replace table marts.fct_example as select range as id, ? as tag from range(?)", [tag, rows])
    con.execute("create or replace table marts.dim_example as select ? as tag, ? as n", [tag, rows])
    con.close()


def read_build(database: Path) -> tuple[str, int, str]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(
            "select (select build_id from _publication), (select count(*) from fct_example), "
            "(select tag from dim_example)"
        ).fetchone()
    finally:
        con.close()


def test_publication_has_every_mart_as_duckdb_and_parquet(tmp_path):
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "published"
    make_warehouse(warehouse, 10, "a")
    pub = publish_marts(warehouse, target, build_id="b1")
    assert pub.row_counts == {"dim_example": 1, "fct_example": 10}
    assert read_build(target / "marts.duckdb") == ("b1", 10, "a")
    assert duckdb.connect().execute(f"select count(*) from '{target}/parquet/fct_example.parquet'").fetchone() == (10,)
    assert not list((target / "builds").glob(".partial-*"))


def test_a_reader_holding_the_old_copy_is_not_disturbed(tmp_path):
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "published"
    make_warehouse(warehouse, 10, "old")
    publish_marts(warehouse, target, build_id="b1")
    held = duckdb.connect(str(target / "marts.duckdb"), read_only=True)
    assert held.execute("select count(*) from fct_example").fetchone() == (10,)
    make_warehouse(warehouse, 25, "new")
    publish_marts(warehouse, target, build_id="b2")
    assert held.execute("select count(*), min(tag) from fct_example").fetchone() == (10, "old")
    held.close()
    assert read_build(target / "marts.duckdb") == ("b2", 25, "new")


def test_a_failed_publication_leaves_the_previous_one(tmp_path):
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "published"
    make_warehouse(warehouse, 10, "good")
    publish_marts(warehouse, target, build_id="b1")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish_marts(empty, target, build_id="b2")
    assert read_build(target / "marts.duckdb") == ("b1", 10, "good")
    assert not list((target / "builds").glob(".partial-*"))


def _reader(database: str, seconds: float, queue) -> None:
    seen, failures, deadline = [], [], time.monotonic() + seconds
    while time.monotonic() < deadline and len(seen) < 5000:
        try:
            seen.append(read_build(Path(database)))
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the test
            failures.append(repr(exc))
    queue.put((seen, failures))


def test_readers_in_other_processes_see_old_or_new_never_a_mixture(tmp_path):
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "published"
    make_warehouse(warehouse, 1, "build-0")
    publish_marts(warehouse, target, build_id="build-0")
    published = {("build-0", 1, "build-0")}
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    readers = [ctx.Process(target=_reader, args=(str(target / "marts.duckdb"), 8.0, queue)) for _ in range(2)]
    for r in readers:
        r.start()
    time.sleep(1.5)
    for i in range(1, 8):
        make_warehouse(warehouse, i * 100, f"build-{i}")
        publish_marts(warehouse, target, build_id=f"build-{i}")
        published.add((f"build-{i}", i * 100, f"build-{i}"))
    results = [queue.get(timeout=60) for _ in readers]
    for r in readers:
        r.join(timeout=30)
    seen = [s for reader_seen, _ in results for s in reader_seen]
    failures = [f for _, reader_failures in results for f in reader_failures]
    assert not failures
    assert len(seen) > 20
    assert set(seen) <= published  # each query saw one whole build
    assert len({s[0] for s in seen}) >= 2  # and the readers really lived through the rebuilds


def test_leftovers_of_a_killed_publication_and_old_builds_are_removed(tmp_path):
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "published"
    make_warehouse(warehouse, 3, "a")
    publish_marts(warehouse, target, build_id="b1")
    (target / "builds" / ".partial-dead").mkdir()  # what a publication killed while writing leaves
    (target / ".current-0badc0de").symlink_to("builds/nowhere")
    for i in range(2, 6):
        publish_marts(warehouse, target, build_id=f"b{i}")
    assert sorted(p.name for p in (target / "builds").iterdir()) == ["b4", "b5"]
    assert sorted(p.name for p in target.iterdir()) == [
        "builds", "current", "marts.duckdb", "parquet", "publication.json"]
    assert read_build(target / "marts.duckdb") == ("b5", 3, "a")
    assert json.loads((target / "publication.json").read_text())["build_id"] == "b5"


def test_a_publish_folder_of_the_earlier_layout_is_taken_over(tmp_path):
    warehouse, target = tmp_path / "w.duckdb", tmp_path / "published"
    make_warehouse(warehouse, 4, "new")
    target.mkdir()
    duckdb.connect(str(target / "marts.duckdb")).close()  # a plain file and a parquet-<id> folder
    (target / "parquet-old").mkdir()
    (target / "parquet").symlink_to("parquet-old")
    (target / "publication.json").write_text("{}")
    publish_marts(warehouse, target, build_id="b1")
    assert read_build(target / "marts.duckdb") == ("b1", 4, "new")
    assert not (target / "parquet-old").exists()
    assert (target / "parquet").resolve() == (target / "builds" / "b1" / "parquet").resolve()
