"""Extraction of many documents across processes (one per core), in input order."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extract.manifest import load_manifest
from extract.model import ExtractedDocument
from extract.reader import extract_path

PARALLEL_THRESHOLD = 4


def _extract_one(path: Path) -> ExtractedDocument:
    return extract_path(path, load_manifest(path.parent))


def extract_many(paths: list[Path], workers: int | None = None) -> list[ExtractedDocument]:
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        return [_extract_one(p) for p in paths]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_extract_one, paths, chunksize=max(1, len(paths) // (workers * 4))))
