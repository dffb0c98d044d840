"""Text exports of the published PDFs: bytes to numbered lines, the header, the table body (shared by the text layouts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from extract.errors import ExtractError
from extract.model import Finding, Lineage
from extract.settings import BINARY_CONTROL_RATIO, COLUMN_HEADER_MARKS, CURRENCY, HEADER_LABEL, TITLE_MARK
from extract.table import TableHeader, TableRead, TableRow


@dataclass
class Line:
    no: int  # 1-based line number in the file
    raw: str

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indent(self) -> int:
        return len(self.raw) - len(self.raw.lstrip(" \u3000"))

    @property
    def width(self) -> int:
        return display_width(self.raw.rstrip())


@dataclass
class Header:
    title: str | None = None
    label: str | None = None
    name: str | None = None
    currency: str | None = None
    body_start: int = 0  # index in lines of the first body line


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def decode(data: bytes) -> tuple[str, str]:
    """The text of an export and its encoding: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if not data.strip():
        raise ExtractError("empty_file", "the file is empty (no text at all)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ExtractError("undecodable_text", f"the file starts like UTF-16 but does not decode ({exc.reason})") from exc
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    if b"\x00" in sample or controls > BINARY_CONTROL_RATIO * len(sample):
        raise ExtractError("not_text", "the file is binary data, neither a PDF nor a text export")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            raise ExtractError(
                "truncated_document", "the file ends in the middle of a character: it was cut off"
            ) from exc
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ExtractError(
            "undecodable_text", f"the text is neither UTF-8 nor GB18030 (bad byte at offset {exc.start})"
        ) from exc


def find_header(lines: list[Line]) -> Header:
    header = Header()
    for index, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        if header.title is None and TITLE_MARK in text:
            header.title = text
        label = HEADER_LABEL.search(text)
        if label and header.label is None:
            header.label, header.name = label.group("label"), label.group("name").strip()
        currency = CURRENCY.search(text)
        if currency and header.currency is None:
            header.currency = currency.group("unit")
        if all(mark in text for mark in COLUMN_HEADER_MARKS):
            header.body_start = index + 1
            return header
    raise ExtractError(
        "no_table_found",
        "no 项目支出绩效目标表 column header (项目名称 … 总计 …) was found: this is not such a table",
    )


def is_page_furniture(text: str, header: Header) -> bool:
    """Title, header and column-header lines the export repeats on every page."""
    return (
        (TITLE_MARK in text and len(text) < 40)
        or (all(mark in text for mark in COLUMN_HEADER_MARKS) and "绩效" in text)
        or bool(HEADER_LABEL.match(text) and header.name and header.name in text)
    )


def text_to_lines(data: bytes) -> tuple[list[Line], str]:
    """The export's lines (numbered from 1) and the encoding it was decoded with."""
    text, encoding = decode(data)
    return [Line(no, raw) for no, raw in enumerate(text.splitlines(), start=1)], encoding


def table_body(lines: list[Line], header: Header) -> tuple[list[Line], list[Finding]]:
    """The lines below the column header, without the title and header lines repeated on each page."""
    body = lines[header.body_start :]
    furniture = [line for line in body if line.text and is_page_furniture(line.text, header)]
    body = [line for line in body if line not in furniture]
    findings = []
    if furniture:
        findings.append(
            Finding(
                "info",
                "page_furniture_skipped",
                f"{len(furniture)} repeated title/header line(s) inside the table were skipped "
                f"(lines {', '.join(str(line.no) for line in furniture)}).",
                lineage=Lineage.span([line.no for line in furniture]),
            )
        )
    return body, findings


def read_text_table(
    name: str, data: bytes, body_to_rows: Callable[[list[Line]], tuple[list[TableRow], list[Finding]]]
) -> TableRead:
    """bytes -> lines -> header and body -> rows, with `body_to_rows` the layout's own step."""
    lines, encoding = text_to_lines(data)
    header = find_header(lines)
    findings = [] if encoding == "utf-8" else [Finding("info", "text_encoding", f"{name}: decoded as {encoding}.")]
    body, furniture_findings = table_body(lines, header)
    rows, row_findings = body_to_rows(body)
    table_header = TableHeader(header.title, header.label, header.name, header.currency)
    return TableRead("text", table_header, rows, findings + furniture_findings + row_findings,
                     line_count=len(lines))


def has_tabbed_body(data: bytes) -> bool:
    """Whether the body below the column header separates cells with tabs (the tab-separated export)."""
    if b"\t" not in data:
        return False
    try:
        lines, _ = text_to_lines(data)
        header = find_header(lines)
    except ExtractError:
        return False
    return any("\t" in line.raw for line in lines[header.body_start :])
