"""The wrapped text export: each cell's text wrapped over lines, empty cells dropped.

A project reads: an indented name (wrapped), its amounts, the goal paragraph, the indicator
paragraph. Amounts lose their columns here, so attribution is ``unknown``.

Where a row crossed a PDF page break the export can interleave neighbouring rows. Such a stretch is
regrouped by kind (names, amounts, goals, indicator lists, lone 。), then dealt out to the rows in
order; the regrouping is accepted only if every kind yields the same number of rows and every row's
amounts reconcile, otherwise the stretch is reported line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract.findings import finding
from extract.grammar.amounts import join_broken_amounts, same
from extract.grammar.header import DEPARTMENT_TOTAL_NAMES
from extract.grammar.indicators import LEVEL_AHEAD, parse_indicators
from extract.layouts.base import Layout, is_pdf
from extract.layouts.text.export import Line, display_width, text_export_to_table
from extract.model import Finding, Lineage
from extract.table import JoinedText, TableRead, TableRow

AMOUNTS_ONLY = re.compile(r"^[\d,.]+(?:\s+[\d,.]+)*$")
INDICATOR_LIST_START = re.compile(r"^1、")
CLOSER = re.compile(r"^[。.]+$")
MAX_COMPONENTS = 3

# Display widths (a CJK character counts 2) at which the export breaks each column.
# A line at least this wide was broken by the column edge, so its paragraph goes on.
GOAL_FULL_WIDTH = 40
INDICATOR_FULL_WIDTH = 54

# How a project name ends; used only to regroup name fragments of interleaved rows.
PROJECT_NAME_ENDING = re.compile(r"(项目|经费|费|工程|建设|购置|服务|更新|\)|）)$")

AMOUNT_TOKEN = re.compile(r"^\d[\d,]*\.\d{2}$")


def split_named(text: str) -> tuple[str, list[str]] | None:
    """(name, amount tokens) of a line ending in amounts, or None. Linear time, whatever the line length."""
    tokens = list(re.finditer(r"\S+", text))
    i = len(tokens)
    while i > 0 and AMOUNT_TOKEN.match(tokens[i - 1].group()):
        i -= 1
    if i == 0 or i == len(tokens):
        return None
    return text[: tokens[i - 1].end()].strip(), [t.group() for t in tokens[i:]]


def kind_of(line: Line) -> str:
    text = line.text
    if CLOSER.match(text):
        return "closer"
    if AMOUNTS_ONLY.match(text) and any(ch.isdigit() for ch in text):
        return "amounts"
    if split_named(text) is not None:
        return "named"
    return "text"


def starts_indicator_list(text: str) -> bool:
    return bool(INDICATOR_LIST_START.match(text) and LEVEL_AHEAD.match(text, 2))


def lines_to_rows(body: list[Line]) -> tuple[list[TableRow], list[Finding]]:
    rows: list[TableRow] = []
    findings: list[Finding] = []
    for block in split_blocks([line for line in body if line.text], findings):
        first = block[0]
        if first.indent == 0 and kind_of(first) == "named":
            rows.append(_unit_row(first))
            if len(block) > 1:
                findings.append(_unparsed_lines(block[1:], "text after a unit row"))
            continue
        row = parse_project_block(block)
        if row is not None:
            rows.append(row)
            continue
        recovered, finding = recover_interleaved(block)
        rows.extend(recovered)
        findings.append(finding)
        if not recovered:
            findings.append(_unparsed_lines(block, "interleaved rows that could not be regrouped"))
    return rows, findings


def split_blocks(lines: list[Line], findings: list[Finding]) -> list[list[Line]]:
    """Blocks start at an indented line (a project) or an unindented line with amounts (a unit row)."""
    blocks: list[list[Line]] = []
    orphans: list[Line] = []
    for line in lines:
        starts = line.indent > 0 and kind_of(line) in ("text", "named") or (
            line.indent == 0 and kind_of(line) == "named" and not starts_indicator_list(line.text)
            and (not blocks or _is_unit_row_candidate(line))
        )
        if starts:
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
        else:
            orphans.append(line)
    if orphans:
        findings.append(_unparsed_lines(orphans, "text before the first row of the table"))
    return blocks


def _is_unit_row_candidate(line: Line) -> bool:
    named = split_named(line.text)
    assert named is not None
    name = named[0]
    # Goal or indicator text can end with a number; a unit name is short and has no sentence punctuation.
    return display_width(name) <= 40 and not re.search(r"[，。；：、:;,]", name)


def _unit_row(line: Line) -> TableRow:
    named = split_named(line.text)
    assert named is not None
    name, tokens = named
    amounts, _ = join_broken_amounts(tokens)
    kind = "total" if name in DEPARTMENT_TOTAL_NAMES else "unit"
    return TableRow(kind, name, amounts[0], amounts[1:], lineage=Lineage.span([line.no]))


def parse_project_block(block: list[Line]) -> TableRow | None:
    """The regular shape of a project; None when the block does not have it (interleaved rows)."""
    name = JoinedText()
    tokens: list[str] = []
    i = 0
    # Name lines, ending with the amounts (on the last name line or on lines of their own).
    while i < len(block):
        line, kind = block[i], kind_of(block[i])
        if kind == "named":
            named = split_named(line.text)
            assert named is not None
            name.add(named[0], line.no)
            tokens += named[1]
            i += 1
            break
        if kind == "amounts":
            break
        if kind != "text" or starts_indicator_list(line.text) or (i > 0 and line.indent > 0):
            return None
        name.add(line.text, line.no)
        i += 1
    while i < len(block) and kind_of(block[i]) == "amounts":
        tokens += block[i].text.split()
        i += 1
    amounts, rejected = join_broken_amounts(tokens)
    if not amounts or rejected or not name.text or len(amounts) > MAX_COMPONENTS + 1:
        return None
    goal, indicators = JoinedText(), JoinedText()
    while i < len(block) and not starts_indicator_list(block[i].text):
        if kind_of(block[i]) in ("amounts", "named"):
            return None
        goal.add(block[i].text, block[i].no)
        i += 1
    while i < len(block):
        line = block[i]
        if kind_of(line) in ("amounts",) or (indicators.text and starts_indicator_list(line.text)):
            return None
        indicators.add(line.text, line.no)
        i += 1
    lineage = Lineage.span([line.no for line in block])
    return TableRow("project", name.text, amounts[0], amounts[1:], None, goal, indicators, lineage)


@dataclass
class _Stretch:
    names: list[Line] = field(default_factory=list)
    tokens: list[tuple[str, int]] = field(default_factory=list)
    goals: list[list[Line]] = field(default_factory=list)
    lists: list[list[Line]] = field(default_factory=list)
    closers: list[Line] = field(default_factory=list)


def _classify_stretch(block: list[Line]) -> _Stretch:
    stretch = _Stretch()
    open_kind: str | None = None
    previous: Line | None = None
    for line in block:
        kind = kind_of(line)
        if kind == "closer":
            stretch.closers.append(line)
            open_kind = None
        elif kind == "amounts":
            stretch.tokens += [(token, line.no) for token in line.text.split()]
            open_kind = None
        elif starts_indicator_list(line.text):
            stretch.lists.append([line])
            open_kind = "list"
        elif open_kind == "list" and previous is not None and (
            previous.width >= INDICATOR_FULL_WIDTH
            or _incomplete(stretch.lists[-1])
            or line.text[0] in "；;。"
        ):
            stretch.lists[-1].append(line)
        elif open_kind == "goal" and previous is not None and previous.width >= GOAL_FULL_WIDTH:
            stretch.goals[-1].append(line)
        elif line.width >= GOAL_FULL_WIDTH and line.indent == 0:
            stretch.goals.append([line])
            open_kind = "goal"
        else:
            stretch.names.append(line)
            open_kind = None
        previous = line
    return stretch


def _incomplete(lines: list[Line]) -> bool:
    parsed = parse_indicators("".join(line.text for line in lines))
    return bool(parsed.leftovers) or not parsed.indicators or parsed.indicators[-1].annual_value in (None, "")


def _group_names(names: list[Line]) -> list[list[Line]]:
    groups: list[list[Line]] = []
    current: list[Line] = []
    for line in names:
        current.append(line)
        if PROJECT_NAME_ENDING.search("".join(x.text for x in current)):
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def _deal_amounts(amounts: list[Decimal], rows: int) -> list[tuple[Decimal, list[Decimal]]] | None:
    """Each row takes a total, then components until they add up to it."""
    dealt, i = [], 0
    for _ in range(rows):
        if i >= len(amounts):
            return None
        total, parts = amounts[i], []
        i += 1
        while i < len(amounts) and len(parts) < MAX_COMPONENTS and not same(sum(parts, Decimal(0)), total):
            parts.append(amounts[i])
            i += 1
        if not same(sum(parts, Decimal(0)), total):
            return None
        dealt.append((total, parts))
    return dealt if i == len(amounts) else None


def _amounts_with_lines(tokens: list[tuple[str, int]]) -> tuple[list[tuple[Decimal, list[int]]], list[str]]:
    """Amounts of the stretch with the line(s) each came from; a number broken over two lines is re-joined."""
    out: list[tuple[Decimal, list[int]]] = []
    rejected: list[str] = []
    i = 0
    while i < len(tokens):
        text, line = tokens[i]
        amounts, bad = join_broken_amounts([text])
        if amounts:
            out.append((amounts[0], [line]))
            i += 1
            continue
        if i + 1 < len(tokens):
            joined, _ = join_broken_amounts([text + tokens[i + 1][0]])
            if joined:
                out.append((joined[0], [line, tokens[i + 1][1]]))
                i += 2
                continue
        rejected += bad
        i += 1
    return out, rejected


def recover_interleaved(block: list[Line]) -> tuple[list[TableRow], Finding]:
    span = Lineage.span([line.no for line in block])
    stretch = _classify_stretch(block)
    rows_expected = len(stretch.lists)
    names = _group_names(stretch.names)
    amounts, rejected = _amounts_with_lines(stretch.tokens)
    dealt = _deal_amounts([a for a, _ in amounts], rows_expected) if not rejected else None
    counts = f"{len(names)} name(s), {len(stretch.goals)} goal(s), {rows_expected} indicator list(s)"
    if not rows_expected or len(names) != rows_expected or len(stretch.goals) != rows_expected or dealt is None:
        why = "amounts do not split into reconciling rows" if dealt is None else "the parts do not pair up"
        return [], finding(
            "interleaved_rows_unrecovered",
            f"Lines {span.line_start}-{span.line_end} interleave table rows split by a page break and could "
            f"not be regrouped ({counts}; {why}); their text is reported as unparsed.",
            lineage=span,
        )
    closers = list(stretch.closers)
    amount_lines = [lines for _, lines in amounts]
    rows = []
    for name_lines, goal_lines, list_lines, (total, parts) in zip(names, stretch.goals, stretch.lists, dealt, strict=True):
        name, goal, indicators = JoinedText(), JoinedText(), JoinedText()
        used = [line.no for line in name_lines + goal_lines + list_lines]
        for line in name_lines:
            name.add(line.text, line.no)
        for line in goal_lines:
            goal.add(line.text, line.no)
        for line in list_lines:
            indicators.add(line.text, line.no)
        for text in (goal, indicators):
            if closers and not text.text.endswith("。"):
                closer = closers.pop(0)
                text.add(closer.text, closer.no)
                used.append(closer.no)
        for _ in range(len(parts) + 1):
            used += amount_lines.pop(0)
        rows.append(TableRow("project", name.text, total, parts, None, goal, indicators, Lineage.span(used)))
    message = (
        f"Lines {span.line_start}-{span.line_end} interleave {len(rows)} table rows split by a page break; "
        f"they were regrouped by kind and order, and each row's amounts reconcile: {'; '.join(r.name for r in rows)}."
    )
    if closers:
        message += f" {len(closers)} stray 。 line(s) were left over (lines {', '.join(str(c.no) for c in closers)})."
    leftover = "".join(c.text for c in closers) if closers else None
    return rows, finding("interleaved_rows_recovered", message, lineage=span, text=leftover)


def _unparsed_lines(lines: list[Line], why: str) -> Finding:
    span = Lineage.span([line.no for line in lines])
    text = " / ".join(line.text for line in lines)
    return finding(
        "unparsed_text",
        f"Lines {span.line_start}-{span.line_end} ({why}) could not be placed in a field: {text!r}",
        lineage=span,
        text="".join(line.text for line in lines),
    )


def wrapped_export_to_table(name: str, data: bytes) -> TableRead:
    return text_export_to_table(name, data, lines_to_rows)


LAYOUT = Layout("text_wrapped", lambda name, data: not is_pdf(name, data), wrapped_export_to_table)
