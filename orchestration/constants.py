"""Names the asset, check, job and sensor modules share."""

from dagster import AssetKey

from extract.load import RAW_TABLES

# The `raw/<table>` assets the extraction loads, by table (document_names: every file name of a document).
RAW_KEYS = {table: AssetKey(["raw", table]) for table in (*RAW_TABLES, "document_names")}
# dbt and the Great Expectations gates hold the warehouse for a whole step: one at a time (dagster.yaml).
WAREHOUSE_POOL = "duckdb_warehouse"
