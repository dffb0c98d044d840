"""Table rows to the document's units, projects and indicators: where rows become a document.

Pure: `rows_to_units` returns new records and the findings for rows that do not fit; it works the
same for every layout, since every layout hands over the same `TableRow`s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from extract.findings import finding
from extract.grammar.indicators import parse_indicators
from extract.model import Amounts, Attribution, Finding, Lineage, Project, Unit
from extract.table import TableHeader, TableRow

IndicatorFormat = Literal["none", "three_level", "one_level", "mixed"]


@dataclass(frozen=True)
class TableContents:
    """What a table's rows hold: its units with their projects, the 合计 row, and what did not fit."""

    units: list[Unit]
    department_total: Amounts | None
    department_components: list[Decimal]
    indicator_format: IndicatorFormat
    findings: list[Finding]


def rows_to_units(rows: Iterable[TableRow], header: TableHeader) -> TableContents:
    """Each unit row opens a unit, the project rows after it are its projects; a 合计 row is the department's."""
    units: list[Unit] = []
    findings: list[Finding] = []
    formats: set[str] = set()
    department_total: Amounts | None = None
    department_components: list[Decimal] = []
    for row in rows:
        if row.kind == "total":
            department_total, department_components = row_amounts(row), row.components
            continue
        if row.kind == "unit":
            units.append(Unit(row.name, row_amounts(row), row.components, row_attribution(row), [], row.lineage))
            if row.goal.text or row.indicators.text:
                findings.append(_unparsed(row.goal.text + row.indicators.text, row.lineage, row.name, None))
            continue
        if not units:
            units.append(Unit(header.name or "", Amounts(), [], "unknown", [], Lineage()))
            findings.append(finding(
                "project_without_unit",
                f"Project {row.name} comes before any unit row; it is filed under {units[-1].name or 'an unnamed unit'}.",
                unit=units[-1].name, lineage=row.lineage,
            ))
        unit = units[-1]
        project, project_findings, project_formats = row_to_project(row, len(unit.projects) + 1, unit.name)
        unit.projects.append(project)  # the unit is this function's own, still being built
        findings += project_findings
        formats |= project_formats
    return TableContents(units, department_total, department_components, _indicator_format(formats), findings)


def row_to_project(row: TableRow, seq: int, unit: str) -> tuple[Project, list[Finding], set[str]]:
    """The project of a project row, the findings on it, and the indicator formats it uses."""
    parsed = parse_indicators(row.indicators.text, row.indicators.lineage)
    findings = [
        _unparsed(leftover.text, row.indicators.lineage(leftover.start, leftover.end), unit, seq, f"({leftover.reason})")
        for leftover in parsed.leftovers
    ]
    project = Project(
        seq=seq,
        name=row.name,
        amounts=row_amounts(row),
        components=row.components,
        attribution=row_attribution(row),
        goal=row.goal.text,
        indicators=parsed.indicators,
        lineage=row.lineage,
    )
    if not project.indicators:
        findings.append(finding("project_without_indicators", f"Project {project.name} has no indicators.",
                                unit=unit, project_seq=seq, lineage=row.lineage))
    if not project.goal:
        findings.append(finding("project_without_goal", f"Project {project.name} has no 绩效目标 text.",
                                unit=unit, project_seq=seq, lineage=row.lineage))
    return project, findings, parsed.formats


def row_amounts(row: TableRow) -> Amounts:
    if row.funding is not None:
        return Amounts(row.total, row.funding.fiscal, row.funding.special_account, row.funding.other)
    return Amounts(total=row.total)


def row_attribution(row: TableRow) -> Attribution:
    """Whether each amount's funding column is known: only where the layout shows the columns."""
    return "explicit" if row.funding is not None else "unknown"


def _indicator_format(formats: set[str]) -> IndicatorFormat:
    if not formats:
        return "none"
    if len(formats) == 1:
        return next(iter(formats))  # type: ignore[return-value]
    return "mixed"


def _unparsed(text: str, lineage: Lineage, unit: str | None, seq: int | None, why: str = "") -> Finding:
    where = f"lines {lineage.line_start}-{lineage.line_end}" if lineage.line_start else (
        f"page(s) {', '.join(map(str, lineage.pages))}" if lineage.pages else "an unknown place")
    return finding(
        "unparsed_text",
        f"Text at {where} could not be placed in a field {why}: {text!r}".replace("  ", " "),
        unit=unit, project_seq=seq, lineage=lineage, text=text,
    )
