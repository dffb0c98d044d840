"""The documents a pipeline run registered, and the blocking check that the marts are built from them only.

`python -m orchestration.run` loads the folder's documents, then, holding the warehouse's writer lock,
records which documents `raw` holds for the folder's names (a file beside the warehouse, named by the run's
tag). Before the marts build, `registered_documents` compares `raw.documents` with that set: a document
another process loaded (or withdrew) in the meantime fails the check, so the marts are not built from it
and published as this run's result. Runs without the tag (sensor, schedule, UI) have nothing to compare.
"""

import json
import uuid
from pathlib import Path

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetKey, asset_check

from orchestration.resources import Warehouse

REGISTERED_TAG = "budget/registered_documents"
# Checked after the intermediate layer, so nothing foreign reaches the marts.
GUARDED_ASSET = AssetKey(["intermediate", "int_units_resolved"])


def register_documents(warehouse: Warehouse, names: list[str]) -> Path:
    """Record the documents `raw` holds under the folder's `names`; the file's path goes in the run's tag."""
    with warehouse.writer() as con:
        rows = con.execute("select document_name, document_id from raw.document_names "
                           "where list_contains(?, document_name)", [names]).fetchall()
    path = warehouse.path.parent / f".registered_documents.{uuid.uuid4().hex}.json"
    path.write_text(json.dumps(dict(rows), sort_keys=True), encoding="utf-8")
    return path


def compare(registered: dict[str, str], held: dict[str, str]) -> str | None:
    """A sentence saying how `raw.documents` (id → name) differs from what the run registered, or None."""
    foreign = sorted(name for document_id, name in held.items() if document_id not in registered.values())
    gone = sorted(name for name, document_id in registered.items() if document_id not in held)
    if not foreign and not gone:
        return None
    parts = [f"{len(foreign)} document(s) this run did not register appeared in raw.documents "
             f"({', '.join(foreign)}), loaded by another process during the run"] if foreign else []
    parts += [f"{len(gone)} registered document(s) left raw.documents ({', '.join(gone)})"] if gone else []
    return "; ".join(parts) + ": the marts were not built from them; run the pipeline again"


@asset_check(asset=GUARDED_ASSET, blocking=True, name="registered_documents",
             description="Guards the marts against documents loaded by another process during a pipeline run: "
             "raw.documents holds exactly the documents this run registered (severity error: a "
             "difference blocks the marts).")
def registered_documents(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    return check_registered(context.run.tags.get(REGISTERED_TAG), warehouse)


def check_registered(registered_file: str | None, warehouse: Warehouse) -> AssetCheckResult:
    if not registered_file:
        return AssetCheckResult(passed=True, description="not a pipeline run: no registered set to compare")
    registered = json.loads(Path(registered_file).read_text(encoding="utf-8"))
    with warehouse.get_connection(read_only=True) as con:
        held = dict(con.execute("select document_id, document_name from raw.documents").fetchall())
    problem = compare(registered, held)
    return AssetCheckResult(passed=problem is None, severity=AssetCheckSeverity.ERROR,
                            description=problem or f"raw.documents holds the {len(held)} registered documents")
