"""A readable per-expectation summary of a gate run."""

from __future__ import annotations

import json
from typing import Any

from expectations.outcome import ExpectationOutcome, StageOutcome, ValidationOutcome

SHOWN_ROWS = 5


def _short(value: Any, width: int = 100) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def expectation_lines(e: ExpectationOutcome) -> list[str]:
    mark = "ok  " if e.success else ("FAIL" if e.severity == "error" else "WARN")
    head = f"  {mark} {e.severity:<7} {e.expectation_type}({e.column or ''})"
    if e.success:
        return [head]
    lines = [head + (f"  {e.unexpected_count} rows" if e.unexpected_count else "")]
    if e.description:
        lines.append(f"         {e.description}")
    if e.observed_value is not None:
        lines.append(f"         observed: {_short(e.observed_value)}")
    lines += [f"         row: {_short(row, 140)}" for row in e.failing_rows[:SHOWN_ROWS]]
    if len(e.failing_rows) > SHOWN_ROWS:
        lines.append(f"         … {(e.unexpected_count or len(e.failing_rows)) - SHOWN_ROWS} more")
    return lines


def table_lines(t: ValidationOutcome, verbose: bool = True) -> list[str]:
    status = "BLOCKED" if t.blocking else ("passed with warnings" if not t.success else "passed")
    lines = [f"{t.suite_name} ({t.table}, {t.row_count} rows, {len(t.expectations)} expectations): {status}"]
    for e in t.expectations:
        if verbose or not e.success:
            lines += expectation_lines(e)
    return lines


def stage_summary(outcome: StageOutcome, verbose: bool = True) -> str:
    lines = [f"{outcome.stage} gate, run {outcome.run_id}"]
    for t in outcome.tables:
        lines += table_lines(t, verbose)
    errors, warnings = outcome.failed("error"), outcome.failed("warning")
    verdict = "BLOCKED" if outcome.blocking else "passed"
    lines.append(
        f"{outcome.stage} gate {verdict}: {sum(len(t.expectations) for t in outcome.tables)} expectations on "
        f"{len(outcome.tables)} tables, {len(errors)} error and {len(warnings)} warning failures "
        f"({outcome.seconds:.2f}s)"
    )
    if outcome.docs_index:
        lines.append(f"Data Docs: {outcome.docs_index}")
    return "\n".join(lines)
