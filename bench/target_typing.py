"""How well the target grammar types the sample's distinct target values, against a hand-checked truth.

    .venv/bin/python bench/target_typing.py [--list] [--write-current FILE] [--raw-warehouse FILE]

Loads data/sample into a fresh DuckDB warehouse in a temporary folder, builds int_indicator_targets_parsed
and what it needs (`dbt build --select +int_indicator_targets_parsed`: staging views, the model and its
unit tests), lists every distinct printed target value (annual and period) with its typed fields, and
compares each with tests/dbt/target_typing_truth.csv (typed by the conventions of DOMAIN.md, by hand).
Accuracy = share of distinct values whose typed fields all equal the truth. A column the model does not
have yet counts as null (on the sample's 246 distinct values: 94.3% before the rules for a unit in the label,
a comparator apart from its number, the scale of 万/亿 and deadlines, 97.6% not counting the new scale column;
100% after). dbt writes its target and logs into the temporary folder. --raw-warehouse starts
from a copy of a warehouse whose raw layer already holds the sample (to iterate on the grammar quickly).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.load import load_documents  # noqa: E402
from extract.parallel import extract_many  # noqa: E402
from extract.reader import document_paths  # noqa: E402

SAMPLE = ROOT / "data" / "sample"
DBT_PROJECT = ROOT / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
TRUTH = ROOT / "tests" / "dbt" / "target_typing_truth.csv"
MODEL = "intermediate.int_indicator_targets_parsed"
# truth column -> model column; the truth's `value` is the printed target_text
FIELDS = {"kind": "target_kind", "comparator": "comparator", "number": "number_value", "upper": "upper_value",
          "unit": "unit", "scale": "scale", "target_date": "target_date", "part_count": "part_count"}
NUMERIC = {"number", "upper", "scale", "part_count"}


@dataclass(frozen=True)
class Mismatch:
    value: str
    typed: dict[str, str]
    truth: dict[str, str]


def canonical(field: str, value: object) -> str:
    """One spelling per value: '' for null, numbers without trailing zeros, dates as YYYY-MM(-DD)."""
    if value is None:
        return ""
    text = str(value).strip()
    if field in NUMERIC and text:
        try:
            number = Decimal(text).normalize()
        except InvalidOperation:
            return text
        return format(number, "f")
    return text


def load_sample(warehouse: Path) -> None:
    report = load_documents(warehouse, extract_many(document_paths([SAMPLE]), workers=1))
    if report.failed or report.rejected:
        raise RuntimeError(f"sample load failed: {report.failed} {report.rejected}")


def build_sample_warehouse(work: Path, raw_warehouse: Path | None = None) -> Path:
    """Load the sample (or copy raw_warehouse) into work/budget.duckdb; build the target model and its tests."""
    warehouse = work / "budget.duckdb"
    if raw_warehouse is None:
        load_sample(warehouse)
    else:
        shutil.copyfile(raw_warehouse, warehouse)
    run = subprocess.run(
        [str(DBT), "build", "--select", "+int_indicator_targets_parsed", "--exclude", "resource_type:seed", "--indirect-selection", "cautious",
         "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={**os.environ, "BUDGET_WAREHOUSE": str(warehouse)}, capture_output=True, text=True, check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"dbt build failed:\n{run.stdout[-4000:]}")
    return warehouse


def typed_values(warehouse: Path) -> dict[str, dict[str, str]]:
    """Every distinct printed target value with its typed fields (a missing model column reads as null)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        columns = {c for (c,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'intermediate' and table_name = 'int_indicator_targets_parsed'").fetchall()}
        selected = ", ".join(f"{column if column in columns else 'null'} as {field}" for field, column in FIELDS.items())
        rows = con.execute(f"select distinct target_text, {selected} from {MODEL} order by target_text").fetchall()
    typed: dict[str, dict[str, str]] = {}
    for text, *fields in rows:
        if text in typed:
            raise ValueError(f"one printed value typed two ways: {text!r}")
        typed[text] = {field: canonical(field, value) for field, value in zip(FIELDS, fields, strict=True)}
    return typed


def read_truth(path: Path = TRUTH) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return {row["value"]: {field: canonical(field, row[field]) for field in FIELDS} for row in csv.DictReader(file)}


def mismatches(typed: dict[str, dict[str, str]], truth: dict[str, dict[str, str]]) -> list[Mismatch]:
    """Distinct values typed otherwise than the truth says, or missing from one of the two."""
    return [Mismatch(value, typed.get(value, {}), truth.get(value, {}))
            for value in sorted(typed.keys() | truth.keys()) if typed.get(value) != truth.get(value)]


def accuracy(typed: dict[str, dict[str, str]], truth: dict[str, dict[str, str]]) -> float:
    return 1 - len(mismatches(typed, truth)) / len(typed.keys() | truth.keys())


def describe(fields: dict[str, str]) -> str:
    return " ".join(f"{field}={fields[field]}" for field in FIELDS if fields.get(field)) or "(absent)"


def write_current(typed: dict[str, dict[str, str]], path: Path) -> None:
    """The current output in the truth file's shape: a starting point for review, never the truth itself."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["value", *FIELDS])
        for value, fields in typed.items():
            writer.writerow([value, *fields.values()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every distinct value with its typed fields")
    parser.add_argument("--write-current", type=Path, help="write the current typing as CSV to this file")
    parser.add_argument("--raw-warehouse", type=Path, help="a warehouse whose raw layer holds the sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        typed = typed_values(build_sample_warehouse(Path(tmp), args.raw_warehouse))
    print(f"{len(typed)} distinct target values on the sample")
    if args.list:
        for value, fields in typed.items():
            print(f"  {value!r}: {describe(fields)}")
    if args.write_current:
        write_current(typed, args.write_current)
    if not TRUTH.exists():
        print(f"no truth file at {TRUTH.relative_to(ROOT)}")
        return
    truth = read_truth()
    wrong = mismatches(typed, truth)
    print(f"accuracy: {accuracy(typed, truth):.1%} ({len(typed.keys() | truth.keys()) - len(wrong)} of "
          f"{len(typed.keys() | truth.keys())} distinct values typed as the truth says)")
    for miss in wrong:
        print(f"  {miss.value!r}\n      typed {describe(miss.typed)}\n      truth {describe(miss.truth)}")


if __name__ == "__main__":
    main()
