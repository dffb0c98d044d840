"""Load extracted documents into the DuckDB ``raw`` schema (connections: `extract.warehouse`).

* extracted documents are written as Parquet files (`extract.extracts`), then ingested in bulk: one
  transaction for the whole batch, so a failure leaves none of its rows;
* a document is its content (sha256): a byte-identical copy under another name is the same document, its
  name recorded beside the first in ``raw.document_names`` with a ``duplicate_file`` info finding;
* idempotent: a file already loaded with the same content (sha256) and extractor version is skipped (its
  extract not even read); an ingest with nothing new writes nothing;
* a changed file (same name, new content) replaces its earlier version's rows (unless another name still
  holds them);
* a different file with the same table, or the same unit and fiscal year, gets an error finding
  (``duplicate_table``, ``duplicate_unit_year``) unless the manifest's ``supersedes`` names one of them; the
  staging gate then blocks the marts, which never count a unit-year twice;
* `withdraw_documents` removes names whose files left the folder, and a document with no name left;
* a document with an error finding is recorded (``status = 'rejected'``) with its findings, but none of
  its units, projects or indicators, so bad data stops here;
* parameterised SQL only;
* while another process writes the warehouse, it waits (``extract.warehouse.writer``), then raises
  ``WarehouseLocked``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from extract import failpoints
from extract.findings import finding
from extract.manifest import ManifestError, load_manifest
from extract.model import ExtractedDocument, Finding
from extract.raw_schema import (  # noqa: F401 — names this module has always offered
    DDL,
    EXTRACTOR_VERSION,
    RAW_TABLES,
    _squeeze,
    document_rows,
    plain,
    table_key,
    unit_key,
)
from extract.warehouse import writer


@dataclass
class LoadReport:
    loaded: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    aliased: list[str] = field(default_factory=list)  # byte-identical copies of a loaded document
    duplicates: dict[str, str] = field(default_factory=dict)  # error findings against another document
    rejected: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # no content to record (e.g. missing file)
    failed: dict[str, str] = field(default_factory=dict)  # load errors, rolled back

    def summary(self) -> str:
        return (
            f"load: {len(self.loaded)} loaded, {len(self.replaced)} replaced, {len(self.unchanged)} unchanged, "
            f"{len(self.aliased)} copies of loaded documents, {len(self.duplicates)} duplicates, "
            f"{len(self.rejected)} rejected, {len(self.skipped)} skipped, {len(self.failed)} failed"
        )


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def load_documents(warehouse: str | Path, docs: Iterable[ExtractedDocument],
                   timeout: float | None = None) -> LoadReport:
    """Write each document's extract into a temporary folder, then ingest them all in one transaction;
    `timeout`: seconds to wait for the warehouse's lock. (The pipeline keeps its extracts in
    ``BUDGET_EXTRACTS`` instead, see `extract.extracts`.)"""
    from extract.extracts import write_extract

    docs = list(docs)
    with tempfile.TemporaryDirectory(prefix="extracts-") as folder:
        for doc in docs:
            write_extract(doc, folder)
        with writer(warehouse, timeout=timeout) as con:
            ensure_schema(con)
            return ingest(con, folder, [document_file(doc) for doc in docs])


@dataclass(frozen=True)
class DocumentFile:
    """One file to ingest: its name, the document (content) it holds, its manifest's ``supersedes``."""

    name: str
    document_id: str  # empty: the file could not be read, there is nothing to record
    supersedes: str | None = None
    source_path: str | None = None
    errors: tuple[str, ...] = ()  # why a file that could not be read was not (``code: message``)


def document_file(doc: ExtractedDocument) -> DocumentFile:
    return DocumentFile(doc.document, doc.document_id, _manifest_supersedes(doc), doc.source_path)


