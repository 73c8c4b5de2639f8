"""No silent change (design.md rule 9): every change to a curated row is in data/revisions.csv.

Two checks, both reported as located problems like every other input problem:

- The log against the data (no baseline needed): a revision names a curated table, one of its
  non-key columns and a row that exists (or was withdrawn); the latest revision of a field has
  the field's current value as its new_value; a withdrawn row is gone from its table.
- The data against a baseline (the published database for `etl check`/`etl build`, a previous
  git commit's data/ in the tests): a row whose field changed needs revisions added since the
  baseline whose chain runs from the baseline's value to the current one; a row that is gone
  needs an action=withdrawn revision; the log itself is append-only.

Values compare typed: both sides go through the row model's type for that column
(etl/models.py), so 400000 equals 400000.0 and dates compare as dates; only columns present on
both sides compare, so an added column is not a change. expected_reports is a to-do list, not
data shown as fact: its rows come and go without revisions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Callable, Optional
import datetime as dt
import hashlib
import subprocess

from pydantic import TypeAdapter, ValidationError

from etl.models import MODELS
from etl.problems import Problem, show
from etl.read import decode, records
from etl.tables import BY_NAME, TABLES, Table

LOG = "revisions"
NOT_CHECKED = frozenset({LOG, "expected_reports"})   # the log itself is append-only instead
CHECKED: tuple[Table, ...] = tuple(t for t in TABLES if t.name not in NOT_CHECKED)
LOG_FILE = BY_NAME[LOG].file


def row_key(table: Table, cells: dict) -> Optional[str]:
    """A row's id as revisions.csv names it: the key, or its parts joined by '+'."""
    parts = [cells.get(c) for c in table.key]
    return "+".join(parts) if all(parts) else None


@dataclass
class Rows:
    columns: tuple[str, ...]
    rows: dict[str, tuple[int, dict]] = field(default_factory=dict)   # key -> (line, cells)


@dataclass
class Snapshot:
    """The curated tables at one point: what the check compares. `where` names it in messages.
    Tables load on first use (`load(table)` gives its rows, or None when the table is missing or
    its header unusable); `digests` are the SHA-256 of each table's input file, so a file that
    did not change since the baseline is never parsed for the comparison."""
    where: str
    load: Callable[[Table], Optional[Rows]] = lambda table: None
    digests: dict[str, str] = field(default_factory=dict)
    _rows: dict[str, Optional[Rows]] = field(default_factory=dict, repr=False)

    def table(self, name: str) -> Optional[Rows]:
        if name not in self._rows:
            self._rows[name] = self.load(BY_NAME[name])
        return self._rows[name]

    def cells(self, table: str, key: str) -> Optional[tuple[int, dict]]:
        t = self.table(table)
        return t.rows.get(key) if t else None


# --- Typed values -------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _adapter(table: str, column: str) -> Optional[TypeAdapter]:
    model = MODELS.get(table)
    info = model.model_fields.get(column) if model else None
    if info is None:
        return None
    kind = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(kind)


def typed(table: str, column: str, text: Optional[str]) -> object:
    """The cell as its column's type (the same parsers validation uses); an empty cell is None,
    a cell that does not parse stays text (validation reports it)."""
    if text is None or text == "":
        return None
    adapter = _adapter(table, column)
    if adapter is None:
        return text
    try:
        return adapter.validate_python(text)
    except ValidationError:
        return text


def same(table: str, column: str, a: Optional[str], b: Optional[str]) -> bool:
    return a == b or typed(table, column, a) == typed(table, column, b)


def say(table: str, column: str, text: Optional[str]) -> str:
    """A value in a message: numbers and dates as they are, text repr-quoted and cut short."""
    value = typed(table, column, text)
    if value is None:
        return "empty"
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return text.strip()
    return show(text)


# --- Snapshots ----------------------------------------------------------------------------------
def parse(table: Table, text: str) -> Optional[Rows]:
    """A CSV's rows by key, with their physical lines; None when the header is unusable."""
    recs = records(text)
    first = next(recs, None)
    if first is None or first[1] is None or any(c not in first[1] for c in table.key):
        return None
    header = tuple(first[1])
    out = Rows(header)
    for line, cells, err in recs:
        if err is not None or not cells or len(cells) != len(header):
            continue                                  # validation reports these
        row = {c: (v or None) for c, v in zip(header, cells)}
        key = row_key(table, row)
        if key is not None:
            out.rows.setdefault(key, (line, row))
    return out


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def from_bytes(where: str, files: Callable[[Table], Optional[bytes]]) -> Snapshot:
    """A snapshot of CSV files, `files(table)` giving a file's bytes (None: no such file)."""
    cache: dict[str, Optional[bytes]] = {t.name: files(t) for t in TABLES}

    def load(table: Table) -> Optional[Rows]:
        data = cache.get(table.name)
        return None if data is None else parse(table, decode(table.file, data)[0])
    return Snapshot(where, load, {n: _sha(d) for n, d in cache.items() if d is not None})


