"""Reconciliation: every gap between amounts that should agree, as a warning. Numbers are never changed."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from extract.findings import finding
from extract.grammar.amounts import same
from extract.grammar.header import FUNDING_COLUMNS, FUNDING_LABELS
from extract.model import Amounts, ExtractedDocument, Finding, Lineage, Unit


def reconcile(doc: ExtractedDocument) -> list[Finding]:
    findings: list[Finding] = []
    for unit in doc.units:
        findings += _row_split(unit.name, None, unit.amounts, unit.components, unit.lineage)
        for project in unit.projects:
            findings += _row_split(unit.name, project.seq, project.amounts, project.components, project.lineage)
        findings += _unit_sums(unit)
    if doc.department_total is not None:
        findings += _row_split("合计", None, doc.department_total, doc.department_components, Lineage())
    if doc.department_total is not None and doc.units:
        units_sum = _sum(u.amounts.total for u in doc.units)
        if not same(units_sum, doc.department_total.total):
            findings.append(finding(
                "department_total_mismatch",
                f"The 合计 row says {doc.department_total.total} but its units sum to {units_sum} "
                f"(gap {_gap(doc.department_total.total, units_sum)}).",
            ))
    return findings


def _row_split(
    unit: str, seq: int | None, amounts: Amounts, components: list[Decimal], lineage: Lineage
) -> list[Finding]:
    """A row's funding amounts against its own total."""
    if not components:
        return []
    parts = sum(components, Decimal(0))
    if amounts.total is not None and same(parts, amounts.total):
        return []
    who = f"project {seq} of {unit}" if seq else f"the unit row of {unit or '(no name)'}"
    # A row without a total (e.g. a PDF row whose 总计 cell is empty): the amounts it does print are unchecked.
    against = ("but the row prints no total." if amounts.total is None
               else f"not the printed total {amounts.total} (gap {_gap(amounts.total, parts)}).")
    return [finding(
        "row_components_mismatch",
        f"In {who} the funding amounts {', '.join(str(c) for c in components)} sum to {parts}, {against}",
        unit=unit, project_seq=seq, lineage=lineage,
    )]


def _unit_sums(unit: Unit) -> list[Finding]:
    """A unit row against the sums of its projects: total and, where columns are known, each column."""
    if not unit.projects:
        if unit.amounts.total is None and not unit.components:
            return []
        # Nothing to add up: a unit row no project follows (cut off after it, or a misread row such
        # as a 合计 row whose label was lost) would otherwise pass unchecked, its amounts counted twice.
        return [finding(
            "unit_without_projects",
            f"Unit {unit.name or '(no name)'} prints amounts ({_printed(unit.amounts)}) but no project rows "
            "follow it, so they cannot be checked against its projects.",
            unit=unit.name, lineage=unit.lineage,
        )]
    findings: list[Finding] = []
    projects_sum = _sum(p.amounts.total for p in unit.projects)
    if unit.amounts.total is not None and not same(projects_sum, unit.amounts.total):
        findings.append(finding(
            "unit_total_mismatch",
            f"Unit {unit.name} prints a total of {unit.amounts.total} but its {len(unit.projects)} projects "
            f"sum to {projects_sum} (gap {_gap(unit.amounts.total, projects_sum)}).",
            unit=unit.name, lineage=unit.lineage,
        ))
    if unit.attribution == "explicit" and all(p.attribution == "explicit" for p in unit.projects):
        for column in FUNDING_COLUMNS:
            printed = getattr(unit.amounts, column) or Decimal(0)
            summed = _sum(getattr(p.amounts, column) for p in unit.projects)
            if not same(printed, summed):
                label = FUNDING_LABELS[column]
                findings.append(finding(
                    "unit_column_mismatch",
                    f"Unit {unit.name} prints {label} {printed} but its projects' {label} sum to {summed} "
                    f"(gap {_gap(printed, summed)}).",
                    unit=unit.name, lineage=unit.lineage,
                ))
    return findings


def _sum(amounts: Iterable[Decimal | None]) -> Decimal:
    """The sum of amounts, an empty cell counting 0."""
    return sum((a or Decimal(0) for a in amounts), Decimal(0))


def _printed(amounts: Amounts) -> str:
    values = [(FUNDING_LABELS.get(k, "总计"), getattr(amounts, k)) for k in ("total", *FUNDING_COLUMNS)]
    return ", ".join(f"{label} {value}" for label, value in values if value is not None)


def _gap(printed: Decimal | None, summed: Decimal) -> Decimal:
    return (printed or Decimal(0)) - summed