def ingest(con: duckdb.DuckDBPyConnection, folder: str | Path, files: Sequence[DocumentFile]) -> LoadReport:
    """Bring `files` (in order) into ``raw`` from their extracts in `folder`, in one transaction.

    The outcome of each file is what loading the files one after another would give: a document already
    in ``raw`` (same content, same extractor version) is not read again; a changed file replaces its
    earlier rows unless another name still holds them; a copy is recorded under its name; a duplicate
    table gets its error finding. A failure rolls the whole batch back (every file in ``failed``).
    """
    plan = _Plan.read(con)
    report = LoadReport()
    facts = plan.facts(con, folder, files)
    for file in files:
        if not file.document_id:
            report.skipped.append(file.name)
        elif file.document_id not in facts:
            report.failed[file.name] = f"no extract of {file.document_id[:12]}… in {folder}: extract it again"
        else:
            getattr(report, plan.add(file, facts[file.document_id], report)).append(file.name)
    if not plan.changed:
        return report
    con.execute("begin transaction")
    try:
        plan.apply(con, folder)
        failpoints.reached("ingest.transaction")
        con.execute("commit")
    except Exception as exc:
        con.execute("rollback")
        _Plan.forget_frames(con)
        message = f"{type(exc).__name__}: {exc}"
        done = ("loaded", "replaced", "aliased", "rejected")
        for name in [n for outcome in done for n in getattr(report, outcome)]:
            report.failed[name] = message
        for outcome in done:
            getattr(report, outcome).clear()
        return report
    _Plan.forget_frames(con)
    return report


@dataclass
class _Facts:
    """What the name-level rules need to know of a document's content."""

    failed: bool
    fiscal_year: int | None
    table_key: str | None
    unit_key: str | None


@dataclass
class _Stored:
    name: str
    version: str
    status: str
    fiscal_year: int | None
    from_extract: bool = False  # inserted by this ingest (from its extract), not yet in ``raw``
    source_path: str | None = None


@dataclass
class _Name:
    document_id: str
    supersedes: str | None
    table_key: str | None
    unit_key: str | None


