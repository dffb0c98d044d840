"""PDF reader throughput against a bare pdfplumber pass, and its memory as documents grow, per producer.

Producers: ``renderer`` (tests/pdf_render.py: the four main variants of the 4 samples) and, where
installed, ``office`` (LibreOffice Calc), ``browser`` (headless Chromium) and ``reportlab``
(platypus), each with the named layout variants of the 4 samples from the producers' cache
(tests/.cache/producers/, rendered there when missing). Prints, per producer:

* pages/s of ``extract_path`` and of a bare pass (``page.chars`` and ``page.edges`` on every page,
  single process) over the same PDFs, and their ratio (aim ≤ 1.2);
* memory reading a short and a long document (sample 000's units drawn over and over: ~3 and ~30
  times the pages): tracemalloc's peak, what the result itself holds, the difference (the reader's
  working memory, which should stay flat), and the max RSS of a fresh process reading it.

    .venv/bin/python bench/bench_pdf.py [--rounds 3] [--producer office] [--no-memory]
"""

from __future__ import annotations

import argparse
import gc
import logging
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
from tests.pdf_render import SAMPLES, VARIANTS, Variant, document_truth, rendered  # noqa: E402

RENDERER_VARIANTS = ("truetype", "cid", "unruled", "fake_bold")
SHORT_REPEAT, LONG_REPEAT = 3, 32  # the renderer's repeats of sample 000's units (about 30 and 300 pages)
PRODUCER_REPEATS = (1, 8)  # the producers' (their pages hold more: about 10 and 80 pages)
BENCH_CACHE = ROOT / "tests" / ".cache" / "bench"


def bare_pass(path: Path) -> int:
    pdf = pdfplumber.open(path)
    try:
        for page in pdf.pages:
            page.chars  # noqa: B018 - building them is the work measured
            page.edges  # noqa: B018
            page.close()
        return len(pdf.pages)
    finally:
        pdf.stream.close()  # not pdf.close(): it would build every page again (pdfplumber #1339)


def reader_pass(path: Path) -> int:
    doc = extract_path(path)
    return doc.page_count or 0


def best_times(rounds: int, passes: dict[str, Callable[[Path], int]], paths: list[Path]) -> dict[str, float]:
    """Each pass's time over `paths`: the sum over documents of each document's best time in `rounds`.

    The passes alternate document by document (their order swapped every round), so both see the same
    load within seconds of each other; a burst of load on a shared machine then spoils one document's
    round, not a whole pass, and the best round of each document drops it.
    """
    best = {name: [float("inf")] * len(paths) for name in passes}
    names = list(passes)
    for round_no in range(rounds):
        order = names if round_no % 2 == 0 else names[::-1]
        for i, path in enumerate(paths):
            for name in order:
                start = time.perf_counter()
                passes[name](path)
                best[name][i] = min(best[name][i], time.perf_counter() - start)
    return {name: sum(times) for name, times in best.items()}


def traced_memory(path: Path) -> tuple[int, float, float]:
    """(pages, peak MB, MB still held by the result) while reading `path`."""
    gc.collect()
    tracemalloc.start()
    doc = extract_path(path)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pages = doc.page_count or 0
    del doc
    return pages, peak / 1e6, held / 1e6


