"""Quality-gate cost next to the stage each gate guards, on the sample and on a generated corpus.

For each corpus: extract+load (guarded by the raw gate), ``dbt build`` of staging (staging gate) and of
the rest (marts gate), each followed by its gate. Gate times are in-process, after the one-off import of
Great Expectations (printed separately) and one untimed warm-up gate; "validate" is GX's share, the rest
reading the tables, recording the results and rendering Data Docs.

    .venv/bin/python bench/bench_expectations.py [--documents 200] [--no-dbt]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.load import load_documents  # noqa: E402
from extract.parallel import extract_many  # noqa: E402
from extract.reader import document_paths  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
# Cautious: a test between a staging and an intermediate model runs with the second step, not the first.
DBT_STEPS = {"staging": ["--select", "staging", "--indirect-selection", "cautious"], "marts": ["--exclude", "staging"]}
# Width-preserving stand-ins for a unit name's last two characters (the wrapped reader measures widths).
VARIANTS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def replicate_sample(out_dir: Path, n: int) -> None:
    """Fallback corpus: copies of the sample documents under new file names and renamed units."""
    with (SAMPLE / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        entries = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    rows = []
    for i in range(n):
        entry = entries[i % len(entries)]
        k = i // len(entries)
        unit = entry["unit"]
        renamed = unit[:-2] + VARIANTS[k % len(VARIANTS)] + VARIANTS[(k // len(VARIANTS)) % len(VARIANTS)]
        name = f"{i:04d}_{entry['file']}"
        text = (SAMPLE / entry["file"]).read_text(encoding="utf-8").replace(unit, renamed)
        (out_dir / name).write_text(text, encoding="utf-8")
        rows.append({**entry, "file": name, "unit": renamed, "department": entry["department"].replace(unit, renamed)})
    with (out_dir / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(entries[0]))
        writer.writeheader()
        writer.writerows(rows)


def make_corpus(out_dir: Path, n: int) -> str:
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        from bench.corpus import generate_corpus
    except ImportError:
        replicate_sample(out_dir, n)
        return "replicated sample"
    generate_corpus(out_dir, n)
    return "bench.corpus"


def dbt_build(warehouse: Path, work: Path, selection: list[str]) -> float | None:
    if not (DBT_PROJECT / "dbt_project.yml").exists():
        return None
    dbt = Path(sys.executable).with_name("dbt")
    run, seconds = timed(lambda: subprocess.run(
        [str(dbt), "build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), *selection],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False,
    ))
    if run.returncode != 0:
        print(f"  (dbt build {' '.join(selection)} failed: {run.stdout.strip().splitlines()[-1:]})")
    return seconds


def gate(warehouse: Path, stage: str, docs: Path) -> tuple[float, float, str]:
    from expectations.runner import validate_stage

    outcome, seconds = timed(lambda: validate_stage(warehouse, stage, docs_dir=docs))
    verdict = "blocked" if outcome.blocking else "passed"
    return seconds, sum(t.seconds for t in outcome.tables), verdict


def bench_corpus(label: str, folder: Path, work: Path, run_dbt: bool) -> list[tuple]:
    paths = document_paths([folder])
    warehouse = work / "budget.duckdb"
    docs, t_extract = timed(lambda: extract_many(paths))
    _, t_load = timed(lambda: load_documents(warehouse, docs))
    rows = [(label, len(paths), "extract+load", t_extract + t_load, "raw", *gate(warehouse, "raw", work / "docs"))]
    for stage, selection in DBT_STEPS.items():
        t_dbt = dbt_build(warehouse, work, selection) if run_dbt else None
        rows.append((label, len(paths), f"dbt build {' '.join(selection[:2])}", t_dbt, stage,
                     *gate(warehouse, stage, work / "docs")))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200, help="size of the generated corpus")
    parser.add_argument("--no-dbt", action="store_true", help="skip dbt (the later gates then block)")
    args = parser.parse_args()
    _, t_import = timed(lambda: __import__("expectations.runner"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        warm = tmp_path / "warm"
        warm.mkdir()
        load_documents(warm / "budget.duckdb", extract_many(document_paths([SAMPLE])))
        gate(warm / "budget.duckdb", "raw", warm / "docs")  # GX's first validation is slower: not timed
        rows += bench_corpus("sample", SAMPLE, tmp_path / "sample", not args.no_dbt)
        source = make_corpus(tmp_path / "corpus_docs", args.documents)
        rows += bench_corpus(f"generated ({source})", tmp_path / "corpus_docs", tmp_path / "corpus", not args.no_dbt)
        shutil.rmtree(tmp_path / "corpus_docs")
    print(f"\nGreat Expectations import (once per process): {t_import:.2f}s\n")
    header = ("corpus", "docs", "stage", "stage s", "gate", "gate s", "validate s", "gate/stage", "verdict")
    print(f"{header[0]:<32} {header[1]:>5}  {header[2]:<34} {header[3]:>8}  {header[4]:<8} "
          f"{header[5]:>7} {header[6]:>10} {header[7]:>10}  {header[8]}")
    for corpus, n, stage, t_stage, gate_name, t_gate, t_validate, verdict in rows:
        stage_s = f"{t_stage:8.2f}" if t_stage is not None else f"{'n/a':>8}"
        ratio = f"{t_gate / t_stage:10.2f}" if t_stage else f"{'n/a':>10}"
        print(f"{corpus:<32} {n:>5}  {stage:<34} {stage_s}  {gate_name:<8} {t_gate:7.2f} {t_validate:10.2f} "
              f"{ratio}  {verdict}")


if __name__ == "__main__":
    main()
