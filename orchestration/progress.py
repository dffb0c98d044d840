"""What a headless run prints: one line per step (and per document), and what it keeps for the summary."""

from collections.abc import Callable
from dataclasses import dataclass, field

from dagster import AssetCheckSeverity, DagsterEventType, EventLogEntry

from orchestration.constants import RAW_KEYS

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
    started_steps: set[str] = field(default_factory=set)
    step_seconds: dict[str, float] = field(default_factory=dict)
    failed_steps: dict[str, str] = field(default_factory=dict)
    checks_run: int = 0
    failed_checks: list[FailedCheck] = field(default_factory=list)

    def on_event(self, entry: EventLogEntry) -> None:
        event = entry.dagster_event
        if event is None:
            return
        data = event.event_specific_data
        if event.event_type == DagsterEventType.STEP_START:
            self.started_steps.add(event.step_key)
        elif event.event_type == DagsterEventType.STEP_SUCCESS:
            self.step_seconds[event.step_key] = data.duration_ms / 1000
            self.echo(f"  ✓ {event.step_key:<24} {data.duration_ms / 1000:6.1f} s")
        elif event.event_type == DagsterEventType.STEP_FAILURE:
            reason = failure_reason(data)
            self.failed_steps[event.step_key] = reason
            if data.user_failure_data and "failed_documents" in data.user_failure_data.metadata:
                for name in data.user_failure_data.metadata["failed_documents"].value:
                    self.failed_documents[name] = reason
            self.echo(f"  ✗ {event.step_key:<24} failed: {reason}")
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
        failures = evaluation.metadata.get("failures")
        detail = "; ".join(
            f"{f.get('expectation')}({f.get('column') or ''}) {f.get('severity')}, {f.get('unexpected_count')} rows"
            for f in (failures.value if failures else [])[:3]
        )
        failed = FailedCheck(evaluation.asset_key.to_user_string(), evaluation.check_name, severity,
                             " — ".join(filter(None, [evaluation.description, detail])))
        self.failed_checks.append(failed)
        outcome = "failed (ERROR)" if severity == "ERROR" else "warned (WARN)"
        self.echo(f"    ! check {failed.asset} · {failed.name} {outcome} {failed.description}".rstrip())

    def not_run(self, steps: list[str]) -> None:
        """Say which of a failed run's steps never started (blocked by a failed step or blocking check)."""
        for step in steps:
            if step not in self.started_steps:
                self.echo(f"  – {step:<24} not run: an upstream step or a blocking check failed")

    @property
    def blocking_failures(self) -> list[FailedCheck]:
        return [c for c in self.failed_checks if c.severity == "ERROR"]

    @property
    def warnings(self) -> list[FailedCheck]:
        """Checks that failed with WARN severity: reported, blocking nothing."""
        return [c for c in self.failed_checks if c.severity != "ERROR"]


def failure_reason(data) -> str:
    """A step failure in a line: the `Failure` description, or the error without its exception class."""
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description.strip()
    message = data.error.message.strip()
    message = message.split(": ", 1)[1] if message.split(": ", 1)[0].endswith(("Error", "Exception")) else message
    return " ".join(message.split())
