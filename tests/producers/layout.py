"""How a producer lays the table out (`Layout`), the named variants, and the rows every producer draws.

Column widths are set in points by `column_widths`: the four amount columns are a fixed number of
font sizes wide (``wide`` fits every label and amount on one line, ``medium`` wraps the longer
header labels such as 财政专户 / 拨款, ``narrow`` also wraps amounts inside their cell such as
13,994. / 71); the rest of the printable width goes to the name, goal and indicator columns, at
least 25 font sizes (a name column of 5: narrower, even 项目名称 would wrap, which no table does).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.pdf_render import AMOUNT_KEYS

PRODUCERS = ("office", "browser", "reportlab")
WIDTHS = ("wide", "medium", "narrow")
VALIGNS = ("top", "center", "bottom")
RULINGS = ("grid", "cells", "none")  # table-wide rulings, each cell framed on its own, none
FONT_SIZES = (7, 8, 9, 10, 11)
PAPERS = {"A4": (595.28, 841.89), "A3": (841.89, 1190.55)}  # portrait width, height in pt
ORIENTATIONS = ("portrait", "landscape")
MARGIN = 36.0  # pt on every side, for every producer

AMOUNT_EMS = {"wide": 7.0, "medium": 5.4, "narrow": 3.4}
TEXT_SHARES = (0.2, 0.32, 0.48)  # name, goal, indicators: their shares of what the amounts leave
TEXT_MIN_EMS = 25  # the text columns together at least this many font sizes wide (the name column 5)


@dataclass(frozen=True)
class Font:
    family: str  # the fontconfig family office and browser ask for
    path: Path
    line_height: float  # a line's height in font sizes, as the office suite and browser space them


FONTS = {
    "wqy": Font("WenQuanYi Zen Hei", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 1.25),
    "noto": Font("Noto Sans CJK SC", Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 1.5),
}


@dataclass(frozen=True)
class Layout:
    producer: str = "browser"
    widths: str = "wide"
    valign: str = "top"  # body cells; header cells are always centred, as spreadsheets print them
    rulings: str = "grid"
    font_size: int = 9
    paper: str = "A4"
    orientation: str = "landscape"
    repeat_header: bool = True  # the column header on every page, or on the first only
    font: str = "wqy"  # reportlab embeds wqy-zenhei whatever this says (it cannot embed Noto's CFF outlines)
    manual_breaks: bool = False  # office and browser: a forced page break after every few projects

    def __post_init__(self) -> None:
        choices = {"producer": PRODUCERS, "widths": WIDTHS, "valign": VALIGNS, "rulings": RULINGS,
                   "font_size": FONT_SIZES, "paper": tuple(PAPERS), "orientation": ORIENTATIONS,
                   "font": tuple(FONTS)}
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"Layout.{name}={getattr(self, name)!r}: not one of {allowed}")

    @property
    def key(self) -> str:
        """Short and unique, for cache file names and test ids: office-med-ctr-grid-9pt-A4L-rep-wqy."""
        return "-".join([
            self.producer, self.widths[:3], self.valign[:3], self.rulings, f"{self.font_size}pt",
            f"{self.paper}{self.orientation[0].upper()}", "rep" if self.repeat_header else "once", self.font,
            *(["brk"] if self.manual_breaks else []),
        ])

    @property
    def page_size(self) -> tuple[float, float]:
        width, height = PAPERS[self.paper]
        return (height, width) if self.orientation == "landscape" else (width, height)

    @property
    def font_face(self) -> Font:
        return FONTS[self.font]

    def column_widths(self) -> tuple[float, ...]:
        """The seven column widths in pt, filling the printable width. Where the page is too narrow
        for the amount columns asked for and the text columns' minimum, the amount columns give way."""
        usable = self.page_size[0] - 2 * MARGIN
        least = TEXT_MIN_EMS * self.font_size
        amount = min(AMOUNT_EMS[self.widths] * self.font_size, (usable - least) / 4)
        rest = usable - 4 * amount
        name, goal, indicators = (share * rest for share in TEXT_SHARES)
        return (name, amount, amount, amount, amount, goal, indicators)


# Every producer draws every variant; together they cover header labels and amounts wrapping inside
# their cells, top/centre/bottom alignment, rows split by a page break with their name and amounts on
# the later page (tall indicator cells, centred or bottom-aligned), unruled tables with a multi-line
# header, the three kinds of ruling, 7 to 11 pt, A4 and A3, portrait and landscape, and the header
# repeated on each page or printed once.
VARIANTS: dict[str, Layout] = {
    "plain": Layout(),
    "wrapped_header": Layout(widths="medium", rulings="cells", font_size=10, font="noto"),
    "wrapped_amounts": Layout(widths="narrow", font_size=8),
    "centred_split_rows": Layout(widths="medium", valign="center", font_size=11, orientation="portrait"),
    "bottom_split_rows": Layout(widths="narrow", valign="bottom", rulings="cells", font_size=10,
                                orientation="portrait", font="noto"),
    "unruled_multiline_header": Layout(widths="medium", valign="center", rulings="none"),
    "small_a3_header_once": Layout(font_size=7, paper="A3", orientation="portrait", repeat_header=False,
                                   font="noto", manual_breaks=True),
    "large_a3_unruled_once": Layout(widths="narrow", valign="center", rulings="none", font_size=11, paper="A3",
                                    repeat_header=False),
}


def variant(name: str, producer: str) -> Layout:
    return for_producer(replace(VARIANTS[name], producer=producer))


def for_producer(layout: Layout) -> Layout:
    """The layout as its producer can draw it: reportlab has one font and no forced page breaks."""
    if layout.producer == "reportlab":
        return replace(layout, font="wqy", manual_breaks=False)
    return layout


# ---- what every producer draws ------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    kind: str  # "total" (合计), "unit" or "project"
    name: str
    amounts: tuple[str, str, str, str]  # 总计, 财政拨款, 财政专户拨款, 其他资金 as printed; "" when blank
    goal: str
    indicators: tuple[str, ...]  # each indicator's source text


def rows(truth: dict[str, Any]) -> list[Row]:
    out = []
    if truth["department_total"] is not None:
        out.append(Row("total", "合计", _amounts(truth["department_total"]), "", ()))
    for unit in truth["units"]:
        out.append(Row("unit", unit["name"], _amounts(unit["amounts"]), "", ()))
        for p in unit["projects"]:
            indicators = tuple(i["source_text"] for i in p["indicators"])
            out.append(Row("project", p["name"], _amounts(p["amounts"]), p["goal"], indicators))
    return out


def _amounts(amounts: dict[str, str | None]) -> tuple[str, str, str, str]:
    printed = tuple("" if amounts[k] is None else f"{Decimal(amounts[k]):,.2f}" for k in AMOUNT_KEYS)
    return printed  # type: ignore[return-value]


def estimated_width(text: str, size: float) -> float:
    """A generous guess of the printed width in pt: CJK and full-width characters are one font size
    wide, others 0.6 (the fonts' digits and Latin letters are narrower)."""
    return size * sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in text)


def header_line(truth: dict[str, Any]) -> tuple[str, str]:
    """The line above the table: 单位名称：… on the left, 单位：万元 on the right."""
    return f"{truth['header_label']}：{truth['header_name']}", f"单位：{truth['currency_unit']}"

