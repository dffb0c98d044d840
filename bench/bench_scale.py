"""Scale: generated documents through the extraction folder and the bulk ingest, then the whole pipeline.

Text exports (``--sizes``, default 200 and 1,000 documents; ``--sizes 200 1000 10000`` for the full run)
made by `bench.corpus`, and PDFs (``--pdf-pages``, e.g. ``100 1000``): that many pages, in documents the
text corpus's variants printed by reportlab's table layout (an independent producer, tests/producers).

For each corpus:

* library stages, no Dagster:
  - ``extract 1 worker`` / ``extract 2 workers``: every document read and its extract written into an empty
    extraction folder (`extract.parallel.extract_to_folder` with 1 and 2 processes): the speed-up from 1
    to 2 workers;
  - ``ingest``: the folder ingested into a fresh warehouse in one transaction (`extract.load.ingest`, the
    files hashed by `identify`); ``ingest again``: the same files once more (nothing new, nothing written);
  - ``re-extract``: `extract_to_folder` over the unchanged files (hashed only, nothing written);
  - ``per-doc load``: the same documents loaded one transaction each by the loader before the extraction
    folder (``extract/load.py`` at ``BEFORE``, read from git), for comparison; up to ``--old-load-max``;
* the whole pipeline (`orchestration.run.run_pipeline` in a fresh process, on a fresh $DAGSTER_HOME with the
  project's dagster.yaml, as `make run` has it), once per ``--pipeline-workers`` (extraction processes,
  ``BUDGET_EXTRACT_WORKERS``): the extraction steps, the ingest step (the bulk ingest plus Dagster recording
  each document's materializations), dbt, the Great Expectations gates, publication, and the rest
  (orchestration: process start, definitions, planning, runs, Dagster's events outside steps).

Every figure is also printed per document (ms/doc), to see whether a stage's cost per document stays flat
as the corpus grows. A figures table over all corpora closes the output.

    nice .venv/bin/python bench/bench_scale.py [--sizes 200 1000 10000] [--pdf-pages 100 1000]
        [--pipeline-workers 1 2] [--skip-pipeline]
"""

from __future__ import annotations

import argparse
import csv
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


# ---- corpora -------------------------------------------------------------------------------------------

def text_corpus(out: Path, n: int) -> list[Path]:
    from bench.corpus import generate_corpus

    return generate_corpus(out, n)


def pdf_corpus(out: Path, pages: int) -> list[Path]:
    """Generated documents printed by reportlab until they hold at least `pages` pages, with a manifest."""
    import pypdfium2 as pdfium

    from bench.corpus import generate_corpus
    from tests.pdf_render import document_truth
    from tests.producers import reportlab_table
    from tests.producers.layout import variant

    texts = out.parent / f"{out.name}-text"
    layout, paths, total = variant("plain", "reportlab"), [], 0
    out.mkdir(parents=True)
    for text in generate_corpus(texts, pages):  # the text corpus's variants; every document has a page at least
        if total >= pages:
            break
        pdf = out / f"{text.stem}.pdf"
        reportlab_table.render(document_truth(text), layout, pdf)
        total += len(pdfium.PdfDocument(pdf))
        paths.append(pdf)
    with (texts / "manifest.csv").open(encoding="utf-8") as source, \
            (out / "manifest.csv").open("w", encoding="utf-8", newline="") as target:
        rows = [{**row, "file": row["file"].removesuffix(".txt") + ".pdf"} for row in csv.DictReader(source)]
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(row for row in rows if (out / row["file"]).exists())
    print(f"  {len(paths)} PDFs, {total} pages (reportlab)", flush=True)
    return paths


# ---- library stages ------------------------------------------------------------------------------------

def library_stages(documents: Path, work: Path, old_load_max: int) -> dict[str, float]:
    from extract.load import ensure_schema, ingest
    from extract.parallel import extract_many, extract_to_folder, identify
    from extract.reader import document_paths
    from extract.warehouse import writer

    paths = document_paths([documents])
    out = {}
    for workers in (1, 2):
        _, out[f"extract {workers} worker{'s' if workers > 1 else ''}"] = timed(
            lambda workers=workers: extract_to_folder(paths, work / f"extracts{workers}", workers=workers))

    def bulk(warehouse: Path):
        files = identify(paths)
        with writer(warehouse) as con:
            ensure_schema(con)
            return ingest(con, work / "extracts2", files)

    report, out["ingest"] = timed(lambda: bulk(work / "bulk.duckdb"))
    assert len(report.loaded) + len(report.rejected) + len(report.aliased) == len(paths), report.summary()
    again, out["ingest again"] = timed(lambda: bulk(work / "bulk.duckdb"))
    assert len(again.unchanged) == len(paths), again.summary()
    _, out["re-extract"] = timed(lambda: extract_to_folder(paths, work / "extracts2"))
    if len(paths) <= old_load_max:
        before, docs = old_loader(), extract_many(paths)
        _, out["per-doc load"] = timed(lambda: before.load_documents(work / "old.duckdb", docs))
    return out


