"""Dagster orchestration of the budget warehouse: documents → raw → staging → marts, with checks."""

import os

# A ranged run's per-document events (materializations, "planned" events) reach the storage in batches of
# this many instead of one by one (Dagster reads the variable as it logs; 0 turns batching off). With
# `orchestration.event_log.BatchingSqliteStorage` or PostgreSQL a batch is one write. Every process that
# runs steps imports this package, so the default holds for them all; the environment can override it.
EVENT_BATCH_SIZE = os.environ.setdefault("DAGSTER_EVENT_BATCH_SIZE", "1000")
