"""``python -m expectations validate --stage raw|staging|marts [--warehouse PATH]``.

Runs the gate's suites, records the results in ``quality.validation_results``, writes Data Docs to
``$BUDGET_QUALITY_DOCS`` and exits 1 when an error-severity expectation fails (warnings only report).
"""

from __future__ import annotations

import argparse
import sys

from expectations.settings import STAGES
from extract.locations import command_line_path, warehouse_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m expectations", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="run the quality gate of one stage")
    validate.add_argument("--stage", required=True, choices=STAGES)
    validate.add_argument("--warehouse", type=command_line_path, default=str(warehouse_path()),
                          help="DuckDB file (default: $BUDGET_WAREHOUSE, relative to the project root: "
                               "%(default)s)")
    validate.add_argument("--docs", type=command_line_path, default=None,
                          help="Data Docs folder (default: $BUDGET_QUALITY_DOCS)")
    validate.add_argument("--failures-only", action="store_true", help="list only failed expectations")
    validate.add_argument("--no-record", action="store_true", help="do not write quality.validation_results")
    args = parser.parse_args(argv)

    warehouse = args.warehouse
    if not warehouse.exists():
        print(f"error: no warehouse at {warehouse}; load the documents first (python -m extract --load)",
              file=sys.stderr)
        return 2
    from expectations.report import stage_summary  # GX takes seconds to import; --help should not wait
    from expectations.runner import validate_stage

    outcome = validate_stage(warehouse, args.stage, docs_dir=args.docs, record=not args.no_record)
    print(stage_summary(outcome, verbose=not args.failures_only))
    return 1 if outcome.blocking else 0


if __name__ == "__main__":
    sys.exit(main())
