"""An ephemeral Great Expectations context: no GX project folder; results and Data Docs where we say
(`expectations.data_docs`).

Tables are validated as pandas DataFrames read from DuckDB rather than through GX's SQL datasource:
GX's SQL path over duckdb_engine has known failures, while the pandas path works with GX 1.24 and
pandas 3, and the frames are small (one row per project or indicator).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")  # no network calls from a warehouse job

import great_expectations as gx  # noqa: E402
from great_expectations.core.batch_definition import BatchDefinition  # noqa: E402
from great_expectations.data_context import AbstractDataContext  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.exceptions import DataContextError  # noqa: E402

from expectations.data_docs import add_site  # noqa: E402
from expectations.suite import TableSuite  # noqa: E402

DATA_SOURCE = "budget_warehouse"

logging.getLogger("great_expectations").setLevel(logging.WARNING)


def quality_context(docs_dir: Path | None) -> AbstractDataContext:
    """Suites and validation definitions in memory; validation results and Data Docs in `docs_dir` (without
    one, results stay in memory and no site is built)."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in context.get_site_names():
        context.delete_data_docs_site(site)
    if docs_dir is not None:
        add_site(context, docs_dir)
    return context


def validation_for(context: AbstractDataContext, suite: TableSuite) -> gx.ValidationDefinition:
    """The suite's validation definition, registered on first use: a whole-DataFrame batch and its suite."""
    try:
        return context.validation_definitions.get(suite.name)
    except DataContextError:
        pass
    try:
        source = context.data_sources.get(DATA_SOURCE)
    except KeyError:
        source = context.data_sources.add_pandas(DATA_SOURCE)
    batch: BatchDefinition = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe(suite.name)
    gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name, expectations=suite.expectations()))
    return context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))
