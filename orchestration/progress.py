"""What a headless run prints: one line per step (and per document), and what it keeps for the summary."""

from collections.abc import Callable
from dataclasses import dataclass, field

from dagster import AssetCheckSeverity, DagsterEventType, EventLogEntry

from orchestration.assets.extraction import RAW_KEYS

Print = Callable[[str], None]


@dataclass
class FailedCheck:
    asset: str
    name: str
    severity: str
    description: str


@dataclass
class Progress:
    """Listens to a run's events; keeps per-document extraction findings, step times and failed checks."""

    echo: Print = print
    loaded: list[str] = field(default_factory=list)  # partitions of raw/documents materialized
    failed_documents: dict[str, str] = field(default_factory=dict)  # partition → why
    step_seconds: dict[str, float] = field(default_factory=dict)
    failed_steps: dict[str, str] = field(default_factory=dict)
    checks_run: int = 0
    failed_checks: list[FailedCheck] = field(default_factory=list)

    def on_event(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        data = event.event_specific_data
        if event.event_type == DagsterEventType.STEP_SUCCESS:
            self.step_seconds[event.step_key] = data.duration_ms / 1000
            self.echo(f"  ✓ {event.step_key:<24} {data.duration_ms / 1000:6.1f} s")
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            reason = (data.user_failure_data.description if data.user_failure_data else None) or data.error.message
            self.failed_steps[event.step_key] = reason.strip()
            if data.user_failure_data and "failed_documents" in data.user_failure_data.metadata:
                for name in data.user_failure_data.metadata["failed_documents"].value:
                    self.failed_documents[name] = reason.strip()
            self.echo(f"  ✗ {event.step_key:<24} failed: {reason.strip()}")
        elif event.event_type == DagsterEventType.STEP_SKIPPED:
            self.echo(f"  – {event.step_key:<24} skipped: an upstream step or blocking check failed")
        elif event.event_type == DagsterEventType.ASSET_MATERIALIZATION:
            self._on_materialization(event.asset_key, event.partition, data.materialization.metadata)
        elif event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION:
            self._on_check(data)

    def _on_materialization(self, key, partition: str | None, metadata) -> None:
        if key != RAW_KEYS["documents"] or partition is None:
            return
        values = {name: getattr(value, "value", value) for name, value in metadata.items()}
        self.loaded.append(partition)
        self.echo(
            f"    {partition}: {values.get('projects')} projects, {values.get('indicators')} indicators; "
            f"findings {values.get('findings_error')} error / {values.get('findings_warning')} warning / "
            f"{values.get('findings_info')} info"
        )

    def _on_check(self, evaluation) -> None:
        self.checks_run += 1
        if evaluation.passed:
            return
        severity = "ERROR" if evaluation.severity == AssetCheckSeverity.ERROR else "WARN"
        failed = FailedCheck(evaluation.asset_key.to_user_string(), evaluation.check_name, severity,
                             evaluation.description or "")
        self.failed_checks.append(failed)
        self.echo(f"    ! check {failed.asset} · {failed.name} failed ({severity}) {failed.description}".rstrip())

    @property
    def blocking_failures(self) -> list[FailedCheck]:
        return [c for c in self.failed_checks if c.severity == "ERROR"]
