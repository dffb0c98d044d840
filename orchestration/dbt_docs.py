"""dbt's documentation as one HTML page beside the published copy, which opens from file:// offline.

`dbt docs generate --static` writes `static_index.html` with the manifest and the catalog inline; dbt's
usual `index.html` fetches `manifest.json` and `catalog.json`, which a browser refuses from file://. The
catalog is read from the warehouse, so the page shows the marts as built: columns, types, comments.

The pipeline publishes with `publish_documented_marts`: the page's manifest also gives the keys the copy
declares. `make docs` (``python -m orchestration.dbt_docs``) writes the page for the warehouse as it is.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dagster_dbt import DbtProject

from extract.locations import publish_dir, quality_docs_dir, warehouse_path
from orchestration.dbt_project import (
    DBT_PROJECT_DIR,
    dbt_cli,
    dbt_environment,
    keep_partial_parse,
    prepared_project,
)
from orchestration.mart_keys import mart_keys
from orchestration.publish import DOCS_PAGE, Publication, install_file, publish_marts

STATIC_PAGE = "static_index.html"
DOCS_SWITCH = "BUDGET_DBT_DOCS"


@dataclass(frozen=True)
class DbtDocs:
    page: Path
    manifest: dict[str, Any]


def generate_dbt_docs(warehouse: Path, work: Path) -> DbtDocs:
    """`dbt docs generate --static` against `warehouse`, its artifacts written in `work`."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR)
    with dbt_environment(warehouse) as parse_cache:
        dbt_cli(project).cli(["docs", "generate", "--static"], target_path=work).wait()
    keep_partial_parse(work, parse_cache)
    return DbtDocs(work / STATIC_PAGE, json.loads((work / "manifest.json").read_text()))


def dbt_docs_enabled() -> bool:
    """`BUDGET_DBT_DOCS=0` publishes without generating the docs page (20–30 s of `dbt docs generate`):
    for test runs of the whole pipeline that are not about the docs."""
    return os.environ.get(DOCS_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def publish_documented_marts(warehouse: Path, target: Path | None = None) -> Publication:
    """Publish the marts with the keys their dbt tests state, and the documentation page beside them (unless
    `BUDGET_DBT_DOCS=0`: then the keys come from the parsed project's manifest and `docs.html` stays as it
    was)."""
    if not dbt_docs_enabled():
        manifest = json.loads(prepared_project().manifest_path.read_text())
        return publish_marts(warehouse, target, keys=mart_keys(manifest))
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as work:
        docs = generate_dbt_docs(warehouse, Path(work))
        return publish_marts(warehouse, target, keys=mart_keys(docs.manifest), docs_page=docs.page)


def main() -> int:
    warehouse, target = warehouse_path(), publish_dir()
    with tempfile.TemporaryDirectory(prefix="dbt-docs-") as work:
        # Without a warehouse yet, dbt reads an empty one: the page has the models but no catalog.
        source = warehouse if warehouse.exists() else Path(work) / "empty.duckdb"
        docs = generate_dbt_docs(source, Path(work) / "target")
        target.mkdir(parents=True, exist_ok=True)
        install_file(docs.page, target / DOCS_PAGE)
    print(f"dbt docs (one page, opens offline): {target / DOCS_PAGE}"
          + ("" if warehouse.exists() else f"  (no warehouse at {warehouse} yet: models without a catalog)"))
    quality_index = quality_docs_dir() / "index.html"
    if quality_index.exists():
        print(f"Great Expectations Data Docs: {quality_index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
