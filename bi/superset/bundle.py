"""The dashboard spec (dashboard/budget_dashboard.yaml) as Superset's own import bundle.

    python bi/superset/bundle.py <published marts.duckdb> <bundle.zip>

Writes a ZIP in Superset's v1 "assets" format (metadata.yaml, databases/, datasets/, charts/,
dashboards/), the format Superset exports and `/api/v1/assets/import/` takes. Each dataset's columns
and their descriptions are read from the published copy (its column comments come from dbt), so the
database must exist. Runs in Superset's virtual environment (PyYAML, DuckDB 1.4).
"""

from __future__ import annotations

import json
import os
import sys
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

SPEC = Path(__file__).with_name("dashboard") / "budget_dashboard.yaml"
NAMESPACE = uuid.UUID("6f1c1f3e-3b1d-4a51-9d59-6c1e0b7d2a10")  # this project's; never change it
VERSION = "1.0.0"
ROW_LIMIT = 10000
ROW_HEIGHT = 50


def stable_uuid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{name}"))


def database_config(spec: dict, database: Path) -> dict:
    return {
        "database_name": spec["name"],
        # the link, not the build it points to: each connection opens the build published at that moment
        "sqlalchemy_uri": f"duckdb:///{os.path.abspath(database)}",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        # read_only: Superset never takes DuckDB's write lock on the copy. Superset builds its engines
        # with NullPool, so no connection outlives a query and holds an old build open.
        "extra": {"engine_params": {"connect_args": {"read_only": True}}, "metadata_params": {}},
        "uuid": stable_uuid("database", spec["name"]),
        "version": VERSION,
    }


def dataset_columns(con: duckdb.DuckDBPyConnection, spec: dict) -> list[dict]:
    described = con.execute(f"describe {spec['sql']}").fetchall()
    comments: dict[str, str] = {}
    for column, comment in con.execute(
            "select column_name, comment from duckdb_columns() where comment is not null "
            "order by table_name <> ? , table_name", [spec["source"]]).fetchall():
        comments.setdefault(column, comment)  # the source table's comment first, else another mart's
    return [{
        "column_name": name, "type": type_, "description": comments.get(name), "verbose_name": None,
        "is_dttm": False, "is_active": True, "groupby": True, "filterable": True,
        "expression": None, "advanced_data_type": None, "python_date_format": None, "extra": None,
    } for name, type_, *_ in described]


def dataset_config(con: duckdb.DuckDBPyConnection, spec: dict, database_uuid: str) -> dict:
    return {
        "table_name": spec["name"],
        "description": spec["description"],
        "sql": spec["sql"],
        "schema": "main",
        "catalog": None,
        "main_dttm_col": None,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "filter_select_enabled": True,
        "normalize_columns": False,
        "params": None,
        "template_params": None,
        "extra": None,
        "columns": dataset_columns(con, spec),
        "metrics": [],
        "uuid": stable_uuid("dataset", spec["name"]),
        "database_uuid": database_uuid,
        "version": VERSION,
    }


def metric(label: str, sql: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": sql, "label": label, "hasCustomLabel": True,
            "optionName": f"metric_{stable_uuid('metric', label + sql)[:8]}"}


def chart_form_data(spec: dict, metrics: list[dict]) -> dict:
    """Superset's form data for the chart's viz type: what the chart editor would save."""
    by_label = {m["label"]: m for m in metrics}
    common = {"viz_type": spec["viz_type"], "row_limit": ROW_LIMIT, "adhoc_filters": [],
              "color_scheme": "supersetColors", "extra_form_data": {}}
    if spec["viz_type"] == "table" and spec.get("raw"):
        return {**common, "query_mode": "raw", "all_columns": spec["columns"],
                "order_by_cols": [json.dumps(o) for o in spec["order_by"]], "table_timestamp_format": "smart_date",
                "server_pagination": False, "show_cell_bars": False, "include_search": True}
    if spec["viz_type"] == "table":
        first_metric_order = next((o for o in spec["order_by"] if o[0] in by_label), None)
        return {**common, "query_mode": "aggregate", "groupby": spec["columns"], "metrics": metrics,
                "timeseries_limit_metric": by_label[first_metric_order[0]] if first_metric_order else None,
                "order_desc": not first_metric_order[1] if first_metric_order else True,
                "show_cell_bars": True, "include_search": True, "server_pagination": False}
    if spec["viz_type"] == "pivot_table_v2":
        return {**common, "groupbyRows": spec["rows"], "groupbyColumns": spec["columns"], "metrics": metrics,
                "aggregateFunction": "Sum", "metricsLayout": "COLUMNS", "rowOrder": "key_a_to_z",
                "colOrder": "key_a_to_z", "valueFormat": ",.2f", "rowTotals": True, "colTotals": True,
                "transposePivot": False, "combineMetric": False}
    if spec["viz_type"] == "echarts_timeseries_bar":
        return {**common, "x_axis": spec["x_axis"], "xAxisForceCategorical": True, "groupby": spec["columns"],
                "metrics": metrics, "stack": "Stack", "orientation": "vertical", "show_legend": True,
                "legendType": "scroll", "legendOrientation": "top", "y_axis_format": "SMART_NUMBER",
                "x_axis_sort_asc": True, "rich_tooltip": True, "time_grain_sqla": None}
    raise ValueError(f"viz type {spec['viz_type']!r} is not supported by bundle.py")


