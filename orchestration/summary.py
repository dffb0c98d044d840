"""The closing lines of a headless run: what the warehouse now holds and what failed."""

from orchestration.progress import Print
from orchestration.resources import publish_folder, warehouse


def warehouse_counts() -> dict[str, dict[str, int]]:
    db = warehouse.process_config_and_initialize()
    with db.get_connection(read_only=True) as con:
        def grouped(sql: str) -> dict[str, int]:
            return {str(k): int(v) for k, v in con.execute(sql).fetchall()}

        return {
            "documents": grouped("select status, count(*) from raw.documents group by 1"),
            "rows": grouped("select 'projects', count(*) from raw.projects union all "
                            "select 'indicators', count(*) from raw.indicators"),
            "findings": grouped("select severity, count(*) from raw.findings group by 1"),
        }


def print_summary(report, seconds: float, echo: Print = print) -> None:
    counts = warehouse_counts()
    docs, rows, findings = counts["documents"], counts["rows"], counts["findings"]
    progress = report.progress
    echo("")
    echo(f"summary ({seconds:.0f} s)")
    echo(f"  documents  {len(report.documents)} in the folder; warehouse holds {docs.get('loaded', 0)} loaded, "
         f"{docs.get('rejected', 0)} rejected")
    for name, reason in sorted(report.failed_documents.items()):
        echo(f"    failed   {name}: {reason}")
    echo(f"  projects   {rows.get('projects', 0)}")
    echo(f"  indicators {rows.get('indicators', 0)}")
    echo("  findings   " + ", ".join(f"{findings.get(s, 0)} {s}" for s in ("error", "warning", "info")))
    echo(f"  checks     {progress.checks_run} run, {len(progress.failed_checks)} failed "
         f"({len(progress.blocking_failures)} blocking)")
    for check in progress.failed_checks:
        echo(f"    {check.severity:<5}    {check.asset} · {check.name}" + (f": {check.description}" if check.description else ""))
    for step, reason in progress.failed_steps.items():
        if step != "raw_tables":
            echo(f"  step failed {step}: {reason.splitlines()[0]}")
    echo(f"  warehouse  {warehouse.process_config_and_initialize().path}")
    if "published_marts" in progress.step_seconds:
        echo(f"  published  {publish_folder.process_config_and_initialize().root} (marts for BI tools)")
    echo("  result     " + ("ok" if report.ok else "FAILED"))
