"""Extraction of many documents across processes (one per core, or ``BUDGET_EXTRACT_WORKERS``), in input order.

`extract_many` returns the documents; `extract_to_folder` writes each one's extract into the extraction
folder (`extract.extracts`) instead and returns only what the ingest needs, so it can run on any machine
that sees the documents and the extraction folder. A document whose extract is there already is only
hashed, not read again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from extract.extracts import has_extract, write_extract
from extract.load import DocumentFile
from extract.manifest import ManifestEntry, load_manifest
from extract.model import ExtractedDocument
from extract.reader import extract_path

PARALLEL_THRESHOLD = 4
WORKERS_VARIABLE = "BUDGET_EXTRACT_WORKERS"  # processes per extraction call; default: the machine's cores

Job = tuple[Path, dict[str, ManifestEntry]]
T = TypeVar("T")


def extract_many(paths: list[Path], workers: int | None = None) -> list[ExtractedDocument]:
    return _map(_extract_one, _with_manifests(paths), workers)


def extract_to_folder(paths: list[Path], folder: str | Path, workers: int | None = None) -> list[DocumentFile]:
    """Write the extract of each document of `paths` into `folder` (unless it is there); each file's
    `DocumentFile`, in input order."""
    return _map(_extract_into, [(path, manifest, Path(folder)) for path, manifest in _with_manifests(paths)],
                workers)


def _map(function: Callable[..., T], jobs: list, workers: int | None) -> list[T]:
    workers = workers or worker_count()
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD or multiprocessing.current_process().daemon:
        return [function(job) for job in jobs]  # a daemonic process (a dask worker) may not start others
    with ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context()) as pool:
        return list(pool.map(function, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def worker_count() -> int:
    """`BUDGET_EXTRACT_WORKERS` when set (a positive integer), else the machine's cores."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if not value:
        return os.cpu_count() or 1
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{WORKERS_VARIABLE}={value!r}: give a whole number of processes, 1 or more")
    return int(value)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a fresh fork server, never from the caller: a child forked from a process that
    has used DuckDB (its threads, its locks) may crash on its first DuckDB connection, and the workers
    write extracts through DuckDB. The server preloads the reader, so each worker starts warm."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract.parallel"])
    return context


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


def _extract_into(job: tuple[Path, dict[str, ManifestEntry], Path]) -> DocumentFile:
    path, manifest, folder = job
    file = _identify((path, manifest))
    if not file.document_id or has_extract(folder, file.document_id):
        return file
    doc = extract_path(path, manifest)
    write_extract(doc, folder)
    errors = tuple(f"{f.code}: {f.message}" for f in doc.findings if f.severity == "error")
    # the bytes read now count (the file may have just changed)
    return replace(file, document_id=doc.document_id, errors=() if doc.document_id else errors)


def identify(paths: list[Path]) -> list[DocumentFile]:
    """Each file's `DocumentFile` (its content hash and manifest entry) without extracting it; a file that
    cannot be read is extracted, for its findings."""
    return [_identify(job) for job in _with_manifests(paths)]


def _identify(job: Job) -> DocumentFile:
    path, manifest = job
    entry = manifest.get(path.name)
    supersedes = entry.supersedes if entry else None
    try:
        if path.is_file():
            return DocumentFile(path.name, hashlib.sha256(path.read_bytes()).hexdigest(), supersedes, str(path))
    except OSError:
        pass
    doc = extract_path(path, manifest)
    errors = tuple(f"{f.code}: {f.message}" for f in doc.findings if f.severity == "error")
    return DocumentFile(doc.document, doc.document_id, supersedes, doc.source_path, () if doc.document_id else errors)
