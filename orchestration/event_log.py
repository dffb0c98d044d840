"""Dagster's SQLite storage, storing a batch of asset events in one statement per database.

A ranged run over N documents records, per raw asset, N "materialization planned" events when it starts
and N materializations when its step ends. Dagster hands such events over in batches when
``DAGSTER_EVENT_BATCH_SIZE`` is set (`orchestration.EVENT_BATCH_SIZE`), and its PostgreSQL storage writes a
batch at once, but its SQLite storage writes them one by one: for every event a connection to the run's
database, another to the index, and the asset's row rewritten. That made 10,000 documents cost about two
hundred thousand transactions (≈200 ms of storage per document on this machine).

`BatchingSqliteStorage` is Dagster's `DagsterSqliteStorage` (same files under ``base_dir``, so an existing
$DAGSTER_HOME keeps its history) whose event log writes a batch of asset events as: one insert into the
run's database, one insert into the index returning the new ids, their tags, and each asset's row updated
once, with the last event of each kind (the row only keeps the latest run, timestamp and materialization).
What is stored is what Dagster stores event by event; only the number of round trips changes. Any other
event still goes through Dagster's own `store_event`.
"""

from __future__ import annotations

from collections.abc import Sequence

from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.schema import SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from dagster._serdes import ConfigurableClassData
from dagster_shared import check

# Asset events that only touch the event tables (asset check events also write the check tables).
_BULK_EVENTS = {"ASSET_MATERIALIZATION", "ASSET_OBSERVATION", "ASSET_MATERIALIZATION_PLANNED",
                "ASSET_FAILED_TO_MATERIALIZE"}


class BatchingSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with a `store_event_batch` that writes the batch at once."""

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        check.sequence_param(events, "events", of_type=EventLogEntry)
        bulk, other = [], []
        for event in events:
            is_bulk = (event.is_dagster_event and event.dagster_event.asset_key
                       and event.dagster_event.event_type_value in _BULK_EVENTS)
            (bulk if is_bulk else other).append(event)
        for event in other:
            self.store_event(event)
        for run_id in dict.fromkeys(e.run_id for e in bulk):
            self._store_run_batch([e for e in bulk if e.run_id == run_id])

    def _store_run_batch(self, events: list[EventLogEntry]) -> None:
        rows = [self._event_to_row(event) for event in events]
        insert = SqlEventLogStorageTable.insert()
        with self.run_connection(events[0].run_id) as conn:
            conn.execute(insert, rows)
        with self.index_transaction() as conn:
            result = conn.execute(insert.returning(SqlEventLogStorageTable.c.id, sort_by_parameter_order=True),
                                  rows)
            event_ids = [row[0] for row in result.fetchall()]
            self._store_asset_event_tags(conn, events, event_ids)
            latest = {}  # (asset, kind) → its last event: the asset row keeps only the latest
            for event, event_id in zip(events, event_ids, strict=True):
                latest[(event.dagster_event.asset_key, event.dagster_event.event_type_value)] = (event_id, event)
            for event_id, event in sorted(latest.values(), key=lambda pair: pair[0]):
                self._store_asset_event(conn, event, event_id)


class BatchingSqliteStorage(DagsterSqliteStorage):
    """Dagster's SQLite storage (runs, event logs, schedules under ``base_dir``) with the batching event log.

    In dagster.yaml::

        storage:
          custom:
            module: orchestration.event_log
            class: BatchingSqliteStorage
            config: {base_dir: {env: DAGSTER_HOME}}
    """

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = BatchingSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData, config_value) -> BatchingSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)

