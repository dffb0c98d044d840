"""Where the pipeline reads documents and writes the warehouse: environment variables with defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCUMENTS = "data/sample"
DEFAULT_WAREHOUSE = "warehouse/budget.duckdb"


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


def documents_dir() -> Path:
    return _resolve(os.environ.get("BUDGET_DOCUMENTS", DEFAULT_DOCUMENTS))


def warehouse_path() -> Path:
    return _resolve(os.environ.get("BUDGET_WAREHOUSE", DEFAULT_WAREHOUSE))