@dataclass
class _Plan:
    """The ``raw`` bookkeeping of one ingest, worked out in memory first, then applied in bulk."""

    names: dict[str, _Name]
    stored: dict[str, _Stored]
    raw_names: dict[str, str]  # document_id → its name in ``raw.documents`` before the ingest
    touched_names: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)  # documents whose ``raw`` rows go
    added_findings: list[tuple[str, Finding]] = field(default_factory=list)
    names_of: dict[str, set[str]] = field(default_factory=dict)
    by_table: dict[str, set[str]] = field(default_factory=dict)
    by_unit: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> _Plan:
        stored = {i: _Stored(name, version, status, year) for i, name, version, status, year in con.execute(
            "select document_id, document_name, extractor_version, status, fiscal_year from raw.documents"
        ).fetchall()}
        plan = cls({}, stored, {i: s.name for i, s in stored.items()})
        for name, *row in con.execute(
                "select document_name, document_id, supersedes, table_key, unit_key from raw.document_names"
        ).fetchall():
            plan._index(name, _Name(*row))
        plan.touched_names.clear()
        return plan

    @property
    def changed(self) -> bool:
        return bool(self.touched_names or self.deleted or self.added_findings or self._inserted()
                    or self._renamed())

    def facts(self, con: duckdb.DuckDBPyConnection, folder: str | Path, files: Sequence[DocumentFile]
              ) -> dict[str, _Facts]:
        """Each file's document: from ``raw`` when current there, else from its extract in `folder`."""
        from extract.extracts import extract_dir

        facts: dict[str, _Facts] = {}
        wanted = []
        for document_id in dict.fromkeys(f.document_id for f in files if f.document_id):
            stored = self.stored.get(document_id)
            name = next(iter(self.names_of.get(document_id, ())), None)
            if stored and stored.version == EXTRACTOR_VERSION and name and self.names[name].table_key:
                facts[document_id] = _Facts(stored.status == "rejected", stored.fiscal_year,
                                            self.names[name].table_key, self.names[name].unit_key)
            elif (path := extract_dir(folder, document_id) / "documents.parquet").is_file():
                wanted.append(str(path))
        if wanted:
            for document_id, status, year, table, unit in con.execute(
                    "select document_id, status, fiscal_year, table_key, unit_key from read_parquet(?)", [wanted]
            ).fetchall():
                facts[document_id] = _Facts(status == "rejected", year, table, unit)
        return facts

    def add(self, file: DocumentFile, facts: _Facts, report: LoadReport) -> str:
        """One file, as `load_document` did it: its outcome (a `LoadReport` field)."""
        document_id, name = file.document_id, file.name
        named = self.names.get(name)
        stored = self.stored.get(document_id)
        current = stored is not None and stored.version == EXTRACTOR_VERSION
        if current and named and (named.document_id, named.supersedes) == (document_id, file.supersedes):
            if not facts.failed and (conflict := self._duplicate_finding(file, facts)):
                report.duplicates[name] = conflict.message  # an error on every run
            return "unchanged"
        earlier = named.document_id if named and named.document_id != document_id else None
        self._drop_name(name)
        if current:
            if stored.name != name:
                self.added_findings.append((document_id, finding(
                    "duplicate_file", f"{name}: a byte-identical copy of {stored.name}: one document, both names "
                    "recorded; its amounts are counted once")))
            outcome = "replaced" if named else "aliased"
        else:
            if stored:  # an earlier extractor's rows of this content
                self._delete(document_id)
            self.stored[document_id] = _Stored(name, EXTRACTOR_VERSION, "rejected" if facts.failed else "loaded",
                                               facts.fiscal_year, True, file.source_path)
            outcome = "rejected" if facts.failed else "replaced" if named or stored else "loaded"
        self._index(name, _Name(document_id, file.supersedes, facts.table_key, facts.unit_key))
        if not facts.failed and not current and (conflict := self._duplicate_finding(file, facts)):
            self.added_findings.append((document_id, conflict))
            report.duplicates[name] = conflict.message
        if earlier:
            self._forget_name(earlier, name)
        return outcome

    def _index(self, name: str, row: _Name) -> None:
        self.names[name] = row
        self.touched_names.add(name)
        self.names_of.setdefault(row.document_id, set()).add(name)
        if row.table_key:
            self.by_table.setdefault(row.table_key, set()).add(name)
        if row.unit_key is not None:
            self.by_unit.setdefault(row.unit_key, set()).add(name)

    def _drop_name(self, name: str) -> None:
        row = self.names.pop(name, None)
        if row is None:
            return
        self.touched_names.add(name)
        self.names_of[row.document_id].discard(name)
        self.by_table.get(row.table_key or "", set()).discard(name)
        self.by_unit.get(row.unit_key or "", set()).discard(name)

    def _delete(self, document_id: str) -> None:
        self.stored.pop(document_id, None)
        if document_id in self.raw_names:  # its rows in ``raw`` go (rows of this ingest are not written)
            self.deleted.add(document_id)
        self.added_findings = [(i, f) for i, f in self.added_findings if i != document_id]

    def _forget_name(self, document_id: str, name: str) -> None:
        """After `name` stopped naming `document_id`: drop the document if no name is left, else rename it."""
        left = min(self.names_of.get(document_id) or [None], key=lambda n: n or "")
        if left is None:
            self._delete(document_id)
        elif (stored := self.stored.get(document_id)) and stored.name == name:
            stored.name = left

    def _duplicate_finding(self, file: DocumentFile, facts: _Facts) -> Finding | None:
        """An error finding when another loaded document holds the same table, or the same unit and year, and
        neither supersedes the other."""
        candidates = set(self.by_table.get(facts.table_key or "", ()))
        if facts.fiscal_year is not None and facts.unit_key is not None:
            candidates |= self.by_unit.get(facts.unit_key, set())
        mine = self.names_of.get(file.document_id, set())
        for other in sorted(candidates):
            row = self.names[other]
            other_doc = self.stored.get(row.document_id)
            if row.document_id == file.document_id or other_doc is None or other_doc.status != "loaded":
                continue
            same_table = facts.table_key is not None and row.table_key == facts.table_key
            if not same_table and not (other_doc.fiscal_year == facts.fiscal_year and row.unit_key == facts.unit_key):
                continue
            if other == file.supersedes or row.supersedes in mine:
                continue
            if same_table:
                return finding("duplicate_table", f"{file.name}: holds the same table as {other} (unit, year and "
                               "project rows): its amounts would be counted twice; remove one, or name the one it "
                               "replaces in manifest.csv's `supersedes` column")
            return finding("duplicate_unit_year", f"{file.name}: a second document for {facts.unit_key} in "
                           f"{facts.fiscal_year} besides {other}: remove one, or name the one it replaces in "
                           "manifest.csv's `supersedes` column")
        return None

    def _inserted(self) -> dict[str, _Stored]:
        return {i: s for i, s in self.stored.items() if s.from_extract}

    def _renamed(self) -> dict[str, str]:
        return {i: s.name for i, s in self.stored.items()
                if not s.from_extract and i not in self.deleted and self.raw_names.get(i) != s.name}

    def apply(self, con: duckdb.DuckDBPyConnection, folder: str | Path) -> None:
        """Write the plan: names, deleted rows, the new extracts' rows (read in bulk), renames, findings."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        if self.touched_names:
            _frame(con, "touched", ["document_name"], [(n,) for n in self.touched_names])
            con.execute("delete from raw.document_names where document_name in (select document_name from touched)")
        _insert_frame(con, "document_names", [
            (n, r.document_id, r.supersedes, r.table_key, r.unit_key, now)
            for n in sorted(self.touched_names) if (r := self.names.get(n))])
        if self.deleted:
            _frame(con, "deleted", ["document_id"], [(i,) for i in self.deleted])
            for table in RAW_TABLES:  # table names from RAW_TABLES
                con.execute(f"delete from raw.{table} where document_id in (select document_id from deleted)")
        if inserted := self._inserted():
            self._insert_extracts(con, folder, inserted, now)
        if renamed := self._renamed():
            _frame(con, "renamed", ["document_id", "document_name"], list(renamed.items()))
            con.execute("update raw.documents set document_name = renamed.document_name from renamed "
                        "where raw.documents.document_id = renamed.document_id")
        self._insert_findings(con)

    def _insert_extracts(self, con: duckdb.DuckDBPyConnection, folder: str | Path, inserted: dict[str, _Stored],
                         now: dt.datetime) -> None:
        from extract.extracts import extract_dir

        dirs = [extract_dir(folder, i) for i in sorted(inserted)]
        _frame(con, "named", ["document_id", "document_name", "source_path"],
               [(i, s.name, s.source_path) for i, s in inserted.items()])
        columns = [c for c, _ in _column_types(con, "documents")]
        override = {"document_name": "n.document_name", "source_path": "n.source_path", "loaded_at": "?::timestamp"}
        select = ", ".join(override.get(c, f'e."{c}"') for c in columns)
        con.execute(f"insert into raw.documents select {select} from read_parquet(?) e "  # columns from the DDL
                    "join named n using (document_id)", [now, [str(d / "documents.parquet") for d in dirs]])
        for table in RAW_TABLES[1:]:
            columns = ", ".join(f'"{c}"' for c, _ in _column_types(con, table))
            con.execute(f"insert into raw.{table} select {columns} from read_parquet(?)",  # names from the DDL
                        [[str(d / f"{table}.parquet") for d in dirs]])

    def _insert_findings(self, con: duckdb.DuckDBPyConnection) -> None:
        """The findings this ingest adds (copies, duplicates), numbered after each document's own."""
        if not self.added_findings:
            return
        order: dict[str, int] = {}
        records = []
        for document_id, f in self.added_findings:
            order[document_id] = order.get(document_id, 0) + 1
            records.append((document_id, order[document_id], f.severity, f.code, f.message, f.unit, f.project_seq,
                            f.text))
        _frame(con, "added", ["document_id", "nth", "severity", "code", "message", "unit_name", "project_seq",
                              "source_text"], records)
        con.execute(
            "insert into raw.findings select a.document_id, "
            "(select coalesce(max(finding_seq), 0) from raw.findings f where f.document_id = a.document_id) + a.nth, "
            "a.severity, a.code, a.message, a.unit_name, a.project_seq::integer, null, null, null, a.source_text "
            "from added a order by a.document_id, a.nth")
        con.execute(
            "update raw.documents set error_count = error_count + e.errors from ("
            "select document_id, count(*) as errors from added where severity = 'error' group by 1) e "
            "where raw.documents.document_id = e.document_id")


    @staticmethod
    def forget_frames(con: duckdb.DuckDBPyConnection) -> None:
        for name in ("touched", "deleted", "named", "renamed", "added"):
            with contextlib.suppress(Exception):  # registered only when there was something to write
                con.unregister(name)


