"""PDF reader throughput against a bare pdfplumber pass, and its memory on a 300-page document.

Renders sample documents with the test renderer (cached in tests/.cache/), then prints:

* pages/s of ``extract_path`` on ≥100 pages (4 samples × ruled, unruled, CID font, fake bold)
  vs a bare pass calling only ``page.extract_words()`` on the same pages, and their ratio (aim ≤ 1.5);
* memory reading a ~30-page and a 300+-page document (sample 000's units drawn 3 and 32 times
  over): tracemalloc's peak, what the result itself holds, the difference (the reader's working
  memory, which should stay flat), and the max RSS of a fresh process reading the document.

    .venv/bin/python bench/bench_pdf.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pdfplumber  # noqa: E402

from extract import extract_path  # noqa: E402
from tests.pdf_render import SAMPLES, VARIANTS, Variant, rendered  # noqa: E402

SHORT_REPEAT, LONG_REPEAT = 3, 32
THROUGHPUT_VARIANTS = ("truetype", "cid", "unruled", "fake_bold")


def bare_pass(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_words()
            page.close()
        return len(pdf.pages)


def reader_pass(path: Path) -> int:
    doc = extract_path(path)
    assert not doc.failed, [f.message for f in doc.findings if f.severity == "error"]
    return doc.page_count or 0


def best_times(rounds: int, passes: dict[str, Callable[[Path], int]], paths: list[Path]) -> dict[str, float]:
    """Best wall time of each pass over `paths`; the passes alternate so both see the same load."""
    best = dict.fromkeys(passes, float("inf"))
    for _ in range(rounds):
        for name, run in passes.items():
            start = time.perf_counter()
            for path in paths:
                run(path)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def traced_memory(path: Path) -> tuple[int, float, float]:
    """(pages, peak MB, MB still held by the result) while reading `path`."""
    gc.collect()
    tracemalloc.start()
    doc = extract_path(path)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del doc
    return reader_pass(path), peak / 1e6, held / 1e6


def fresh_process_rss(path: Path) -> float:
    """Max RSS (MB) of a new interpreter that imports the reader and reads `path`."""
    out = subprocess.run([sys.executable, __file__, "--rss-of", str(path)], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip())


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM starts afresh at exec; ru_maxrss can keep the forking parent's."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e3
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best one counts")
    parser.add_argument("--rss-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_of:
        reader_pass(args.rss_of)
        print(peak_rss_mb())
        return

    corpus = [rendered(sample, VARIANTS[key])[0] for key in THROUGHPUT_VARIANTS for sample in SAMPLES]
    pages = sum(reader_pass(p) for p in corpus)  # also warms caches and imports
    best = best_times(args.rounds, {"bare": bare_pass, "reader": reader_pass}, corpus)
    print(f"throughput on {pages} pages ({len(corpus)} documents: 4 samples × {', '.join(THROUGHPUT_VARIANTS)}), "
          f"best of {args.rounds}")
    print(f"  bare pdfplumber extract_words  {best['bare']:7.2f} s  {pages / best['bare']:6.1f} pages/s")
    print(f"  extract.layouts.pdf.reader             {best['reader']:7.2f} s  {pages / best['reader']:6.1f} pages/s")
    print(f"  ratio reader / bare            {best['reader'] / best['bare']:7.2f}")

    print("memory reading one document (MB)")
    print("  pages   file  traced peak  held by result  working (peak - result)  fresh-process max RSS")
    for repeat in (SHORT_REPEAT, LONG_REPEAT):
        path = rendered(SAMPLES[0], Variant(repeat=repeat))[0]
        page_count, peak, held = traced_memory(path)
        print(f"  {page_count:5d} {path.stat().st_size / 1e6:6.2f} {peak:12.1f} {held:15.1f} "
              f"{peak - held:24.1f} {fresh_process_rss(path):22.0f}")
    long = rendered(SAMPLES[0], Variant(repeat=LONG_REPEAT))[0]
    best = best_times(1, {"bare": bare_pass, "reader": reader_pass}, [long])
    print(f"  {page_count}-page document: bare {best['bare']:.1f} s, reader {best['reader']:.1f} s "
          f"({page_count / best['reader']:.1f} pages/s, ratio {best['reader'] / best['bare']:.2f})")


if __name__ == "__main__":
    main()
