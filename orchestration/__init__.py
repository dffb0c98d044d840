"""Dagster orchestration of the budget warehouse: documents → raw → staging → marts, with checks."""
