"""Scale: generated text documents through the extraction folder and the bulk ingest, then the whole pipeline.

For each corpus size N (default 200 and 1,000; ``--sizes 200 1000 10000``):

* library stages, no Dagster, two processes per the machine's cores:
  - extract: every document read and parsed in memory (`extract.parallel.extract_many`);
  - write: their extracts written into an empty extraction folder (`extract.extracts.write_extract`);
  - ingest: the folder ingested into a fresh warehouse in one transaction (`extract.load.ingest`, with the
    files hashed by `identify`); ``ingest again``: the same files once more (nothing new, nothing written);
  - re-extract: `extract_to_folder` over the unchanged files (hashed only, nothing written);
  - per-doc load: the same documents loaded one transaction each by the loader before the extraction folder
    (``extract/load.py`` at ``BEFORE``, read from git), for the comparison; skipped above ``--old-load-max``;
* the whole pipeline (`python -m orchestration.run`'s `run_pipeline` in a fresh process, ephemeral
  instance): wall time, the extraction steps, the ingest step, dbt, the gates, publication, and the rest
  (orchestration: process start, definitions, planning, Dagster's events and per-partition materializations).

    nice .venv/bin/python bench/bench_scale.py [--sizes 200 1000] [--skip-pipeline]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "d983a98"  # the last commit with one load transaction per document
STAGES = {"extract steps": ("document_extracts",), "ingest step": ("raw_tables",), "dbt": ("dbt_",),
          "checks": ("gx_",), "publish": ("published_marts",)}
sys.path.insert(0, str(ROOT))


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def old_loader():
    """`extract.load` as it was before the extraction folder (one transaction per document)."""
    source = subprocess.run(["git", "show", f"{BEFORE}:extract/load.py"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "load_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("load_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def library_stages(documents: Path, work: Path, old_load_max: int) -> dict[str, float]:
    from extract.extracts import write_extract
    from extract.load import ingest
    from extract.parallel import extract_many, extract_to_folder, identify
    from extract.reader import document_paths
    from extract.warehouse import writer

    paths = document_paths([documents])
    extracts, out = work / "extracts", {}
    docs, out["extract"] = timed(lambda: extract_many(paths))
    _, out["write"] = timed(lambda: [write_extract(doc, extracts) for doc in docs])

    def bulk(warehouse: Path):
        files = identify(paths)
        with writer(warehouse) as con:
            from extract.load import ensure_schema

            ensure_schema(con)
            return ingest(con, extracts, files)

    report, out["ingest"] = timed(lambda: bulk(work / "bulk.duckdb"))
    assert len(report.loaded) + len(report.rejected) + len(report.aliased) == len(paths), report.summary()
    again, out["ingest again"] = timed(lambda: bulk(work / "bulk.duckdb"))
    assert len(again.unchanged) == len(paths), again.summary()
    _, out["re-extract"] = timed(lambda: extract_to_folder(paths, extracts))
    if len(paths) <= old_load_max:
        before = old_loader()
        _, out["per-doc load"] = timed(lambda: before.load_documents(work / "old.duckdb", docs))
    return out


def child(documents: str, work: str) -> None:
    """The whole pipeline in this process; its timings as one JSON line."""
    started = time.perf_counter()
    os.environ.update(BUDGET_DOCUMENTS=documents, BUDGET_WAREHOUSE=f"{work}/budget.duckdb",
                      BUDGET_EXTRACTS=f"{work}/extracts", BUDGET_PUBLISH_DIR=f"{work}/published",
                      BUDGET_QUALITY_DOCS=f"{work}/quality_docs")
    from dagster import DagsterInstance

    from orchestration.run import run_pipeline

    with DagsterInstance.ephemeral() as instance:
        report = run_pipeline(instance, echo=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps({"total": time.perf_counter() - started, "steps": report.progress.step_seconds,
                      "failed_documents": len(report.failed_documents), "failed_steps": list(report.progress.failed_steps),
                      "phases": report.stage_seconds}))


def pipeline(documents: Path, work: Path, verbose: bool) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(documents), str(work)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=None if verbose else subprocess.DEVNULL, text=True)
    if done.returncode != 0:
        raise SystemExit("the pipeline process failed (rerun with --verbose)")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    out = {"total": time.perf_counter() - started}
    for stage, prefixes in STAGES.items():
        out[stage] = sum(s for step, s in result["steps"].items() if step.startswith(prefixes))
    out["orchestration"] = out["total"] - sum(out[stage] for stage in STAGES)
    out["failed"] = result["failed_documents"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000], help="corpus sizes")
    parser.add_argument("--old-load-max", type=int, default=1000, help="largest corpus for the per-document load")
    parser.add_argument("--skip-pipeline", action="store_true", help="library stages only")
    parser.add_argument("--verbose", action="store_true", help="show the pipeline's progress lines")
    parser.add_argument("--child", nargs=2, metavar=("DOCUMENTS", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    from bench.corpus import generate_corpus

    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            generate_corpus(work / "documents", n)
            library = library_stages(work / "documents", work / "library", args.old_load_max)
            line = ", ".join(f"{k} {v:.1f} s" for k, v in library.items())
            print(f"n={n} library: {line}; extract+write {n / (library['extract'] + library['write']):.0f} docs/s, "
                  f"ingest {n / library['ingest']:.0f} docs/s", flush=True)
            if "per-doc load" in library:
                print(f"n={n} bulk ingest {library['ingest']:.1f} s vs per-document load "
                      f"{library['per-doc load']:.1f} s: {library['per-doc load'] / library['ingest']:.1f}x", flush=True)
            if not args.skip_pipeline:
                run = pipeline(work / "documents", work / "pipeline", args.verbose)
                line = ", ".join(f"{k} {v:.1f} s" for k, v in run.items() if k != "failed")
                print(f"n={n} pipeline: {line}; {n / run['total']:.1f} docs/s end to end, orchestration "
                      f"{run['orchestration'] / run['total']:.0%}, {run['failed']} failed documents", flush=True)


if __name__ == "__main__":
    main()
