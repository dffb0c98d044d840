"""dbt tests as Dagster asset checks with short names and a sentence each.

dbt names a generic test after the test, the model and the arguments
(`relationships_int_projects_matched_document_id__document_id__ref_stg_budget__documents_`), so in the
Dagster UI, where the check already sits on its model, the names are cut to near-identical stubs. The
manifest the dbt assets are built from gets shorter names instead (`relationships_document_id`): the check
specs and the results of `dbt build` both take a test's name from it (dbt selects tests by their fully
qualified name, which stays). Each check's description says what the test guards and at what severity.
"""

from collections.abc import Mapping
from typing import Any

_SEVERITY = {
    "error": "severity error: a failure blocks the next layer",
    "warn": "severity warn: a failure is reported and blocks nothing",
}


def _model_of(reference: str | None) -> str:
    """`ref('stg_budget__units')` → `stg_budget__units`; `source('raw', 'units')` → `raw.units`."""
    text = (reference or "").strip()
    for prefix in ("ref(", "source("):
        if text.startswith(prefix):
            parts = [p.strip(" '\")") for p in text[len(prefix):].split(",")]
            return ".".join(p for p in parts if p)
    return text


def short_name(test: Mapping[str, Any]) -> str:
    """The test kind and the column(s) it is about, without the model it is attached to."""
    meta = test.get("test_metadata") or {}
    kind, kwargs = meta.get("name"), meta.get("kwargs") or {}
    column = kwargs.get("column_name")
    if kind == "unique_combination_of_columns":
        return "unique_" + "__".join(kwargs.get("combination") or [])
    if kind and column:
        return f"{kind}_{column}"
    return test["name"]


def guards(test: Mapping[str, Any]) -> str:
    """What the test asserts, as a sentence about its model's rows."""
    meta = test.get("test_metadata") or {}
    kind, kwargs = meta.get("name"), meta.get("kwargs") or {}
    column = f"`{kwargs.get('column_name')}`"
    if kind == "not_null":
        return f"{column} is never null"
    if kind == "unique":
        return f"{column} is unique (one row per value)"
    if kind == "relationships":
        return f"every {column} is a `{kwargs.get('field')}` of `{_model_of(kwargs.get('to'))}`"
    if kind == "accepted_values":
        return f"{column} is one of " + ", ".join(f"`{v}`" for v in kwargs.get("values") or [])
    if kind == "accepted_range":
        return f"{column} lies between {kwargs.get('min_value')} and {kwargs.get('max_value')}"
    if kind == "unique_combination_of_columns":
        return "one row per " + " and ".join(f"`{c}`" for c in kwargs.get("combination") or [])
    if kind == "reconciles":
        parts = kwargs.get("parts")
        of = (" + ".join(f"`{p}`" for p in parts) if parts else
              f"the sum of `{kwargs.get('child_column')}` in `{_model_of(kwargs.get('child_model'))}`")
        return f"{column} equals {of}"
    return f"the rows of dbt test `{test['name']}` are none"


def describe(test: Mapping[str, Any]) -> str:
    severity = str((test.get("config") or {}).get("severity") or "error").lower()
    what = (test.get("description") or "").strip() or guards(test)
    return f"dbt test: {what} ({_SEVERITY.get(severity, f'severity {severity}')})."


def with_short_test_names(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest with each test renamed to its short name (the original name when two tests of one
    model would share one); the original is kept in the test's meta as `dbt_name`."""
    taken: set[tuple[str, str]] = set()
    tests = sorted((uid, node) for uid, node in manifest["nodes"].items() if node["resource_type"] == "test")
    for _, node in tests:
        attached = node.get("attached_node") or ",".join(node["depends_on"]["nodes"])
        name = short_name(node)
        if (attached, name) in taken:
            name = node["name"]
        taken.add((attached, name))
        node.setdefault("meta", {})["dbt_name"] = node["name"]
        node["name"] = name
    return manifest
