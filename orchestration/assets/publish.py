"""The published copy of the marts: what BI tools read, replaced only after a build whose gates passed.

It depends on every mart, and the marts' Great Expectations checks are blocking: a failed error-severity
expectation on a mart leaves the previous publication in place.
"""

from collections.abc import Sequence

from dagster import AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from extract.locations import docs_link
from orchestration.constants import WAREHOUSE_POOL
from orchestration.dbt_docs import publish_documented_marts
from orchestration.publish import DOCS_PAGE
from orchestration.resources import PublishFolder, Warehouse


def published_marts_asset(marts: Sequence[AssetKey]) -> AssetsDefinition:
    @asset(deps=list(marts), group_name="published", kinds={"duckdb", "parquet"}, pool=WAREHOUSE_POOL)
    def published_marts(warehouse: Warehouse, publication: PublishFolder) -> MaterializeResult:
        """A read-only copy of every mart (`marts.duckdb`, readable by DuckDB 1.4 and later, with comments
        and keys; one Parquet file per mart) for BI tools, swapped in atomically so that readers never see
        a half-written or failed build; and the dbt documentation as one page beside it (`docs.html`)."""
        published = publish_documented_marts(warehouse.path, publication.root)
        docs_page = published.database.parent / DOCS_PAGE
        return MaterializeResult(metadata={
            "build_id": published.build_id,
            "database": MetadataValue.path(str(published.database)),
            "parquet": MetadataValue.path(str(published.parquet_dir)),
            **({"dbt_docs": MetadataValue.url(docs_link(docs_page))} if docs_page.exists() else {}),
            "tables": len(published.row_counts),
            "rows": MetadataValue.json(published.row_counts),
            "dagster/row_count": sum(published.row_counts.values()),
        })

    return published_marts