def from_texts(where: str, texts: Callable[[Table], Optional[str]]) -> Snapshot:
    def files(table: Table) -> Optional[bytes]:
        text = texts(table)
        return None if text is None else text.encode("utf-8")
    return from_bytes(where, files)


def from_validated(v) -> Snapshot:
    """The inputs a check or build just read (etl.validate.Validated): the same bytes, read
    only for the tables the check needs."""
    def load(table: Table) -> Optional[Rows]:
        f = v.files.get(table.name)
        data = None if f is None else f.data
        return None if data is None else parse(table, decode(table.file, data)[0])
    return Snapshot("the CSVs", load, {n: f.sha256 for n, f in v.files.items() if f.sha256})


def from_dir(data_dir: Path) -> Snapshot:
    def files(table: Table) -> Optional[bytes]:
        path = Path(data_dir) / table.file
        return path.read_bytes() if path.exists() else None
    return from_bytes(str(data_dir), files)


def from_git(repo: Path, commit: str, folder: str = "data") -> Snapshot:
    """data/ as committed in `commit` (a file missing there is a table that did not exist)."""
    def files(table: Table) -> Optional[bytes]:
        done = subprocess.run(["git", "show", f"{commit}:{folder}/{table.file}"], cwd=repo,
                              capture_output=True)
        return done.stdout if done.returncode == 0 else None
    return from_bytes(f"commit {commit[:10]}", files)


def _text(value: object) -> Optional[str]:
    """A database value as the CSV text it was loaded from (typed() reads it back)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def from_database(db: Path) -> Snapshot:
    """The published database's curated tables, read on first use (read-only; the connection
    stays open while the snapshot lives). Raises duckdb.Error if the file cannot be read."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    digests = dict(con.execute("SELECT table_name, sha256 FROM build_info").fetchall()) \
        if "build_info" in present else {}

    def load(table: Table) -> Optional[Rows]:
        if table.name not in present:
            return None
        with con.cursor() as cur:
            cur.execute("SELECT * FROM query_table(?)", [table.name])
            columns = tuple(d[0] for d in cur.description)
            rows = Rows(columns)
            for values in cur.fetchall():
                row = dict(zip(columns, map(_text, values)))
                key = row_key(table, row)
                if key is not None:
                    rows.rows[key] = (0, row)
        return rows
    return Snapshot("the published database", load, {n: d for n, d in digests.items() if n in present})


