"""Reconciliation: report every gap between amounts that should agree. Numbers are never changed."""

from __future__ import annotations

from decimal import Decimal

from extract.grammar.amounts import same
from extract.grammar.header import FUNDING_COLUMNS, FUNDING_LABELS
from extract.model import Amounts, ExtractedDocument, Finding, Lineage


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
        units_sum = sum((u.amounts.total or Decimal(0) for u in doc.units), Decimal(0))
        if not same(units_sum, doc.department_total.total):
            findings.append(
                Finding(
                    "warning",
                    "department_total_mismatch",
                    f"The 合计 row says {doc.department_total.total} but its units sum to {units_sum} "
                    f"(gap {_gap(doc.department_total.total, units_sum)}).",
                )
            )
    return findings


def _row_split(unit, seq, amounts: Amounts, components, lineage) -> list[Finding]:
    if not components:
        return []
    parts = sum(components, Decimal(0))
    who = f"project {seq} of {unit}" if seq else f"the unit row of {unit or '(no name)'}"
    if amounts.total is None:  # e.g. a PDF row whose 总计 cell is empty: the amounts it does print are unchecked
        return [
            Finding(
                "warning",
                "row_components_mismatch",
                f"In {who} the funding amounts {', '.join(str(c) for c in components)} sum to {parts}, "
                "but the row prints no total.",
                unit,
                seq,
                lineage,
            )
        ]
    if same(parts, amounts.total):
        return []
    return [
        Finding(
            "warning",
            "row_components_mismatch",
            f"In {who} the funding amounts {', '.join(str(c) for c in components)} sum to {parts}, "
            f"not the printed total {amounts.total} (gap {_gap(amounts.total, parts)}).",
            unit,
            seq,
            lineage,
        )
    ]


def _unit_sums(unit) -> list[Finding]:
    if not unit.projects:
        if unit.amounts.total is None and not unit.components:
            return []
        # Nothing to add up: a unit row no project follows (cut off after it, or a misread row such
        # as a 合计 row whose label was lost) would otherwise pass unchecked, its amounts counted twice.
        return [
            Finding(
                "warning",
                "unit_without_projects",
                f"Unit {unit.name or '(no name)'} prints amounts ({_printed(unit.amounts)}) but no project rows "
                "follow it, so they cannot be checked against its projects.",
                unit.name,
                None,
                unit.lineage,
            )
        ]
    findings = []
    projects_sum = sum((p.amounts.total or Decimal(0) for p in unit.projects), Decimal(0))
    if unit.amounts.total is not None and not same(projects_sum, unit.amounts.total):
        findings.append(
            Finding(
                "warning",
                "unit_total_mismatch",
                f"Unit {unit.name} prints a total of {unit.amounts.total} but its {len(unit.projects)} projects "
                f"sum to {projects_sum} (gap {_gap(unit.amounts.total, projects_sum)}).",
                unit.name,
                None,
                unit.lineage,
            )
        )
    if unit.attribution == "explicit" and all(p.attribution == "explicit" for p in unit.projects):
        for column in FUNDING_COLUMNS:
            printed = getattr(unit.amounts, column) or Decimal(0)
            summed = sum((getattr(p.amounts, column) or Decimal(0) for p in unit.projects), Decimal(0))
            if not same(printed, summed):
                findings.append(
                    Finding(
                        "warning",
                        "unit_column_mismatch",
                        f"Unit {unit.name} prints {FUNDING_LABELS[column]} {printed} but its projects' "
                        f"{FUNDING_LABELS[column]} sum to {summed} (gap {_gap(printed, summed)}).",
                        unit.name,
                        None,
                        unit.lineage,
                    )
                )
    return findings


def _printed(amounts: Amounts) -> str:
    values = [(FUNDING_LABELS.get(k, "总计"), getattr(amounts, k)) for k in ("total", *FUNDING_COLUMNS)]
    return ", ".join(f"{label} {value}" for label, value in values if value is not None)


def _gap(printed: Decimal | None, summed: Decimal) -> Decimal:
    return (printed or Decimal(0)) - summed
