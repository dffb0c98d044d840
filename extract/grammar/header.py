"""The table's header grammar: title, 单位名称/部门名称 label, currency unit and column-header marks.

Shared by every layout: the text export reads its header lines with `texts_to_header`, the PDF reader
its page furniture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extract.table import TableHeader

TITLE_MARK = "绩效目标表"
HEADER_LABEL = re.compile(r"(?P<label>单位名称|部门名称)\s*[：:]\s*(?P<name>.+?)(?=\s+单位\s*[：:]|\s*$)")
CURRENCY = re.compile(r"(?<![名称])单位\s*[：:]\s*(?P<unit>[^\s\t]+)\s*$")
COLUMN_HEADER_MARKS = ("项目名称", "总计")
DEPARTMENT_TOTAL_NAMES = ("合计", "总计")

# The funding columns, by the `Amounts` field that holds each, with their printed titles.
FUNDING_COLUMNS = ("fiscal", "special_account", "other")
FUNDING_LABELS = {"fiscal": "财政拨款", "special_account": "财政专户拨款", "other": "其他资金"}


def is_column_header(text: str) -> bool:
    """Whether a line holds the column header (项目名称 … 总计 …)."""
    return all(mark in text for mark in COLUMN_HEADER_MARKS)


def texts_to_header(texts: Iterable[str], *, letter_spaced_title: bool = False) -> TableHeader:
    """The title, label, name and currency among the lines printed above the table (the first of each).

    `letter_spaced_title`: the title's spaces are dropped (a PDF prints it letter-spaced).
    """
    title = label = name = currency = None
    for line in texts:
        text = line.strip()
        if title is None and TITLE_MARK in text:
            title = "".join(text.split()) if letter_spaced_title else text
        found_label = HEADER_LABEL.search(text)
        if found_label and label is None:
            label, name = found_label.group("label"), found_label.group("name").strip()
        found_currency = CURRENCY.search(text)
        if found_currency and currency is None:
            currency = found_currency.group("unit")
    return TableHeader(title, label, name, currency)