def fresh_process_rss(path: Path) -> float:
    """Max RSS (MB) of a new interpreter that imports the reader and reads `path`."""
    out = subprocess.run([sys.executable, __file__, "--rss-of", str(path)], check=True, capture_output=True,
                         text=True)
    return float(out.stdout.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM starts afresh at exec; ru_maxrss can keep the forking parent's."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e3
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


# ---- the documents of each producer --------------------------------------------------------------

def renderer_documents() -> tuple[list[Path], list[Path]]:
    """(throughput corpus, [short, long] document) drawn by tests/pdf_render.py."""
    corpus = [rendered(sample, VARIANTS[key])[0] for key in RENDERER_VARIANTS for sample in SAMPLES]
    growing = [rendered(SAMPLES[0], Variant(repeat=repeat))[0] for repeat in (SHORT_REPEAT, LONG_REPEAT)]
    return corpus, growing


def producer_documents(producer: str) -> tuple[list[Path], list[Path]] | str:
    """(throughput corpus, [short, long] document) of an independent producer, or why it is unavailable."""
    from tests.producers.cache import MODULES, Case, render_all, unavailable
    from tests.producers.layout import VARIANTS as LAYOUTS
    from tests.producers.layout import variant
    from tests.producers.truth import Selection

    plain = variant("plain", producer)
    reason = unavailable(plain)
    if reason:
        return reason
    cases = [Case(Selection(sample.name), variant(name, producer)) for name in LAYOUTS for sample in SAMPLES]
    corpus = [pdf for pdf, _ in render_all(cases).values()]
    growing = []
    BENCH_CACHE.mkdir(parents=True, exist_ok=True)
    for repeat in PRODUCER_REPEATS:
        path = BENCH_CACHE / f"{producer}-plain-x{repeat}.pdf"
        if not path.exists():
            truth = document_truth(SAMPLES[0])
            truth["units"] = truth["units"] * repeat
            truth["department_total"] = None
            partial = path.with_suffix(".partial.pdf")
            MODULES[producer].render(truth, plain, partial)
            partial.replace(path)
        growing.append(path)
    return corpus, growing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds; the best one counts")
    parser.add_argument("--producer", action="append", choices=("renderer", "office", "browser", "reportlab"))
    parser.add_argument("--no-memory", action="store_true", help="throughput only")
    parser.add_argument("--rss-of", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's Noto fonts: FontBBox warnings
    if args.rss_of:
        reader_pass(args.rss_of)
        print(peak_rss_mb())
        return

    producers = args.producer or ["renderer", "office", "browser", "reportlab"]
    documents: dict[str, tuple[list[Path], list[Path]]] = {}
    for producer in producers:
        found = renderer_documents() if producer == "renderer" else producer_documents(producer)
        if isinstance(found, str):
            print(f"skipped {producer}: {found}")
        else:
            documents[producer] = found

    print(f"throughput, best of {args.rounds} (bare: page.chars + page.edges on every page, single process)")
    print(f"  {'producer':<10} {'documents':>9} {'pages':>6} {'reader p/s':>10} {'bare p/s':>9} {'ratio':>6}")
    for producer, (corpus, _) in documents.items():
        pages = sum(bare_pass(p) for p in corpus)
        for path in corpus:  # warm caches and imports
            reader_pass(path)
        best = best_times(args.rounds, {"bare": bare_pass, "reader": reader_pass}, corpus)
        print(f"  {producer:<10} {len(corpus):>9} {pages:>6} {pages / best['reader']:>10.1f} "
              f"{pages / best['bare']:>9.1f} {best['reader'] / best['bare']:>6.2f}")

    if args.no_memory:
        return
    print("memory reading one document (MB): working = traced peak - held by the result")
    print(f"  {'producer':<10} {'pages':>5} {'file':>6} {'traced peak':>11} {'held':>6} {'working':>8} "
          f"{'fresh RSS':>9} {'reader p/s':>10} {'ratio':>6}")
    for producer, (_, growing) in documents.items():
        for path in growing:
            pages, peak, held = traced_memory(path)
            best = best_times(1, {"bare": bare_pass, "reader": reader_pass}, [path])
            print(f"  {producer:<10} {pages:>5} {path.stat().st_size / 1e6:>6.2f} {peak:>11.1f} {held:>6.1f} "
                  f"{peak - held:>8.1f} {fresh_process_rss(path):>9.0f} {pages / best['reader']:>10.1f} "
                  f"{best['reader'] / best['bare']:>6.2f}")


if __name__ == "__main__":
    main()
