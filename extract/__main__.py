"""``python -m extract PATH...``: one contract JSON object per document on stdout (JSON Lines).

``--load`` also loads the documents into the DuckDB warehouse; ``--remove NAME`` withdraws the document
file NAME from it (its rows leave ``raw``; the marts follow on the next build). The exit status is 1 when
any document carries an error finding (the others are still printed and loaded), and 2 when the manifest
cannot be used, a name to remove is not in the warehouse, or the warehouse stayed locked by another
process for longer than $BUDGET_LOCK_TIMEOUT seconds.
"""

from __future__ import annotations

import argparse
import json
import sys

from extract.locations import command_line_path, warehouse_path
from extract.manifest import ManifestError
from extract.parallel import extract_many
from extract.reader import document_paths
from extract.warehouse import WarehouseLocked


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m extract", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="document files or folders of documents")
    parser.add_argument("--remove", action="append", default=[], metavar="NAME",
                        help="withdraw the document file NAME from the warehouse (repeatable)")
    parser.add_argument("--load", action="store_true", help="also load into the DuckDB warehouse")
    parser.add_argument("--warehouse", type=command_line_path, default=str(warehouse_path()),
                        help="DuckDB file (default: $BUDGET_WAREHOUSE, relative to the project root: %(default)s)")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    parser.add_argument("--quiet", action="store_true", help="print a summary instead of the JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser()
    args = parser.parse_args(argv)
    if not args.paths and not args.remove:
        parser.error("name document files or folders, or --remove NAME")
    if args.remove:
        status = remove(args.warehouse, args.remove)
        if not args.paths:
            return status
    try:
        docs = extract_many(document_paths(args.paths), workers=args.workers)
    except ManifestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for doc in docs:
        if not args.quiet:
            sys.stdout.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        for finding in doc.findings:
            if finding.severity == "error":
                print(f"error: {finding.code}: {finding.message}", file=sys.stderr)
    if args.load:
        from extract.load import load_documents

        try:
            report = load_documents(args.warehouse, docs)
        except WarehouseLocked as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(report.summary(), file=sys.stderr)
    if args.quiet:
        for doc in docs:
            projects = len(doc.projects())
            indicators = sum(len(p.indicators) for _, p in doc.projects())
            print(f"{doc.document}: {projects} projects, {indicators} indicators, {len(doc.findings)} findings"
                  f"{' (FAILED)' if doc.failed else ''}", file=sys.stderr)
    return 1 if any(doc.failed for doc in docs) else 0


def remove(warehouse: str, names: list[str]) -> int:
    from extract.load import ensure_schema, withdraw_documents
    from extract.warehouse import writer

    try:
        with writer(warehouse) as con:
            ensure_schema(con)
            withdrawn = withdraw_documents(con, names)
    except WarehouseLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name in names:
        print(f"withdrew {name}" if name in withdrawn else f"error: {name} is not in the warehouse {warehouse}",
              file=sys.stderr)
    return 0 if len(withdrawn) == len(names) else 2


if __name__ == "__main__":
    sys.exit(main())