# ---- the whole pipeline --------------------------------------------------------------------------------

def child(documents: str, work: str) -> None:
    """The whole pipeline in this process, on a fresh $DAGSTER_HOME; its timings as one JSON line."""
    started = time.perf_counter()
    os.environ.update(BUDGET_DOCUMENTS=documents, BUDGET_WAREHOUSE=f"{work}/budget.duckdb",
                      BUDGET_EXTRACTS=f"{work}/extracts", BUDGET_PUBLISH_DIR=f"{work}/published",
                      BUDGET_QUALITY_DOCS=f"{work}/quality_docs", DAGSTER_HOME=f"{work}/dagster_home")
    from orchestration.run import open_instance, run_pipeline

    with open_instance(ephemeral=False) as instance:
        report = run_pipeline(instance, echo=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps({"total": time.perf_counter() - started, "steps": report.progress.step_seconds,
                      "failed_documents": len(report.failed_documents), "failed_steps": list(report.progress.failed_steps),
                      "phases": report.stage_seconds}))


def pipeline(documents: Path, work: Path, workers: int, verbose: bool) -> dict[str, float]:
    started = time.perf_counter()
    env = {**os.environ, "BUDGET_EXTRACT_WORKERS": str(workers)}
    done = subprocess.run([sys.executable, __file__, "--child", str(documents), str(work)], cwd=ROOT, env=env,
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


# ---- output --------------------------------------------------------------------------------------------

def show(label: str, figures: dict[str, float], n: int) -> None:
    print(f"{label}")
    for stage, seconds in figures.items():
        print(f"  {stage:<28} {seconds:>8.1f} s {seconds / n * 1000:>9.1f} ms/doc")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000], help="text corpus sizes (documents)")
    parser.add_argument("--pdf-pages", type=int, nargs="*", default=[], help="PDF corpus sizes (pages)")
    parser.add_argument("--pipeline-workers", type=int, nargs="+", default=[2],
                        help="extraction processes for the whole-pipeline runs (one run per value)")
    parser.add_argument("--old-load-max", type=int, default=1000, help="largest corpus for the per-document load")
    parser.add_argument("--skip-pipeline", action="store_true", help="library stages only")
    parser.add_argument("--verbose", action="store_true", help="show the pipeline's progress lines")
    parser.add_argument("--child", nargs=2, metavar=("DOCUMENTS", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    corpora = [("text", n) for n in args.sizes] + [("pdf", pages) for pages in args.pdf_pages]
    summary = []
    for kind, size in corpora:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            label = f"{size} text documents" if kind == "text" else f"PDFs of {size} pages"
            print(f"== {label}", flush=True)
            paths = (text_corpus if kind == "text" else pdf_corpus)(work / "documents", size)
            n = len(paths)
            library = library_stages(work / "documents", work / "library", args.old_load_max)
            show(f"{label}: library stages ({n} documents)", library, n)
            speedup = library["extract 1 worker"] / library["extract 2 workers"]
            print(f"  extraction speed-up 1 -> 2 workers: {speedup:.2f}x", flush=True)
            if kind == "pdf":
                import pypdfium2 as pdfium

                pages = sum(len(pdfium.PdfDocument(path)) for path in paths)
                print("  pages/s: " + ", ".join(f"{pages / library[f'extract {w} worker' + ('s' if w > 1 else '')]:.1f} "
                                                f"with {w} worker(s)" for w in (1, 2)), flush=True)
            if "per-doc load" in library:
                print(f"  bulk ingest vs per-document load: {library['per-doc load'] / library['ingest']:.1f}x",
                      flush=True)
            row = {"corpus": label, "documents": n, "extract ms/doc (2 workers)": library["extract 2 workers"] / n * 1000,
                   "speed-up 1->2": speedup, "ingest ms/doc": library["ingest"] / n * 1000}
            for workers in [] if args.skip_pipeline else args.pipeline_workers:
                run = pipeline(work / "documents", work / f"pipeline{workers}", workers, args.verbose)
                failed = run.pop("failed")
                show(f"{label}: whole pipeline, {workers} extraction worker(s), {failed} failed documents", run, n)
                print(f"  {n / run['total']:.1f} docs/s end to end, orchestration {run['orchestration'] / run['total']:.0%}",
                      flush=True)
                row.update({f"pipeline s ({workers}w)": run["total"], f"docs/s ({workers}w)": n / run["total"],
                            f"ms/doc ({workers}w)": run["total"] / n * 1000,
                            f"orchestration ({workers}w)": run["orchestration"] / run["total"]})
            summary.append(row)
    print("== figures")
    columns = list(dict.fromkeys(k for row in summary for k in row))
    print(" | ".join(columns))
    for row in summary:
        print(" | ".join(f"{row[c]:.0%}" if c.startswith("orchestration") and c in row else
                         f"{row[c]:.2f}" if isinstance(row.get(c), float) else str(row.get(c, "")) for c in columns))


if __name__ == "__main__":
    main()
