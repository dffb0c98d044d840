"""Crash safety and BI readers during a rebuild, with the real pipeline (`python -m orchestration.run`).

The pipeline runs in its own process group, as a scheduler would start it, with a persistent Dagster
instance. A failpoint (`extract.failpoints`) stops it at an exact place and the test SIGKILLs the whole
group there (dbt and extraction workers included), then runs the pipeline again:

* the re-run's warehouse (`raw` and `marts`, every row) and published copy equal those of one uninterrupted
  run over the same documents: nothing duplicated, nothing missing;
* right after the kill, the documents committed before it are whole and the previous publication is
  still the one readers get;
* while a rebuild over changed documents is killed and run again, reader processes query the published
  marts in a loop: every query succeeds and sees the old build or the new one, never a mixture.

About seven pipeline runs: several minutes. `-m "not slow"` leaves them out.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from extract.failpoints import ARMED, SIGNAL
from orchestration.publish import current_build

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
# When and from where (each test has its own folders) a document was loaded: the only columns that differ
# between two installations loading the same documents.
VOLATILE = {"loaded_at", "source_path"}
RUN_SECONDS = 900
KILL_WAIT_SECONDS = 600
MARTS = ("fct_project_budget", "fct_indicator_target", "dim_document", "rpt_unit_year_summary")


@dataclass
class Site:
    """One installation: documents folder, warehouse, publish folder and Dagster home under `root`."""

    root: Path

    def __post_init__(self) -> None:
        self.documents, self.home = self.root / "documents", self.root / "dagster_home"
        self.warehouse, self.published = self.root / "warehouse" / "budget.duckdb", self.root / "published"
        self.signal, self.runs = self.root / "failpoint.signal", 0

    def environment(self, failpoint: str | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in (ARMED, SIGNAL)}
        env.update(BUDGET_DOCUMENTS=str(self.documents), BUDGET_WAREHOUSE=str(self.warehouse),
                   BUDGET_PUBLISH_DIR=str(self.published), DAGSTER_HOME=str(self.home),
                   BUDGET_QUALITY_DOCS=str(self.root / "quality_docs"),
                   BUDGET_DBT_DOCS="0")  # no test here is about the docs page: 20–30 s less per run
        if failpoint:
            env.update({ARMED: failpoint, SIGNAL: str(self.signal)})
        return env

    def start(self, failpoint: str | None = None) -> tuple[subprocess.Popen, Path]:
        self.runs += 1
        log = self.root / f"run-{self.runs}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "orchestration.run"], cwd=ROOT, env=self.environment(failpoint),
            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        return process, log

    def run(self) -> str:
        process, log = self.start()
        assert process.wait(timeout=RUN_SECONDS) == 0, log.read_text()[-3000:]
        return log.read_text()

    def run_until_killed(self, failpoint: str) -> str:
        """Start the pipeline with `failpoint` armed; SIGKILL its process group once it gets there."""
        self.signal.unlink(missing_ok=True)
        process, log = self.start(failpoint)
        deadline = time.monotonic() + KILL_WAIT_SECONDS
        while not self.signal.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                pytest.fail(f"the pipeline never reached {failpoint}:\n{log.read_text()[-3000:]}")
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGKILL)
        assert process.wait(timeout=60) == -signal.SIGKILL
        for _ in range(500):  # the group's other processes (dbt, extraction workers) are gone too
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.01)
        else:
            pytest.fail("processes of the killed pipeline are still alive")
        return self.signal.read_text()


def documents(folder: Path, changed: bool) -> Path:
    """The sample documents; `changed`: without 004 and with one amount of 002 altered (an older version)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SAMPLE, folder)
    if changed:
        (folder / "004_df1d7dc7c09f411b.txt").unlink()
        path = folder / "002_9b46f816c8349047.txt"
        text = path.read_text(encoding="utf-8")
        altered = re.sub(r"(?<=\s)(\d+)\.(\d\d)(?=\s)", lambda m: f"{int(m[1]) + 1}.{m[2]}", text, count=1)
        assert altered != text
        path.write_text(altered, encoding="utf-8")
    return folder


def tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = ? and database_name = current_database() "
        "order by 1", [schema]).fetchall()]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection, relation: str) -> Table:
        described = con.execute(f"select * from {relation} limit 0").description
        columns = [d[0] for d in described if d[0] not in VOLATILE]
        select = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        return cls(tuple(columns), tuple(con.execute(f"select {select} from {relation} order by all").fetchall()))

    def column(self, name: str) -> list:
        at = self.columns.index(name)
        return [row[at] for row in self.rows]

    def of_documents(self, ids: set[str]) -> Table:
        at = self.columns.index("document_id")
        return Table(self.columns, tuple(row for row in self.rows if row[at] in ids))


State = dict[str, Table]


def warehouse_state(site: Site) -> State:
    """Every row of every `raw` and `marts` table (the load time left out)."""
    con = duckdb.connect(str(site.warehouse), read_only=True)
    try:
        return {f"{schema}.{t}": Table.read(con, f"{schema}.{t}") for schema in ("raw", "marts")
                for t in tables(con, schema)}
    finally:
        con.close()


def published_state(site: Site) -> State:
    """The published DuckDB copy's marts; the Parquet files beside it must hold the same rows."""
    con = duckdb.connect(str(site.published / "marts.duckdb"), read_only=True)
    try:
        state = {f"marts.{t}": Table.read(con, t) for t in tables(con, "main") if t != "_publication"}
        for name, table in state.items():
            parquet = site.published / "parquet" / f"{name.removeprefix('marts.')}.parquet"
            assert Table.read(con, f"read_parquet('{parquet}')") == table, f"{parquet} differs from the DuckDB copy"
        return state
    finally:
        con.close()


def layer(state: State, schema: str) -> State:
    return {name: table for name, table in state.items() if name.startswith(f"{schema}.")}


def document_names(state: State) -> list[str]:
    return sorted(state["raw.documents"].column("document_name")) if "raw.documents" in state else []


def raw_of(state: State, names: list[str]) -> State:
    """The `raw` rows of the documents called `names`."""
    documents_table = state["raw.documents"]
    ids = {i for i, name in zip(documents_table.column("document_id"), documents_table.column("document_name"),
                                 strict=True) if name in names}
    return {name: table.of_documents(ids) for name, table in layer(state, "raw").items()}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory) -> State:
    """The warehouse of one uninterrupted run over the sample documents."""
    site = Site(tmp_path_factory.mktemp("uninterrupted"))
    documents(site.documents, changed=False)
    site.run()
    state = warehouse_state(site)
    assert layer(state, "marts") == published_state(site)
    assert len(state["raw.documents"].rows) == 4 and len(state["marts.fct_project_budget"].rows) == 90
    return state


ALL = sorted(p.name for p in SAMPLE.glob("*.txt"))
KILL_POINTS = {  # failpoint: the documents whole in raw right after the kill (the others not there at all)
    "extract.document@1": [],
    "extract.write@2": [],  # one extract renamed into place, the next one's files written, not renamed
    "ingest.transaction@1": [],  # every row of the run inserted, the one transaction not committed
    "dbt.staging@3": ALL,
    "dbt.marts@3": ALL,
    "publish.swap@1": ALL,
}


@pytest.mark.parametrize("failpoint", list(KILL_POINTS))
def test_a_run_killed_part_way_then_run_again_equals_an_uninterrupted_run(failpoint, tmp_path, uninterrupted):
    site = Site(tmp_path)
    documents(site.documents, changed=False)
    site.run_until_killed(failpoint)

    killed = warehouse_state(site) if site.warehouse.exists() else {}
    whole = KILL_POINTS[failpoint]
    assert document_names(killed) == whole
    if whole:
        assert layer(killed, "raw") == raw_of(uninterrupted, whole)
    if failpoint.startswith("dbt.marts"):  # killed inside the layer: some marts built, not all
        assert 0 < len(layer(killed, "marts")) < len(layer(uninterrupted, "marts"))
    assert current_build(site.published) is None  # nothing was published before: nothing is now

    site.run()
    assert warehouse_state(site) == uninterrupted
    assert published_state(site) == layer(uninterrupted, "marts")


