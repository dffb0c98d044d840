"""End-to-end wall time of the orchestrated pipeline, split by stage, on the sample and a generated corpus.

Each corpus runs in a fresh process, as `python -m orchestration.run` does: load the definitions, extract
and load every document, then the warehouse build (dbt layers, dbt tests, Great Expectations gates), on
an ephemeral Dagster instance and a temporary warehouse. The stages:

* extract  – the same documents extracted (in parallel processes) and loaded into a fresh warehouse by
  plain `extract` calls, timed apart: the work of the `raw_tables` steps without Dagster around it;
* dbt      – the `dbt_*` steps (`dbt build` of each layer, dbt tests included);
* checks   – the `gx_*` steps (the Great Expectations gates);
* publish  – the `published_marts` step (the read-only copy of the marts for BI tools);
* orchestration – the rest of the wall time: process start, loading the definitions (Dagster, the dbt
  manifest, the GX suites), planning runs, and Dagster's events and storage, including the
  per-partition materializations recorded inside the `raw_tables` steps.

    .venv/bin/python bench/bench_pipeline.py [--documents 200]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
STAGES = {"dbt": ("dbt_",), "checks": ("gx_",), "publish": ("published_marts",)}


def child(documents: str, warehouse: str) -> None:
    """Run the whole graph in this process and print its timings as one JSON line."""
    started = time.perf_counter()
    os.environ["BUDGET_DOCUMENTS"], os.environ["BUDGET_WAREHOUSE"] = documents, warehouse
    os.environ["BUDGET_PUBLISH_DIR"] = str(Path(warehouse).with_name("published"))
    os.environ["BUDGET_QUALITY_DOCS"] = str(Path(warehouse).with_name("quality_docs"))
    sys.path.insert(0, str(ROOT))
    from dagster import DagsterInstance

    import orchestration.definitions  # noqa: F401  (timed apart: Dagster, the dbt manifest, the GX suites)
    from orchestration.run import run_pipeline

    imported = time.perf_counter() - started
    with DagsterInstance.ephemeral() as instance:
        report = run_pipeline(instance, echo=lambda line: print(line, file=sys.stderr, flush=True))
    from extract.load import load_documents
    from extract.parallel import extract_many
    from extract.reader import document_paths

    started = time.perf_counter()
    load_documents(Path(warehouse).with_name("plain.duckdb"), extract_many(document_paths([documents])))
    plain_extract = time.perf_counter() - started
    print(json.dumps({
        "documents": len(report.documents), "failed_documents": len(report.failed_documents),
        "blocking_failures": len(report.progress.blocking_failures), "import_seconds": imported,
        "steps": report.progress.step_seconds, "failed_steps": list(report.progress.failed_steps),
        "phases": report.stage_seconds, "plain_extract": plain_extract,
    }))


def measure(label: str, documents: Path, work: Path, verbose: bool) -> dict:
    warehouse = work / "budget.duckdb"
    started = time.perf_counter()
    done = subprocess.run(  # the plain extract+load after the pipeline is taken off the total below
        [sys.executable, __file__, "--child", str(documents), str(warehouse)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=None if verbose else subprocess.DEVNULL, text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{label}: the pipeline process failed (rerun with --verbose)")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    total = time.perf_counter() - started - result["plain_extract"]
    split = {stage: sum(s for step, s in result["steps"].items() if step.startswith(prefixes))
             for stage, prefixes in STAGES.items()}
    split["extract"] = result["plain_extract"]
    return {"label": label, "total": total, **split, "orchestration": total - sum(split.values()), **result}


def table(rows: list[dict]) -> str:
    head = (f"{'corpus':<24}{'docs':>5}{'total s':>9}{'extract':>9}{'dbt':>7}{'checks':>8}{'publish':>9}"
            f"{'orchestr.':>11}{'share':>7}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['label']:<24}{r['documents']:>5}{r['total']:>9.1f}{r['extract']:>9.1f}{r['dbt']:>7.1f}"
                     f"{r['checks']:>8.1f}{r['publish']:>9.1f}{r['orchestration']:>11.1f}"
                     f"{r['orchestration'] / r['total']:>7.0%}")
    return "\n".join(lines)


def generated_corpus(folder: Path, n: int) -> Path:
    try:
        sys.path.insert(0, str(ROOT))
        from bench.corpus import generate_corpus
    except ImportError:  # no generator: copies of the sample, each made unique by trailing blank lines
        folder.mkdir(parents=True)
        samples = sorted(p for p in SAMPLE.iterdir() if p.name != "manifest.csv")
        for i in range(n):
            source = samples[i % len(samples)]
            (folder / f"{i:04d}_{source.name}").write_bytes(source.read_bytes() + b"\n" * (i // len(samples)))
        return folder
    generate_corpus(folder, n)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200, help="size of the generated corpus")
    parser.add_argument("--verbose", action="store_true", help="show the pipeline's progress lines")
    parser.add_argument("--child", nargs=2, metavar=("DOCUMENTS", "WAREHOUSE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = shutil.copytree(SAMPLE, work / "sample_docs")
        rows = [measure("sample (data/sample)", sample, work / "sample", args.verbose)]
        corpus = generated_corpus(work / "corpus_docs", args.documents)
        rows.append(measure(f"generated (n={args.documents})", corpus, work / "corpus", args.verbose))
    print(table(rows))
    for r in rows:
        steps = ", ".join(f"{k} {v:.1f}" for k, v in r["steps"].items())
        print(f"\n{r['label']}: imports and definitions {r['import_seconds']:.1f} s; phases "
              + ", ".join(f"{k} {v:.1f} s" for k, v in r["phases"].items()) + f"\n  steps (s): {steps}")
        if r["failed_documents"] or r["blocking_failures"] or r["failed_steps"]:
            print(f"  failed documents {r['failed_documents']}, blocking check failures "
                  f"{r['blocking_failures']}, failed steps {r['failed_steps']}")


if __name__ == "__main__":
    main()
