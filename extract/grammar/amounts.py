"""Amounts as printed (``13,994.71``) to exact decimals."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# An amount as printed: 万元 with thousands separators and two decimals.
AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$|^\d+\.\d{2}$")
# Two amounts that differ by less are the same printed figure (they have two decimals).
SAME_AMOUNT_TOLERANCE = Decimal("0.005")


def parse_amount(token: str) -> Decimal | None:
    token = token.strip()
    if not AMOUNT.match(token):
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


def join_broken_amounts(tokens: list[str]) -> tuple[list[Decimal], list[str]]:
    """Amounts from tokens, re-joining numbers a line break split ("372.6" + "5" -> 372.65).

    Returns the amounts and the tokens that are neither an amount nor part of one.
    """
    amounts: list[Decimal] = []
    rejected: list[str] = []
    i = 0
    while i < len(tokens):
        value = parse_amount(tokens[i])
        if value is None and i + 1 < len(tokens):
            joined = parse_amount(tokens[i] + tokens[i + 1])
            if joined is not None:
                amounts.append(joined)
                i += 2
                continue
        if value is None:
            rejected.append(tokens[i])
        else:
            amounts.append(value)
        i += 1
    return amounts, rejected


def same(a: Decimal | None, b: Decimal | None, tolerance: Decimal = SAME_AMOUNT_TOLERANCE) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < tolerance
