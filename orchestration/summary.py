"""The closing lines of a headless run: what the warehouse now holds and what failed, naming each document
that did not reach the marts whole with its error findings (code, pages or lines, message)."""

from collections import defaultdict
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Loss:
    """An error finding of a document the marts do not hold whole (rejected, or loaded as incomplete)."""

    document: str
    status: str
    code: str
    where: str  # "pages 3–4", "lines 120–131" or ""
    message: str


LOSSES_SQL = """
select d.document_name, d.status, f.code, f.pages, f.line_start, f.line_end, f.message
from raw.documents d left join raw.findings f on f.document_id = d.document_id and f.severity = 'error'
where d.status <> 'loaded' or f.code is not null
order by d.document_name, f.finding_seq
"""


def where(pages: list[int] | None, line_start: int | None, line_end: int | None) -> str:
    if pages:
        first, last = min(pages), max(pages)
        return f"page {first}" if first == last else f"pages {first}–{last}"
    if line_start is not None:
        return f"line {line_start}" if line_end in (None, line_start) else f"lines {line_start}–{line_end}"
    return ""


def losses() -> list[Loss]:
    with warehouse.process_config_and_initialize().get_connection(read_only=True) as con:
        rows = con.execute(LOSSES_SQL).fetchall()
    return [Loss(name, status, code or "", where(pages, start, end), message or "")
            for name, status, code, pages, start, end, message in rows]


def print_losses(found: list[Loss], echo: Print, per_document: int = 5) -> None:
    by_document: dict[tuple[str, str], list[Loss]] = defaultdict(list)
    for loss in found:
        by_document[(loss.document, loss.status)].append(loss)
    for (document, status), items in sorted(by_document.items()):
        echo(f"    {status:<8} {document}")
        for loss in [i for i in items if i.code][:per_document]:
            echo(f"      {loss.code}" + (f" ({loss.where})" if loss.where else "") + f": {loss.message}")
        if len(items) > per_document:
            echo(f"      … {len(items) - per_document} more error findings (raw.findings)")


def print_summary(report, seconds: float, echo: Print = print) -> None:
    counts = warehouse_counts()
    docs, rows, findings = counts["documents"], counts["rows"], counts["findings"]
    progress = report.progress
    echo("")
    echo(f"summary ({seconds:.0f} s)")
    echo(f"  documents  {len(report.documents)} in the folder; warehouse holds {docs.get('loaded', 0)} loaded, "
         f"{docs.get('rejected', 0)} rejected")
    found = losses()
    print_losses(found, echo)
    named = {loss.document for loss in found}
    for name, reason in sorted(report.failed_documents.items()):
        if name not in named:  # not even recorded as rejected (e.g. its load failed)
            echo(f"    failed   {name}: {reason}")
    echo(f"  projects   {rows.get('projects', 0)}")
    echo(f"  indicators {rows.get('indicators', 0)}")
    echo("  findings   " + ", ".join(f"{findings.get(s, 0)} {s}" for s in ("error", "warning", "info")))
    echo(f"  checks     {progress.checks_run} run, {len(progress.blocking_failures)} failed (ERROR, blocking), "
         f"{len(progress.warnings)} warned (WARN, not blocking)")
    for check in progress.failed_checks:
        echo(f"    {check.severity:<5}    {check.asset} · {check.name}" + (f": {check.description}" if check.description else ""))
    for step, reason in progress.failed_steps.items():
        if step != "raw_tables":
            echo(f"  step failed {step}: {reason.splitlines()[0]}")
    echo(f"  warehouse  {warehouse.process_config_and_initialize().path}")
    if "published_marts" in progress.step_seconds:
        echo(f"  published  {publish_folder.process_config_and_initialize().root} (marts for BI tools)")
    echo("  result     " + ("ok" if report.ok else "FAILED"))