def _frame(con: duckdb.DuckDBPyConnection, name: str, columns: list[str], records: list[tuple]) -> None:
    """`records` as the temporary view `name` (values travel as data, never as SQL)."""
    con.register(name, pd.DataFrame(records, columns=columns, dtype=object))


def withdraw_documents(con: duckdb.DuckDBPyConnection, names: Iterable[str]) -> list[str]:
    """Forget the file `names`; a document left without any name leaves every raw table. The names withdrawn."""
    withdrawn = []
    for name in names:
        row = con.execute("select document_id from raw.document_names where document_name = ?", [name]).fetchall()
        if not row:
            continue
        con.execute("begin transaction")
        con.execute("delete from raw.document_names where document_name = ?", [name])
        _forget_name(con, row[0][0], name)
        con.execute("commit")
        withdrawn.append(name)
    return withdrawn


def document_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute("select document_name from raw.document_names order by 1").fetchall()]


def _forget_name(con: duckdb.DuckDBPyConnection, document_id: str, name: str) -> None:
    """After `name` stopped naming `document_id`: drop the document if no name is left, else rename it."""
    left = con.execute("select min(document_name) from raw.document_names where document_id = ?",
                       [document_id]).fetchall()[0][0]
    if left is None:
        _delete_rows(con, document_id)
    else:
        con.execute("update raw.documents set document_name = ? where document_id = ? and document_name = ?",
                    [left, document_id, name])


