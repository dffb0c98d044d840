"""The tab-separated text export: one table row per line, empty cells kept, so columns are explicit."""

from __future__ import annotations

from decimal import Decimal

from extract.findings import finding
from extract.grammar.amounts import parse_amount
from extract.grammar.header import DEPARTMENT_TOTAL_NAMES
from extract.layouts.base import Layout, is_pdf
from extract.layouts.text.export import Line, has_tabbed_body, text_export_to_table
from extract.model import Amounts, Finding, Lineage
from extract.table import TableRead, TableRow

CELLS = 7


def lines_to_rows(body: list[Line]) -> tuple[list[TableRow], list[Finding]]:
    rows: list[TableRow] = []
    findings: list[Finding] = []
    for line in body:
        if not line.text:
            continue
        cells = (line.raw.split("\t") + [""] * CELLS)[:CELLS]
        extra = line.raw.split("\t")[CELLS:]
        if any(c.strip() for c in extra):
            findings.append(_unparsed(line, "\t".join(extra), "cells beyond the 7 table columns"))
        if "\t" not in line.raw:
            findings.append(_unparsed(line, line.text, "a line without table cells"))
            continue
        if not cells[0].strip() and rows:
            _continue_row(rows[-1], cells, line, findings)
            continue
        rows.append(_row(cells, line, findings))
    return rows, findings


def _row(cells: list[str], line: Line, findings: list[Finding]) -> TableRow:
    name = cells[0].strip()
    total = _amount(cells[1], line, findings)
    funding = Amounts(
        total,
        _amount(cells[2], line, findings),
        _amount(cells[3], line, findings),
        _amount(cells[4], line, findings),
    )
    components = [v for v in (funding.fiscal, funding.special_account, funding.other) if v is not None]
    goal, indicators = cells[5].strip(), cells[6].strip()
    if name in DEPARTMENT_TOTAL_NAMES:
        kind = "total"
    elif not goal and not indicators:
        kind = "unit"
    else:
        kind = "project"
    row = TableRow(kind, name, total, components, funding, lineage=Lineage.span([line.no]))
    row.goal.add(goal, line.no)
    row.indicators.add(indicators, line.no)
    return row


def _continue_row(row: TableRow, cells: list[str], line: Line, findings: list[Finding]) -> None:
    """A row split by a page break: the continuation has an empty name cell."""
    if any(c.strip() for c in cells[1:5]):
        findings.append(_unparsed(line, " ".join(cells[1:5]).strip(), "amounts on a continuation line"))
    row.goal.add(cells[5], line.no)
    row.indicators.add(cells[6], line.no)
    row.lineage = Lineage.span([row.lineage.line_start or line.no, line.no])


def _amount(cell: str, line: Line, findings: list[Finding]) -> Decimal | None:
    cell = cell.strip()
    if not cell:
        return None
    value = parse_amount(cell)
    if value is None:
        findings.append(_unparsed(line, cell, "not an amount"))
    return value


def _unparsed(line: Line, text: str, why: str) -> Finding:
    return finding(
        "unparsed_text",
        f"Line {line.no}: {why}: {text!r}",
        lineage=Lineage.span([line.no]),
        text=text,
    )


def tabbed_export_to_table(name: str, data: bytes) -> TableRead:
    return text_export_to_table(name, data, lines_to_rows)


LAYOUT = Layout("text_tabbed", lambda name, data: not is_pdf(name, data) and has_tabbed_body(data), tabbed_export_to_table)
