"""The one partitioning of the pipeline: a dynamic partition per document file, keyed by file name."""

from __future__ import annotations

from dagster import DynamicPartitionsDefinition

DOCUMENT_PARTITIONS_NAME = "documents"

document_partitions = DynamicPartitionsDefinition(name=DOCUMENT_PARTITIONS_NAME)
