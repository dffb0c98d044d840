"""A generated corpus of the sample's shape, for benchmarks: ``generate_corpus(out_dir, n)``.

Document i is a text-export variant of sample document ``i % 4`` (the same layout, wrapping and traps).
Its variant number ``v = i // 4`` picks

* a district (``v % 11``) that replaces 广州/广州市 in the unit's and department's names, wherever the text
  prints them whole (unit rows, headers, project names);
* a word swap (by district, so a unit keeps its project names from year to year) in the project names and
  goals: 经费 → 专项经费, 维修 → 修缮, 信息化 → 数字化 …;
* a fiscal year (``sample year - 4 + s``, with ``s = v // 11 % 8``), so each generated unit publishes
  several years in a row and the year-over-year matching has work to do;
* past 8 years (``k = v // 88 > 0``), an area of the district (天河区第二片区 …), so that a corpus of any size
  has one document per unit and year, with years and amounts the quality gates accept as real;
* a factor ``1 + s`` (by year) for every amount. An integer factor keeps the printed sums exact, so
  the variants reconcile exactly where the sample does; an amount a line break splits after its first
  decimal (``372.6`` … ``5 175.26`` in 000) is scaled as one number and split again the same way.

``manifest.csv`` gives each file's fiscal year, department and unit, as ``data/sample/manifest.csv`` does.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
DISTRICTS = ("越秀区", "海珠区", "荔湾区", "天河区", "白云区", "黄埔区", "番禺区", "花都区", "南沙区", "从化区", "增城区")
WORD_SWAPS = ((), (("经费", "专项经费"),), (("维修", "修缮"),), (("信息化", "数字化"),), (("建设", "建设提升"),))
YEARS_BACK = 4
YEARS = 8  # fiscal years per generated unit: sample year - 4 … sample year + 3
DIGITS = "零一二三四五六七八九"
# a whole amount: thousands separators, two decimals, not part of a longer number or a percentage
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")
# an amount cut after its first decimal: a line holding only `372.6`, its last digit opening a later line
SPLIT_HEAD = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d$")
SPLIT_TAIL = re.compile(r"^(\d)(?=\s|$)")
CITY_PREFIX = re.compile(r"^广州市?")


@dataclass(frozen=True)
class SampleDocument:
    file: str
    fiscal_year: int
    department: str
    unit: str

    @property
    def text(self) -> str:
        return (SAMPLE / self.file).read_text(encoding="utf-8")


def sample_documents(sample_dir: Path = SAMPLE) -> list[SampleDocument]:
    with (sample_dir / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    return [SampleDocument(r["file"], int(r["fiscal_year"]), r["department"], r["unit"]) for r in rows]


def local_name(name: str, district: str) -> str:
    """广州市技师学院 → 天河区技师学院; names without the city prefix get the district in front."""
    return CITY_PREFIX.sub(district, name) if CITY_PREFIX.match(name) else district + name


def chinese_number(k: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五, 240 → 二百四十 (area names carry no digits: the reader takes digits for
    amounts)."""
    if k >= 100:
        hundreds, rest = divmod(k, 100)
        return DIGITS[hundreds] + "百" + ("" if not rest else ("零" if rest < 10 else "") + chinese_number(rest))
    tens, ones = divmod(k, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


def _scaled(amount: str, factor: int) -> str:
    return f"{Decimal(amount.replace(',', '')) * factor:,.2f}"


def scale_amounts(text: str, factor: int) -> str:
    if factor == 1:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not SPLIT_HEAD.match(line):
            continue
        tail = next((j for j in range(i + 1, min(i + 6, len(lines))) if SPLIT_TAIL.match(lines[j])), None)
        if tail is not None:
            whole = _scaled(line + lines[tail][0], factor)
            lines[i], lines[tail] = "\0" + whole[:-1], "\0" + whole[-1] + lines[tail][1:]
    scaled = AMOUNT.sub(lambda m: _scaled(m.group(), factor), "\n".join(lines))
    return scaled.replace("\0", "")  # the marks keep the split halves out of AMOUNT


def variant_text(doc: SampleDocument, district: str, swaps: tuple[tuple[str, str], ...], factor: int) -> str:
    text = doc.text
    # longest first, so the unit 广州市电化教育馆 is not half-replaced through a shorter name
    for name in sorted({doc.unit, doc.department}, key=len, reverse=True):
        text = text.replace(name, local_name(name, district))
    for old, new in swaps:
        text = text.replace(old, new)
    return scale_amounts(text, factor)


def generate_corpus(out_dir: str | Path, n: int) -> list[Path]:
    """Write n documents and their manifest.csv into out_dir; return the document paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    samples = sample_documents()
    paths, manifest = [], []
    for i in range(n):
        doc = samples[i % len(samples)]
        v = i // len(samples)
        district = DISTRICTS[v % len(DISTRICTS)]
        series, area = v // len(DISTRICTS) % YEARS, v // len(DISTRICTS) // YEARS
        year = doc.fiscal_year - YEARS_BACK + series
        if area:
            district = f"{district}第{chinese_number(area + 1)}片区"
        text = variant_text(doc, district, WORD_SWAPS[v % len(DISTRICTS) % len(WORD_SWAPS)], 1 + series)
        path = out / f"{i:04d}_{Path(doc.file).stem}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        manifest.append({
            "file": path.name, "fiscal_year": year, "department": local_name(doc.department, district),
            "unit": local_name(doc.unit, district),
            "basis": f"generated from {doc.file} (district {district}, year {year})",
        })
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "fiscal_year", "department", "unit", "basis"])
        writer.writeheader()
        writer.writerows(manifest)
    return paths


if __name__ == "__main__":
    import sys

    target, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
    print(f"{len(generate_corpus(target, count))} documents written to {target}")
