"""Extraction and raw-load throughput on the sample corpus, repeated to at least 200 documents.

Prints documents/s and MB/s for: extracting the 4 sample documents once (serial), extracting 200+
documents serially and across processes, and loading them into a fresh DuckDB warehouse.

    .venv/bin/python bench/bench_extract.py [--copies 50]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.load import load_documents  # noqa: E402
from extract.parallel import extract_many  # noqa: E402
from extract.reader import document_paths, extract_path  # noqa: E402

SAMPLE = ROOT / "data" / "sample"


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def row(label: str, docs: int, size: int, seconds: float) -> str:
    return f"{label:<34} {docs:>6} {seconds:>9.3f} {docs / seconds:>10.1f} {size / 1e6 / seconds:>8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50, help="copies of each sample document (4 × 50 = 200)")
    args = parser.parse_args()
    sample = document_paths([SAMPLE])
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i in range(args.copies):
            for path in sample:
                # distinct content (a trailing blank line per copy), so each copy is its own document
                (corpus / f"{i:04d}_{path.name}").write_bytes(path.read_bytes() + b"\n" * (i + 1))
        paths = document_paths([corpus])
        sample_size = sum(p.stat().st_size for p in sample)
        corpus_size = sum(p.stat().st_size for p in paths)

        extract_path(sample[0])  # warm imports
        print(f"{'stage':<34} {'docs':>6} {'seconds':>9} {'docs/s':>10} {'MB/s':>8}")
        _, t = timed(lambda: [extract_path(p) for p in sample])
        print(row("extract sample (serial)", len(sample), sample_size, t))
        _, t = timed(lambda: [extract_path(p) for p in paths])
        print(row("extract corpus (serial)", len(paths), corpus_size, t))
        docs, t = timed(lambda: extract_many(paths, workers=2))
        print(row("extract corpus (2 processes)", len(paths), corpus_size, t))
        report, t = timed(lambda: load_documents(Path(tmp) / "w.duckdb", docs))
        print(row("load corpus into DuckDB", len(paths), corpus_size, t))
        _, t2 = timed(lambda: load_documents(Path(tmp) / "w.duckdb", docs))
        print(row("reload corpus (unchanged, skipped)", len(paths), corpus_size, t2))
        print(report.summary())


if __name__ == "__main__":
    main()
