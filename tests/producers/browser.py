"""browser: the table as a web page of the budget system, printed to PDF by headless Chromium.

A `<table>` with its column header in `<thead>` (Chromium repeats it on every page; printed once,
the header row is the first row of `<tbody>`), column widths from a `<colgroup>`, text that may
break anywhere (``word-break: break-all``: amounts wrap inside narrow cells), rows that split over
page breaks (``break-inside: auto``; a centred or bottom-aligned cell keeps its place in the whole
row, so a name can land on the row's later page). Borders: collapsed (drawn once per edge, as thin
filled rectangles), separate (each cell its own four sides), or none. Lines never break next to a
space (Chromium draws no space where it breaks, so none could be read back).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from html import escape
from os import cpu_count
from pathlib import Path
from typing import Any

from tests.pdf_render import COLUMN_TITLES
from tests.producers.layout import MARGIN, Layout, Row, header_line, rows
from tests.producers.process import run

CHROMIUM = next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-pdf-header-footer")
SECONDS = 120
VALIGN = {"top": "top", "center": "middle", "bottom": "bottom"}
BORDERS = {
    "grid": "table { border-collapse: collapse } th, td { border: 0.75pt solid #000 }",
    "cells": "table { border-collapse: separate; border-spacing: 0 } th, td { border: 0.5pt solid #000 }",
    "none": "table { border-collapse: collapse }",
}
PROJECTS_PER_FORCED_PAGE = 5


def render(truth: dict[str, Any], layout: Layout, path: Path) -> None:
    if not CHROMIUM:
        raise FileNotFoundError("chromium not found: install Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="browser_producer_") as tmp:
        page = Path(tmp) / "table.html"
        page.write_text(html(truth, layout), encoding="utf-8")
        command = [CHROMIUM, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={path}",
                   page.as_uri()]
        done = run(command, timeout=SECONDS)
        if done.returncode != 0 or not path.exists():
            raise RuntimeError(f"chromium failed ({done.returncode}) on {layout.key}: {done.stderr[-2000:]}")


def render_many(jobs: list[tuple[dict[str, Any], Layout, Path]]) -> None:
    with ThreadPoolExecutor(max(1, min(cpu_count() or 1, len(jobs)))) as pool:
        list(pool.map(lambda job: render(*job), jobs))


def html(truth: dict[str, Any], layout: Layout) -> str:
    width, height = layout.page_size
    columns = "".join(f'<col style="width:{w:.2f}pt">' for w in layout.column_widths())
    header = "<tr>" + "".join(f"<th>{escape(t)}</th>" for t in COLUMN_TITLES) + "</tr>"
    body = _body(rows(truth), layout)
    label, currency = header_line(truth)
    head, first = (f"<thead>{header}</thead>", "") if layout.repeat_header else ("", header)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(truth['title'] or '')}</title><style>
@page {{ size: {width:.2f}pt {height:.2f}pt; margin: {MARGIN}pt }}
html, body {{ margin: 0; font-family: "{layout.font_face.family}"; font-size: {layout.font_size}pt; line-height: 1.25 }}
.title {{ font-size: 15pt; text-align: center; margin: 0 0 8pt }}
.line {{ display: flex; justify-content: space-between; font-size: 9pt; margin: 0 0 3pt }}
table {{ table-layout: fixed; width: {sum(layout.column_widths()):.2f}pt }}
th, td {{ padding: 2pt 3pt; vertical-align: {VALIGN[layout.valign]}; text-align: left; font-weight: normal;
          white-space: normal; word-break: break-all; overflow-wrap: anywhere }}
th {{ text-align: center; vertical-align: middle }}
td.amount {{ text-align: right }}
td.project {{ padding-left: 2em }}
tr {{ break-inside: auto }}
tr.forced {{ break-before: page }}
span.keep {{ white-space: nowrap }}
{BORDERS[layout.rulings]}
</style></head><body>
<div class="title">{escape(truth['title'] or '')}</div>
<div class="line"><span>{escape(label)}</span><span>{escape(currency)}</span></div>
<table><colgroup>{columns}</colgroup>{head}<tbody>{first}
{body}
</tbody></table></body></html>
"""


# Chromium draws no space where it breaks a line, so no reader could tell one was there: the characters
# on either side of a space are kept on one line (as tests/pdf_render.py wraps).
_AROUND_SPACE = re.compile(r"\S(?:\s+\S)+")


def _text(text: str) -> str:
    out, done = [], 0
    for match in _AROUND_SPACE.finditer(text):
        out += [escape(text[done:match.start()]), f'<span class="keep">{escape(match.group())}</span>']
        done = match.end()
    return "".join([*out, escape(text[done:])])


def _body(table: list[Row], layout: Layout) -> str:
    out, projects = [], 0
    for row in table:
        forced = layout.manual_breaks and row.kind == "project" and projects and projects % PROJECTS_PER_FORCED_PAGE == 0
        projects += row.kind == "project"
        name_class = "project" if row.kind == "project" else "name"
        cells = [f'<td class="{name_class}">{_text(row.name)}</td>']
        cells += [f'<td class="amount">{_text(a)}</td>' for a in row.amounts]
        cells += [f"<td>{_text(row.goal)}</td>", f"<td>{'<br>'.join(map(_text, row.indicators))}</td>"]
        out.append(f'<tr{" class=forced" if forced else ""}>{"".join(cells)}</tr>')
    return "\n".join(out)
