"""Amount-column lines to printed amounts: an amount wrapped inside a narrow cell (``13,994.`` /
``71``) is rejoined; every other line is an amount of its own."""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.grammar.amounts import parse_amount

# An amount or a piece of one as a cell prints it: digits, separators, a decimal point; or the ###
# a spreadsheet prints for a number too wide for its column.
AMOUNT_LIKE = re.compile(r"^(?:\d[\d,]*\.?\d*|[\d,]*\.\d+|#+)$")


def is_complete(text: str) -> bool:
    return parse_amount(text) is not None


def looks_like_amount(text: str) -> bool:
    """An amount, part of one, or ### (text, e.g. a date in a footnote, is not)."""
    return bool(AMOUNT_LIKE.match(text))


def group_amount_lines(texts: Sequence[str]) -> list[list[int]]:
    """Indexes of the lines (compact texts, top to bottom) grouped into printed amounts.

    A line joins the one before when that is not an amount by itself and the two together make
    more of one: no proper prefix of an amount with two decimals is an amount itself, so a
    complete amount never swallows the next line.
    """
    groups: list[list[int]] = []
    joined = ""
    for index, text in enumerate(texts):
        if groups and not is_complete(joined) and (is_complete(joined + text) or not is_complete(text)):
            groups[-1].append(index)
            joined += text
        else:
            groups.append([index])
            joined = text
    return groups
