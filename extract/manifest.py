"""The optional ``manifest.csv`` beside the documents: what is known of each file that it does not print.

Read as UTF-8 (with or without the BOM Excel writes) or, failing that, GB18030 (Excel's "CSV" on a
Chinese system). A manifest that cannot be used at all raises `ManifestError`, whose message names the
manifest, the line and the fix; a wrong row (a year that is not a number, a second row for one file)
stays with its file as `problems`, which the reader turns into an error finding for that document.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"
COLUMNS = "file,fiscal_year,department,unit,basis,supersedes"


class ManifestError(ValueError):
    """The manifest cannot be used at all: the message names it, the line and the fix."""


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    fiscal_year: int | None
    department: str | None
    unit: str | None
    basis: str
    supersedes: str | None = None  # the file name this document replaces (a revised table)
    problems: tuple[str, ...] = ()


def manifest_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path}: neither UTF-8 nor GB18030 text: save it as \"CSV UTF-8\"")


def load_manifest(folder: str | Path) -> dict[str, ManifestEntry]:
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return {}
    lines = [(n, line) for n, line in enumerate(manifest_text(path).splitlines(keepends=True), start=1)
             if not line.startswith("#") and line.strip()]
    if not lines:
        return {}
    header_line = lines[0][0]
    reader = csv.DictReader(line for _, line in lines)
    fields = [f.strip() for f in reader.fieldnames or []]
    if "file" not in fields:
        raise ManifestError(f"{path}, line {header_line}: the header {','.join(fields)!r} has no `file` column: "
                            f"the first line that is not a # comment must name the columns, e.g. {COLUMNS}")
    reader.fieldnames = fields
    entries: dict[str, ManifestEntry] = {}
    for record in reader:
        line_number = lines[reader.line_num - 1][0]  # the record's last physical line
        name = (record.get("file") or "").strip()
        if not name:
            raise ManifestError(f"{path}, line {line_number}: no file name in the `file` column: "
                                "fill it in or delete the line")
        entry = _entry(path, line_number, name, record)
        if name in entries:
            earlier = entries[name]
            entry = ManifestEntry(**{**earlier.__dict__, "problems": (*earlier.problems, (
                f"{path}, line {line_number}: a second row for {name}: keep one row per file"))})
        entries[name] = entry
    return entries


def _entry(path: Path, line_number: int, name: str, record: dict[str, str | None]) -> ManifestEntry:
    year, problems = (record.get("fiscal_year") or "").strip(), []
    if year and not (year.isdigit() and len(year) == 4):
        problems.append(f"{path}, line {line_number}: fiscal_year {year!r} for {name} is not a year: "
                        "write four digits (2025) or leave it empty")
    return ManifestEntry(
        file=name,
        fiscal_year=int(year) if year.isdigit() and len(year) == 4 else None,
        department=(record.get("department") or "").strip() or None,
        unit=(record.get("unit") or "").strip() or None,
        basis=(record.get("basis") or "").strip(),
        supersedes=(record.get("supersedes") or "").strip() or None,
        problems=tuple(problems),
    )
