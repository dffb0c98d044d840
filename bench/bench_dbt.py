"""``dbt build`` time on the sample corpus and on a generated corpus (bench/corpus.py), with rows per mart.

    .venv/bin/python bench/bench_dbt.py [--documents 200] [--threads 2]

For each corpus: extract and load into a fresh DuckDB warehouse (not timed here; see bench_extract.py),
`dbt parse` once, then `dbt build` (seeds, models, data tests, unit tests) timed by the wall clock and by
dbt's own run_results.json; then rows per mart and the target parser's coverage. dbt writes its target and
logs into a temporary folder, so dbt_project/target (the manifest Dagster reads) is left alone.

Incremental builds: every model is a view (staging) or a table (intermediate, marts) rebuilt from `raw` on
each build; with a few hundred documents a full build takes seconds, so there is no incremental state to
go stale. Per-document incrementality would come from the raw layer's document_id (the sha256 of the file;
a changed file is a new document_id, and the loader deletes the old one's rows): the per-row models
(stg views, int_indicator_targets_parsed, int_indicators_categorized, fct_project_budget,
fct_indicator_target) would become `incremental` with `unique_key` on their row ids, selecting only
`document_id`s loaded after the target's max(loaded_at), plus a pre-hook deleting rows whose document_id
is no longer in raw.documents. The cross-document models (int_projects_matched, the dimensions and the
rpt_ models) compare all years with each other and would stay full rebuilds; they are the cheap part.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate_corpus  # noqa: E402
from extract.load import load_documents  # noqa: E402
from extract.parallel import extract_many  # noqa: E402
from extract.reader import document_paths  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")


def dbt(command: list[str], warehouse: Path, work: Path, threads: int) -> tuple[subprocess.CompletedProcess, float]:
    start = time.perf_counter()
    run = subprocess.run(
        [str(DBT), *command, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--threads", str(threads)],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False,
    )
    return run, time.perf_counter() - start


def load(folder: Path, warehouse: Path) -> int:
    paths = document_paths([folder])
    report = load_documents(warehouse, extract_many(paths, workers=2))
    if report.failed:
        raise SystemExit(f"load failed: {report.failed}")
    return len(paths)


def mart_rows(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}


def parser_coverage(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select target_kind, count(*), count(distinct target_text) "
            "from intermediate.int_indicator_targets_parsed group by 1 order by 2 desc").fetchall()
    total, distinct = sum(r[1] for r in rows), sum(r[2] for r in rows)
    typed = sum(r[1] for r in rows if r[0] != "unparsed")
    kinds = ", ".join(f"{kind} {n}" for kind, n, _ in rows)
    return (f"parser: {typed}/{total} target values typed ({typed / total:.1%}); {kinds}; "
            f"{distinct} distinct texts")


def bench(label: str, folder: Path, work: Path, threads: int) -> None:
    work.mkdir(parents=True)
    warehouse = work / "budget.duckdb"
    documents = load(folder, warehouse)
    parsed, parse_seconds = dbt(["parse"], warehouse, work, threads)
    if parsed.returncode != 0:
        raise SystemExit(parsed.stdout[-2000:])
    built, seconds = dbt(["build"], warehouse, work, threads)
    if built.returncode != 0:
        raise SystemExit(f"dbt build failed on {label}:\n{built.stdout[-3000:]}")
    results = json.loads((work / "target" / "run_results.json").read_text())
    statuses: dict[str, int] = {}
    for result in results["results"]:
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    print(f"\n{label}: {documents} documents")
    print(f"  dbt parse {parse_seconds:6.2f} s; dbt build {seconds:6.2f} s wall, "
          f"{results['elapsed_time']:6.2f} s in dbt ({len(results['results'])} nodes: "
          + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) + ")")
    for table, rows in mart_rows(warehouse).items():
        print(f"  {table:<34} {rows:>8} rows")
    print(f"  {parser_coverage(warehouse)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200, help="size of the generated corpus")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench("sample (data/sample)", SAMPLE, work / "sample", args.threads)
        generate_corpus(work / "corpus_docs", args.documents)
        bench(f"generated (bench/corpus.py, n={args.documents})", work / "corpus_docs", work / "corpus", args.threads)


if __name__ == "__main__":
    main()