def database_view(database: Path) -> tuple:
    """What one read-only connection to a published DuckDB file sees: its build id, the row counts of a few
    marts and the money in fct_project_budget (the counts checked against `_publication`'s)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        build, counts = con.execute("select build_id, row_counts from _publication").fetchone()
        seen = con.execute(
            "select " + ", ".join(f"(select count(*) from {t})" for t in MARTS)
            + ", (select sum(total_amount) from fct_project_budget)").fetchone()
    finally:
        con.close()
    if tuple(json.loads(counts)[t] for t in MARTS) != seen[:-1]:
        raise AssertionError(f"build {build}: _publication's row counts differ from the tables'")
    return build, seen


def parquet_view(parquet: Path) -> tuple:
    return duckdb.connect().execute(
        "select count(*), sum(total_amount) from read_parquet(?)", [str(parquet / "fct_project_budget.parquet")]
    ).fetchone()


def views(folder: Path) -> tuple[tuple, tuple, tuple]:
    """The DuckDB copy and the Parquet files as a BI tool opens them (each through the published links), and
    both from one build (`current` resolved once)."""
    pinned = folder / "builds" / Path(os.readlink(folder / "current")).name
    return (database_view(folder / "marts.duckdb"), parquet_view(folder / "parquet"),
            (database_view(pinned / "marts.duckdb"), parquet_view(pinned / "parquet")))


def _reader(folder: str, stop: str, seconds: float, max_rounds: int, queue) -> None:
    seen, failures, rounds = [Counter(), Counter(), Counter()], [], 0
    deadline = time.monotonic() + seconds
    while rounds < max_rounds and time.monotonic() < deadline and not os.path.exists(stop):
        rounds += 1
        try:
            for counter, view in zip(seen, views(Path(folder)), strict=True):
                counter[view] += 1
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the test
            failures.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.005)  # a busy dashboard, not a tight loop starving the pipeline of both cores
    queue.put(([dict(c) for c in seen], failures[:10], len(failures), rounds))


READERS = 2
READER_SECONDS = 600.0
READER_MAX_ROUNDS = 50_000  # each round: 4 queries (2 DuckDB connections, 2 Parquet reads)


def test_readers_see_old_or_new_build_while_a_rebuild_is_killed_and_run_again(tmp_path, uninterrupted):
    site = Site(tmp_path)
    documents(site.documents, changed=True)  # an older version of 002, no 004 yet
    site.run()
    old_state, old = warehouse_state(site), views(site.published)[2]
    documents(site.documents, changed=False)  # 002 changed, 004 new: the rebuild replaces and adds

    ctx = mp.get_context("spawn")
    queue, stop = ctx.Queue(), tmp_path / "stop-readers"
    readers = [ctx.Process(target=_reader, args=(str(site.published), str(stop), READER_SECONDS,
                                                 READER_MAX_ROUNDS, queue)) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    try:
        # Killed while ingesting (002 replaced, 004 added, 000 and 001 unchanged): the old rows are all there.
        site.run_until_killed("ingest.transaction@1")
        killed = warehouse_state(site)
        assert layer(killed, "raw") == layer(old_state, "raw")
        assert views(site.published) == (*old, old)

        site.run()
        new = views(site.published)[2]
        time.sleep(1.0)  # the readers query the new build for a moment
    finally:
        stop.touch()
        results = [queue.get(timeout=120) for _ in readers]
        for reader in readers:
            reader.join(timeout=60)

    assert warehouse_state(site) == uninterrupted  # the rebuild ends where a fresh run does
    assert published_state(site) == layer(uninterrupted, "marts")
    database, parquet, pinned = Counter(), Counter(), Counter()
    for reader_seen, _, _, _ in results:
        for total, part in zip((database, parquet, pinned), reader_seen, strict=True):
            total.update(part)
    failures = [f for _, reader_failures, _, _ in results for f in reader_failures]
    rounds = sum(r for *_, r in results)
    print(f"\n{4 * rounds} queries ({rounds} rounds) by {READERS} readers during the rebuild; DuckDB copy: "
          + ", ".join(f"{view[0]} ×{n}" for view, n in database.items()))
    assert not failures, failures
    # every DuckDB connection and every Parquet read saw one whole build, the old or the new one
    assert set(database) <= {old[0], new[0]} and set(parquet) <= {old[1], new[1]}
    assert set(pinned) <= {old, new}  # and a build's DuckDB copy and Parquet files agree
    assert database[old[0]] and database[new[0]]  # the readers lived through the switch
    assert old != new
