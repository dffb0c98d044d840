"""Where the pipeline reads and writes: each location's environment variable, its default, one rule.

=====================  ==========================  ==========================================
variable               default                     what
=====================  ==========================  ==========================================
BUDGET_DOCUMENTS       data/sample                 the documents folder (and its manifest.csv)
BUDGET_WAREHOUSE       warehouse/budget.duckdb     the pipeline's DuckDB file
BUDGET_EXTRACTS        (warehouse's folder)/extracts  extracted documents as Parquet (may be shared)
BUDGET_PUBLISH_DIR     warehouse/published         the read-only copy of the marts for BI tools
BUDGET_QUALITY_DOCS    warehouse/quality_docs      Great Expectations Data Docs
DAGSTER_HOME           .dagster_home               the Dagster instance
=====================  ==========================  ==========================================

The one rule: a relative location, whether a default or an environment variable's value, is taken from
the project root (``PROJECT_ROOT``, the checkout), never from the working directory. So
``python -m extract --load``, Dagster (whose dbt runs in ``dbt_project/``) and ``python -m expectations``
name the same files wherever they are started. A path typed on a command line
(``--warehouse``) is the shell's and is taken from the working directory, as any argument is
(``command_line_path``).

The other variables: ``BUDGET_LOCK_TIMEOUT`` (seconds to wait for the warehouse's write lock, see
``extract.warehouse``), ``BUDGET_DOCS_URL`` (where ``orchestration.docs_server`` serves the generated
docs, for the links in the Dagster UI, ``docs_link``) and ``BUDGET_FAILPOINT`` (crash tests only, see
``extract.failpoints``).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DOCUMENTS = "BUDGET_DOCUMENTS"
WAREHOUSE = "BUDGET_WAREHOUSE"
EXTRACTS = "BUDGET_EXTRACTS"
PUBLISH_DIR = "BUDGET_PUBLISH_DIR"
QUALITY_DOCS = "BUDGET_QUALITY_DOCS"
DAGSTER_HOME = "DAGSTER_HOME"
DOCS_URL = "BUDGET_DOCS_URL"

DEFAULTS = {
    DOCUMENTS: "data/sample",
    WAREHOUSE: "warehouse/budget.duckdb",
    EXTRACTS: "warehouse/extracts",
    PUBLISH_DIR: "warehouse/published",
    QUALITY_DOCS: "warehouse/quality_docs",
    DAGSTER_HOME: ".dagster_home",
}


def resolve(value: str | Path, base: Path = PROJECT_ROOT) -> Path:
    """`value` as an absolute path; a relative one is taken from `base` (normalised, links kept)."""
    return Path(os.path.abspath(base / Path(value).expanduser()))


def command_line_path(value: str | Path) -> Path:
    """A path typed on a command line: relative to the working directory, as the shell means it."""
    return resolve(value, Path.cwd())


def location(variable: str) -> Path:
    """The location an environment variable names (an empty value counts as unset), else its default."""
    return resolve(os.environ.get(variable) or DEFAULTS[variable])


def documents_dir() -> Path:
    return location(DOCUMENTS)


def warehouse_path() -> Path:
    return location(WAREHOUSE)


def extracts_dir() -> Path:
    """The extraction folder; unset, ``extracts`` beside the warehouse (so a warehouse elsewhere, a test's,
    gets its own)."""
    return location(EXTRACTS) if os.environ.get(EXTRACTS) else warehouse_path().parent / "extracts"


def publish_dir() -> Path:
    return location(PUBLISH_DIR)


def quality_docs_dir() -> Path:
    return location(QUALITY_DOCS)


def dagster_home() -> Path:
    return location(DAGSTER_HOME)


# The folders `orchestration.docs_server` serves, by the first segment of the URL path.
SERVED = {"quality_docs": quality_docs_dir, "published": publish_dir}


def docs_link(path: str | Path) -> str:
    """A link to a generated page (Data Docs, dbt docs) for the Dagster UI. With ``BUDGET_DOCS_URL`` set
    (``make run`` and ``make dev`` set http://127.0.0.1:3001, where `make dev` serves the docs) a page
    under a served folder becomes an http link, which a browser opens from the UI's http page (it refuses
    ``file://`` links there); otherwise, or outside those folders, a ``file://`` URI."""
    page = resolve(path)
    base = (os.environ.get(DOCS_URL) or "").rstrip("/")
    if base:
        for prefix, folder in SERVED.items():
            try:
                relative = page.relative_to(folder())
            except ValueError:
                continue
            return f"{base}/{prefix}/{relative.as_posix()}"
    return page.as_uri()
