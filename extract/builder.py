"""Table rows (from any layout reader) to an `ExtractedDocument`: indicators, units, reconciliation."""

from __future__ import annotations

from collections.abc import Iterable

from extract.grammar.indicators import parse_indicators
from extract.model import Amounts, ExtractedDocument, Finding, Lineage, Project, Unit
from extract.reconcile import reconcile
from extract.table import TableRow


def build_units(doc: ExtractedDocument, rows: Iterable[TableRow]) -> None:
    """Fill `doc` with the units and projects of `rows`, adding findings for what does not fit."""
    formats: set[str] = set()
    unit: Unit | None = None
    for row in rows:
        if row.kind == "total":
            doc.department_total = _amounts(row)
            doc.department_components = row.components
            continue
        if row.kind == "unit":
            unit = Unit(row.name, _amounts(row), row.components, _attribution(row), [], row.lineage)
            doc.units.append(unit)
            if row.goal.text or row.indicators.text:
                doc.findings.append(_unparsed(row.goal.text + row.indicators.text, row.lineage, row.name, None))
            continue
        if unit is None:
            unit = Unit(doc.header_name or "", Amounts(), [], "unknown", [], Lineage())
            doc.units.append(unit)
            doc.findings.append(
                Finding(
                    "warning",
                    "project_without_unit",
                    f"Project {row.name} comes before any unit row; it is filed under {unit.name or 'an unnamed unit'}.",
                    unit.name,
                    None,
                    row.lineage,
                )
            )
        project = Project(
            seq=len(unit.projects) + 1,
            name=row.name,
            amounts=_amounts(row),
            components=row.components,
            attribution=_attribution(row),
            goal=row.goal.text,
            indicators=[],
            lineage=row.lineage,
        )
        parsed = parse_indicators(row.indicators.text)
        for indicator in parsed.indicators:
            start = row.indicators.text.find(indicator.source_text)
            indicator.lineage = row.indicators.lineage(start, start + len(indicator.source_text))
        project.indicators = parsed.indicators
        formats |= parsed.formats
        for leftover in parsed.leftovers:
            doc.findings.append(
                _unparsed(
                    leftover.text,
                    row.indicators.lineage(leftover.start, leftover.end),
                    unit.name,
                    project.seq,
                    f"({leftover.reason})",
                )
            )
        if not project.indicators:
            doc.findings.append(
                Finding("warning", "project_without_indicators", f"Project {project.name} has no indicators.",
                        unit.name, project.seq, row.lineage)
            )
        if not project.goal:
            doc.findings.append(
                Finding("warning", "project_without_goal", f"Project {project.name} has no 绩效目标 text.",
                        unit.name, project.seq, row.lineage)
            )
        unit.projects.append(project)
    doc.indicator_format = (
        "none" if not formats else formats.pop() if len(formats) == 1 else "mixed"
    )
    doc.findings.extend(reconcile(doc))


def _amounts(row: TableRow) -> Amounts:
    if row.funding is not None:
        return Amounts(row.total, row.funding.fiscal, row.funding.special_account, row.funding.other)
    return Amounts(total=row.total)


def _attribution(row: TableRow) -> str:
    if row.funding is not None:
        return "explicit"
    return "unknown"


def _unparsed(text: str, lineage: Lineage, unit: str | None, seq: int | None, why: str = "") -> Finding:
    where = f"lines {lineage.line_start}-{lineage.line_end}" if lineage.line_start else (
        f"page(s) {', '.join(map(str, lineage.pages))}" if lineage.pages else "an unknown place")
    return Finding(
        "warning",
        "unparsed_text",
        f"Text at {where} could not be placed in a field {why}: {text!r}".replace("  ", " "),
        unit,
        seq,
        lineage,
        text,
    )
