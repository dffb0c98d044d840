"""The indicator grammar (绩效指标), shared by every layout reader.

Two formats occur in the published tables:

* three-level: ``1、1-产出指标；11-数量指标；日常保洁频率；实施周期指标值:每天2次；年度指标值:2次/天。``
* one-level:   ``1、效益指标：校园绿化保持率，年度指标值：90%以上。``

Splitting on ``；`` or ``，`` is wrong: values contain ``；`` and names contain ``，``/``：``. Items are
therefore found by their running sequence number (``k、`` followed by a level), and fields by the
two value labels, which never occur inside names or values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from extract.model import Indicator, Lineage

LineageOf = Callable[[int, int], Lineage]

ITEM_START = re.compile(r"(\d{1,3})、")
LEVEL_AHEAD = re.compile(r"\s*(?:\d{1,2}\s*-|[\u4e00-\u9fff]{2,4}指标\s*[：:，,])")
THREE_LEVEL = re.compile(
    r"^\s*(?P<l1c>\d{1,2})\s*-\s*(?P<l1>[^；;]*?)\s*[；;]\s*(?P<l2c>\d{1,3})\s*-\s*(?P<l2>[^；;]*?)\s*[；;](?P<rest>.*)$",
    re.S,
)
ONE_LEVEL = re.compile(r"^\s*(?P<l1>[\u4e00-\u9fff]{2,5}指标)\s*[：:，,]\s*(?P<rest>.*)$", re.S)
PERIOD_LABEL = re.compile(r"实施周期指标值\s*[:：]?")
ANNUAL_LABEL = re.compile(r"年度指标值\s*[:：]?")
ONE_LEVEL_ANNUAL = re.compile(r"[，,]?\s*年度指标值\s*[:：]?")
FIELD_SEPARATOR = "；;"
CLOSING = "。.．"


@dataclass
class Leftover:
    """Indicator text the grammar could not place in a field."""

    text: str
    start: int
    end: int
    reason: str


@dataclass
class IndicatorParse:
    indicators: list[Indicator] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)
    formats: set[str] = field(default_factory=set)


def find_item_starts(text: str) -> list[tuple[int, int]]:
    """(seq, offset) of each item, following the running sequence 1, 2, 3 …"""
    starts: list[tuple[int, int]] = []
    first = next((m for m in ITEM_START.finditer(text) if LEVEL_AHEAD.match(text, m.end())), None)
    if first is None:
        return starts
    # Cells start at 1; a fragment may start later, and the GX raw gate checks that seqs run 1..N.
    pos, expected = 0, int(first.group(1))
    while True:
        candidates = [m for m in ITEM_START.finditer(text, pos) if int(m.group(1)) == expected]
        if not candidates:
            return starts
        chosen = _best_start(text, candidates)
        starts.append((expected, chosen.start()))
        pos, expected = chosen.end(), expected + 1


def _best_start(text: str, candidates: list[re.Match[str]]) -> re.Match[str]:
    def after_closing(m: re.Match[str]) -> bool:
        i = m.start() - 1
        while i >= 0 and text[i].isspace():
            i -= 1
        return i < 0 or text[i] in CLOSING

    def level_follows(m: re.Match[str]) -> bool:
        return bool(LEVEL_AHEAD.match(text, m.end()))

    # A digit run like "12、" inside "2、" must not count: require a non-digit before the number.
    candidates = [m for m in candidates if m.start() == 0 or not text[m.start() - 1].isdigit()] or candidates
    for test in (lambda m: after_closing(m) and level_follows(m), level_follows, after_closing):
        for m in candidates:
            if test(m):
                return m
    return candidates[0]


def parse_indicators(text: str, lineage_of: LineageOf | None = None) -> IndicatorParse:
    """Parse a whole 绩效指标 cell (wrapped lines already joined) into indicators.

    `lineage_of(start, end)`: where the characters text[start:end] came from, for each indicator's lineage.
    """
    result = IndicatorParse()
    if not text.strip():
        return result
    starts = find_item_starts(text)
    if not starts:
        result.leftovers.append(Leftover(text, 0, len(text), "no numbered indicator found"))
        return result
    if text[: starts[0][1]].strip():
        result.leftovers.append(Leftover(text[: starts[0][1]], 0, starts[0][1], "text before the first indicator"))
    bounds = [offset for _, offset in starts] + [len(text)]
    for (seq, start), end in zip(starts, bounds[1:], strict=True):
        item = text[start:end]
        body = item[ITEM_START.match(item).end() :]  # type: ignore[union-attr]
        source = item.strip()
        found = text.find(source)
        lineage = lineage_of(found, found + len(source)) if lineage_of is not None else Lineage()
        indicator, fmt = parse_item(seq, body, source, lineage)
        if indicator is None:
            result.leftovers.append(Leftover(item, start, end, "indicator not in a known format"))
            continue
        result.indicators.append(indicator)
        result.formats.add(fmt)
    return result


def parse_item(
    seq: int, body: str, source_text: str = "", lineage: Lineage | None = None
) -> tuple[Indicator | None, str]:
    """The indicator in one item's text after its ``k、``, and its format (three_level, one_level)."""
    indicator = partial(Indicator, seq=seq, source_text=source_text, lineage=lineage or Lineage())
    three = THREE_LEVEL.match(body)
    if three:
        name, period, annual = _split_three_level_rest(three.group("rest"))
        if name is not None:
            return indicator(
                level1_code=three.group("l1c"), level1=three.group("l1").strip(),
                level2_code=three.group("l2c"), level2=three.group("l2").strip(),
                name=name, period_value=period, annual_value=annual,
            ), "three_level"
    one = ONE_LEVEL.match(body)
    if one:
        rest = one.group("rest")
        labels = list(ONE_LEVEL_ANNUAL.finditer(rest))
        if not labels:
            return None, "one_level"
        label = labels[-1]
        return indicator(
            level1_code=None, level1=one.group("l1").strip(), level2_code=None, level2=None,
            name=rest[: label.start()].strip(), period_value=None, annual_value=_strip_closing(rest[label.end() :]),
        ), "one_level"
    return None, "unknown"


def _split_three_level_rest(rest: str) -> tuple[str | None, str | None, str | None]:
    period_label = PERIOD_LABEL.search(rest)
    annual_label = ANNUAL_LABEL.search(rest, period_label.end() if period_label else 0)
    if annual_label is None:
        return None, None, None
    if period_label is not None:
        name = rest[: period_label.start()]
        period: str | None = _strip_separator(rest[period_label.end() : annual_label.start()])
    else:
        name, period = rest[: annual_label.start()], None
    name = _strip_separator(name)
    return name, period, _strip_closing(rest[annual_label.end() :])


def _strip_separator(text: str) -> str:
    text = text.strip()
    if text and text[-1] in FIELD_SEPARATOR:
        text = text[:-1]
    return text.strip()


def _strip_closing(text: str) -> str:
    """The value without the item's closing 。 (doubled 。。 included) and trailing blanks."""
    return text.strip().rstrip("。").strip()