# --- The log ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rev:
    line: int
    cells: dict

    def __getattr__(self, name: str):
        try:
            return self.cells[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def order(self) -> tuple:
        return (typed(LOG, "revised_on", self.revised_on) or dt.date.min, self.revision_id or "")


def log(snap: Snapshot) -> list[Rev]:
    rows = snap.table(LOG)
    revs = [Rev(line, cells) for line, cells in rows.rows.values()] if rows else []
    return sorted(revs, key=lambda r: r.order)


def problems(current: Snapshot, baseline: Optional[Snapshot] = None) -> list[Problem]:
    """Every revision problem of `current`, and of its changes since `baseline` if given."""
    revs = log(current)
    out = _log_problems(current, revs)
    if baseline is not None:
        out += _append_only(current, baseline)
        out += _change_problems(current, baseline, revs)
    return out


def _log_problems(current: Snapshot, revs: list[Rev]) -> list[Problem]:
    out: list[Problem] = []
    withdrawn = {(r.table_name, r.row_id): r for r in revs if r.action == "withdrawn"}
    latest: dict[tuple, Rev] = {}
    for r in revs:
        table = BY_NAME.get(r.table_name or "")
        if table is None or table.name in NOT_CHECKED:
            out.append(Problem(LOG_FILE, r.line, "table_name", "not a curated table", r.table_name))
            continue
        if r.action == "withdrawn":
            found = current.cells(table.name, r.row_id)
            if found is not None:
                out.append(Problem(LOG_FILE, r.line, "row_id",
                                   f"withdrawn, but {table.file}:{found[0]} still has this row", r.row_id))
            continue
        if r.action != "revised":
            continue                                  # validation reports the action
        if r.field in table.key or r.field not in table.columns:
            why = "a key column is never revised (withdraw the row, add a new one)" \
                if r.field in table.key else f"not a column of {table.file}"
            out.append(Problem(LOG_FILE, r.line, "field", why, r.field))
            continue
        latest[(table.name, r.row_id, r.field)] = r    # revs are in date order: the last wins
    for (name, row_id, column), r in latest.items():
        found = current.cells(name, row_id)
        if found is None:
            if (name, row_id) not in withdrawn:
                out.append(Problem(LOG_FILE, r.line, "row_id",
                                   f"no such row in {BY_NAME[name].file} (and no withdrawal logged)", row_id))
            continue
        line, cells = found
        if column in cells and not same(name, column, r.new_value, cells[column]):
            out.append(Problem(LOG_FILE, r.line, "new_value",
                               f"the latest revision of {row_id} {column} is not its current value: "
                               f"{BY_NAME[name].file}:{line} has {say(name, column, cells[column])}",
                               r.new_value or ""))
    return out


def _unchanged(current: Snapshot, baseline: Snapshot, name: str) -> bool:
    a, b = current.digests.get(name), baseline.digests.get(name)
    return a is not None and a == b


def _append_only(current: Snapshot, baseline: Snapshot) -> list[Problem]:
    if _unchanged(current, baseline, LOG):
        return []
    before, now = baseline.table(LOG), current.table(LOG)
    if before is None or now is None:
        return []
    out = []
    for rid, (_, old) in before.rows.items():
        found = now.rows.get(rid)
        if found is None:
            out.append(Problem(LOG_FILE, 1, "revision_id",
                               f"revision {rid} was removed: the log is append-only", rid))
            continue
        line, cells = found
        for column in (c for c in now.columns if c in before.columns):
            if not same(LOG, column, old.get(column), cells.get(column)):
                out.append(Problem(LOG_FILE, line, column,
                                   f"changed from {say(LOG, column, old.get(column))} to "
                                   f"{say(LOG, column, cells.get(column))}: the log is append-only "
                                   "(add a new revision instead)"))
    return out


def _change_problems(current: Snapshot, baseline: Snapshot, revs: list[Rev]) -> list[Problem]:
    known = set(baseline.table(LOG).rows) if baseline.table(LOG) else set()
    new = [r for r in revs if r.revision_id not in known]
    chains: dict[tuple, list[Rev]] = {}
    withdrawn = set()
    for r in new:
        if r.action == "revised":
            chains.setdefault((r.table_name, r.row_id, r.field), []).append(r)
        elif r.action == "withdrawn":
            withdrawn.add((r.table_name, r.row_id))
    out: list[Problem] = []
    for table in CHECKED:
        if _unchanged(current, baseline, table.name):
            continue                                  # the very bytes the baseline was built from
        before, now = baseline.table(table.name), current.table(table.name)
        if before is None or now is None:
            continue                                  # a new table, or one validation rejects
        columns = [c for c in now.columns if c in before.columns and c not in table.key]
        for key, (_, old) in before.rows.items():
            found = now.rows.get(key)
            if found is None:
                if (table.name, key) not in withdrawn:
                    out.append(Problem(table.file, 1, "+".join(table.key),
                                       f"row {key} withdrawn without a revision (add an action "
                                       f"withdrawn row to {LOG_FILE})"))
                continue
            line, cells = found
            for column in columns:
                was, is_ = old.get(column), cells.get(column)
                if same(table.name, column, was, is_):
                    continue
                chain = chains.get((table.name, key, column))
                if not chain:
                    out.append(Problem(table.file, line, column,
                                       f"changed from {say(table.name, column, was)} to "
                                       f"{say(table.name, column, is_)} without a revision"))
                    continue
                expected = was
                for r in chain:      # each step starts where the one before ended
                    if not same(table.name, column, r.old_value, expected):
                        out.append(Problem(LOG_FILE, r.line, "old_value",
                                           f"{key} {column} was {say(table.name, column, expected)} "
                                           f"in {baseline.where}", r.old_value or ""))
                    expected = r.new_value
    return out
