"""Text exports of the published PDFs: bytes to numbered lines, the header, the table body (shared by the text layouts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from extract.errors import ExtractError
from extract.findings import finding
from extract.grammar.header import HEADER_LABEL, TITLE_MARK, is_column_header, texts_to_header
from extract.model import Finding, Lineage
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


# More control bytes than this share of a file's start and it is binary data, not text.
BINARY_CONTROL_RATIO = 0.05


@dataclass(frozen=True)
class ExportHeader:
    """What a text export prints above its table, and where the table body starts."""

    table: TableHeader
    body_start: int  # index in lines of the first body line


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


def find_header(lines: list[Line]) -> ExportHeader:
    """The header lines down to the column header; the body starts below it."""
    for index, line in enumerate(lines):
        if is_column_header(line.text):
            return ExportHeader(texts_to_header(line.text for line in lines[: index + 1]), index + 1)
    raise ExtractError(
        "no_table_found",
        "no 项目支出绩效目标表 column header (项目名称 … 总计 …) was found: this is not such a table",
    )


def is_page_furniture(text: str, header: ExportHeader) -> bool:
    """Title, header and column-header lines the export repeats on every page."""
    name = header.table.name
    return (
        (TITLE_MARK in text and len(text) < 40)
        or (is_column_header(text) and "绩效" in text)
        or bool(HEADER_LABEL.match(text) and name and name in text)
    )


def bytes_to_lines(data: bytes) -> tuple[list[Line], str]:
    """The export's lines (numbered from 1) and the encoding it was decoded with."""
    text, encoding = decode(data)
    return [Line(no, raw) for no, raw in enumerate(text.splitlines(), start=1)], encoding


def table_body(lines: list[Line], header: ExportHeader) -> tuple[list[Line], list[Finding]]:
    """The lines below the column header, without the title and header lines repeated on each page."""
    body = lines[header.body_start :]
    furniture = [line for line in body if line.text and is_page_furniture(line.text, header)]
    body = [line for line in body if line not in furniture]
    findings = []
    if furniture:
        findings.append(
            finding(
                "page_furniture_skipped",
                f"{len(furniture)} repeated title/header line(s) inside the table were skipped "
                f"(lines {', '.join(str(line.no) for line in furniture)}).",
                lineage=Lineage.span([line.no for line in furniture]),
            )
        )
    return body, findings


def text_export_to_table(
    name: str, data: bytes, body_to_rows: Callable[[list[Line]], tuple[list[TableRow], list[Finding]]]
) -> TableRead:
    """bytes -> lines -> header and body -> rows, with `body_to_rows` the layout's own step."""
    lines, encoding = bytes_to_lines(data)
    header = find_header(lines)
    findings = [] if encoding == "utf-8" else [finding("text_encoding", f"{name}: decoded as {encoding}.")]
    body, furniture_findings = table_body(lines, header)
    rows, row_findings = body_to_rows(body)
    return TableRead("text", header.table, rows, findings + furniture_findings + row_findings,
                     line_count=len(lines))


def has_tabbed_body(data: bytes) -> bool:
    """Whether the body below the column header separates cells with tabs (the tab-separated export)."""
    if b"\t" not in data:
        return False
    try:
        lines, _ = bytes_to_lines(data)
        header = find_header(lines)
    except ExtractError:
        return False
    return any("\t" in line.raw for line in lines[header.body_start :])
