"""Extraction of many documents across processes (one per core), in input order."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from extract.manifest import ManifestEntry, load_manifest
from extract.model import ExtractedDocument
from extract.reader import extract_path

PARALLEL_THRESHOLD = 4

Job = tuple[Path, dict[str, ManifestEntry]]


def extract_many(paths: list[Path], workers: int | None = None) -> list[ExtractedDocument]:
    jobs = _with_manifests(paths)
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        return [_extract_one(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_extract_one, jobs, chunksize=max(1, len(paths) // (workers * 4))))


def _with_manifests(paths: list[Path]) -> list[Job]:
    """Each path with its own manifest entry; each folder's manifest.csv is read once."""
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    jobs: list[Job] = []
    for path in map(Path, paths):
        if path.parent not in manifests:
            manifests[path.parent] = load_manifest(path.parent)
        entry = manifests[path.parent].get(path.name)
        jobs.append((path, {path.name: entry} if entry is not None else {}))
    return jobs


def _extract_one(job: Job) -> ExtractedDocument:
    path, manifest = job
    return extract_path(path, manifest)
