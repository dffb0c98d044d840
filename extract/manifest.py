"""The optional ``manifest.csv`` beside the documents: what is known of each file that it does not print."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    fiscal_year: int | None
    department: str | None
    unit: str | None
    basis: str


def load_manifest(folder: str | Path) -> dict[str, ManifestEntry]:
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return {}
    entries = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(line for line in handle if not line.startswith("#")):
            year = (record.get("fiscal_year") or "").strip()
            entries[record["file"].strip()] = ManifestEntry(
                file=record["file"].strip(),
                fiscal_year=int(year) if year.isdigit() else None,
                department=(record.get("department") or "").strip() or None,
                unit=(record.get("unit") or "").strip() or None,
                basis=(record.get("basis") or "").strip(),
            )
    return entries