def _delete_rows(con: duckdb.DuckDBPyConnection, document_id: str) -> None:
    for table in RAW_TABLES:
        con.execute(f"delete from raw.{table} where document_id = ?", [document_id])  # table from RAW_TABLES


def _manifest_supersedes(doc: ExtractedDocument) -> str | None:
    if not doc.source_path:
        return None
    try:
        entry = load_manifest(Path(doc.source_path).parent).get(doc.document)
    except (ManifestError, OSError):
        return None
    return entry.supersedes if entry else None


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, records: list[tuple]) -> None:
    """Insert many records at once through a DataFrame: ~30x faster than executemany.

    Values travel as Python objects (decimals as text) and are cast to the table's column types in SQL,
    so no value is ever formatted into the statement.
    """
    if not records:
        return
    columns = _column_types(con, table)
    frame = pd.DataFrame(
        [[plain(v) for v in record] for record in records], columns=[f"c{i}" for i in range(len(columns))], dtype=object
    )
    casts = ", ".join(f"c{i}::{data_type}" for i, (_, data_type) in enumerate(columns))
    con.register("incoming_records", frame)
    try:
        con.execute(f"insert into raw.{table} select {casts} from incoming_records")  # names from the catalog
    finally:
        con.unregister("incoming_records")


_COLUMN_TYPES: dict[tuple[int, str], list[tuple[str, str]]] = {}


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    key = (id(con), table)
    if key not in _COLUMN_TYPES:
        _COLUMN_TYPES[key] = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
    return _COLUMN_TYPES[key]
