"""Table rows built by hand, as any layout would hand them to `extract.document`."""

from __future__ import annotations

from decimal import Decimal

from extract.model import Amounts, Lineage
from extract.table import JoinedText, TableRow

INDICATORS = "1、产出指标：完成率，年度指标值：100%。"


def amount(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def row(kind: str, name: str, total: str | None, *funding: str | None, page: int = 1) -> TableRow:
    """A row whose layout shows the funding columns (a PDF, the tab-separated export)."""
    fiscal, special, other = (*map(amount, funding), None, None, None)[:3]
    goal, indicators = JoinedText(), JoinedText()
    if kind == "project":
        goal.add("完成任务。", page=page)
        indicators.add(INDICATORS, page=page)
    components = [v for v in (fiscal, special, other) if v is not None]
    return TableRow(kind, name, amount(total), components,  # type: ignore[arg-type]
                    Amounts(amount(total), fiscal, special, other), goal, indicators, Lineage([page]))