def chart_query(spec: dict, metrics: list[dict]) -> list[dict]:
    """The saved query of the chart: what /api/v1/chart/<id>/data runs (form data above for the UI)."""
    by_label = {m["label"]: m for m in metrics}
    columns = [*([spec["x_axis"]] if "x_axis" in spec else []), *spec.get("rows", []), *spec["columns"]]
    query = {"columns": columns, "orderby": [[by_label.get(c, c), asc] for c, asc in spec["order_by"]],
             "row_limit": ROW_LIMIT, "filters": [], "extras": {"having": "", "where": ""},
             "annotation_layers": [], "series_limit": 0, "order_desc": True, "url_params": {},
             "custom_params": {}, "custom_form_data": {}}
    if not spec.get("raw"):
        query["metrics"] = metrics
    return [query]


def chart_config(spec: dict) -> dict:
    metrics = [metric(label, sql) for label, sql in spec.get("metrics", {}).items()]
    params = chart_form_data(spec, metrics)
    query_context = {"datasource": {"id": 0, "type": "table"}, "force": False,
                     "queries": chart_query(spec, metrics), "form_data": params,
                     "result_format": "json", "result_type": "full"}
    return {
        "slice_name": spec["name"],
        "description": spec["question"],
        "viz_type": spec["viz_type"],
        "params": params,
        "query_context": json.dumps(query_context, ensure_ascii=False),
        "cache_timeout": None,
        "uuid": stable_uuid("chart", spec["name"]),
        "dataset_uuid": stable_uuid("dataset", spec["dataset"]),
        "version": VERSION,
    }


def dashboard_position(spec: dict, charts: dict[str, dict]) -> dict:
    position = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"id": "ROOT_ID", "type": "ROOT", "children": ["GRID_ID"]},
        "GRID_ID": {"id": "GRID_ID", "type": "GRID", "parents": ["ROOT_ID"], "children": []},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": spec["dashboard"]["title"]}},
    }
    # chartId is any number unique in the bundle: the import maps each chart's uuid to its id here
    chart_numbers = {name: number for number, name in enumerate(charts, start=1)}
    for row_number, row in enumerate(spec["layout"], start=1):
        row_id = f"ROW-{row_number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"id": row_id, "type": "ROW", "parents": ["ROOT_ID", "GRID_ID"], "children": [],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for name, width in row:
            chart = charts[name]  # a KeyError names a layout entry without a chart
            chart_id = f"CHART-{chart['uuid'][:8]}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {"id": chart_id, "type": "CHART", "children": [],
                                  "parents": ["ROOT_ID", "GRID_ID", row_id],
                                  "meta": {"uuid": chart["uuid"], "chartId": chart_numbers[name],
                                           "sliceName": name, "width": width,
                                           "height": ROW_HEIGHT}}
    return position


def dashboard_config(spec: dict, charts: dict[str, dict]) -> dict:
    board = spec["dashboard"]
    return {
        "dashboard_title": board["title"],
        "description": board["description"],
        "slug": board["slug"],
        "css": "",
        "certified_by": "",
        "certification_details": "",
        "published": True,
        "position": dashboard_position(spec, charts),
        "metadata": {"color_scheme": "supersetColors", "refresh_frequency": 0, "expanded_slices": {},
                     "label_colors": {}, "timed_refresh_immune_slices": [], "cross_filters_enabled": False,
                     "native_filter_configuration": [], "shared_label_colors": []},
        "uuid": stable_uuid("dashboard", board["slug"]),
        "version": VERSION,
    }


def bundle_files(spec: dict, database: Path) -> dict[str, dict]:
    """File name in the bundle → its YAML content."""
    db_config = database_config(spec["database"], database)
    with duckdb.connect(str(database), read_only=True) as con:
        datasets = [dataset_config(con, d, db_config["uuid"]) for d in spec["datasets"]]
    charts = {c["name"]: chart_config(c) for c in spec["charts"]}
    unknown = {c["dataset"] for c in spec["charts"]} - {d["name"] for d in spec["datasets"]}
    if unknown:
        raise ValueError(f"charts name datasets the spec does not define: {sorted(unknown)}")
    files = {
        "metadata.yaml": {"version": VERSION, "type": "assets",
                          "timestamp": datetime.now(UTC).isoformat(timespec="seconds")},
        "databases/budget_marts.yaml": db_config,
        **{f"datasets/budget_marts/{d['table_name']}.yaml": d for d in datasets},
        **{f"charts/{c['uuid'][:8]}.yaml": c for c in charts.values()},
        f"dashboards/{spec['dashboard']['slug']}.yaml": dashboard_config(spec, charts),
    }
    return files


def write_bundle(database: Path, target: Path, spec_path: Path = SPEC) -> Path:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    root = "budget_dashboard"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in bundle_files(spec, database).items():
            bundle.writestr(f"{root}/{name}", yaml.safe_dump(content, allow_unicode=True, sort_keys=False))
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(write_bundle(Path(sys.argv[1]), Path(sys.argv[2])))
