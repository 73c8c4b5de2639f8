"""Build a new DuckDB file from validated inputs: schema, tables, build_info, views, checks.

The validator's scratch database (etl/stage.py) attaches <db>.tmp with its schema (Target)
before the curated tables are checked, so each of those is checked and loaded in one pass
(Target.load: one statement reads the snapshot, checks every row and inserts it; a problem
anywhere and nothing of the table is kept). Then, in one transaction, build_database loads
the other tables (the reference tables' staged rows, a file Python's reader read), fills
build_info, runs views.sql and checks; on any error, or when validation found problems, the
tmp files are deleted. The caller verifies the closed file and publishes it (etl/verify.py,
etl/publish.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Optional

import duckdb

from etl import sqlcheck
from etl.pause import pause_at
from etl.publish import BuildError, remove_stale, sha256_file, tmp_paths
from etl.stage import Stage, lit, q
from etl.tables import BY_NAME, TABLES, Table
from etl.validate import Validated

HERE = Path(__file__).resolve().parent
SCHEMA_SQL = HERE / "schema.sql"
VIEWS_SQL = HERE / "views.sql"
CODE = {"_schema_sql": SCHEMA_SQL, "_views_sql": VIEWS_SQL}
# Views that views.sql's own tables were made from over every row (change_newest orders all of
# change_rows, change_day_counts counts all of change_keys): they ran in that statement, and
# check() does not run them again (at 10M rows change_rows alone is about 0.8 s).
EVALUATED_BY_VIEWS_SQL = frozenset({"change_rows", "change_keys"})


def code_hashes() -> dict[str, tuple[Path, str]]:
    """build_info name -> (file, sha256) of the SQL files a build runs."""
    return {name: (path, hashlib.sha256(path.read_bytes()).hexdigest()) for name, path in CODE.items()}


def make_build_id(v: Validated, now: dt.datetime) -> str:
    """UTC time + a digest of all input hashes: sortable, and equal inputs share the suffix."""
    digest = hashlib.sha256("".join(f.sha256 or "" for f in v.files.values()).encode()).hexdigest()
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + digest[:8]


BUILD = "build"   # the catalog name of <db>.tmp while the stage has it attached


class Target:
    """<db>.tmp while it is built: attached to the stage as `build`, schema.sql run, and the
    tables the validator has already checked and loaded (Target.load)."""

    def __init__(self, db: Path, stage: Stage):
        self.db, self.stage, self.done = db, stage, False
        self.loaded: set[str] = set()
        self.tmp, self.wal = tmp_paths(db)
        remove_stale(db)
        con = stage.con
        try:
            con.execute(f"ATTACH ? AS {q(BUILD)}", [str(self.tmp)])
            pause_at("tmp_open")
            con.execute(f"USE {q(BUILD)}")
            con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            con.execute(f"USE {q(stage.catalog)}")
            found: dict[str, list[tuple[str, str]]] = {}
            for t, c, ty in con.execute(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE "
                    "table_catalog = ? AND table_schema = 'main' ORDER BY ordinal_position", [BUILD]).fetchall():
                found.setdefault(t, []).append((c, ty))
            self.types = {t.name: found.get(t.name, []) for t in TABLES}
            for table in TABLES:
                if [c for c, _ in self.types[table.name]] != list(table.columns):
                    raise BuildError(f"{table.name}: etl/tables.py columns differ from schema.sql")
        except BaseException as e:
            self.close()
            if isinstance(e, duckdb.Error):
                raise BuildError(f"{type(e).__name__}: {str(e).splitlines()[0]}") from e
            raise

    def name(self, table: Table) -> str:
        return f"{q(BUILD)}.main.{q(table.name)}"

    def cells(self, table: Table) -> list[str]:
        """The row `r`'s cells (VARCHAR) as the schema's types."""
        return [f"r.{q(c)}" if t == "VARCHAR" else f"CAST(r.{q(c)} AS {t})" for c, t in self.types[table.name]]

    def keys(self, table: Table) -> str:
        """A FROM item of a loaded table's keys (k): what references to it are checked against."""
        return f"(SELECT {q(table.key[0])} AS k FROM {self.name(table)})"

    def load(self, table: Table, ctx: sqlcheck.Context, source: str, expected: Optional[int]) -> Optional[int]:
        """One pass: the table's rows read from `source` (DuckDB's read of its snapshot),
        checked and inserted by one statement, each row gated by the witness's conditions
        (etl/sqlcheck.py: a row with any problem raises, so nothing of the table is kept); then,
        in the same transaction, its keys must be unique on the loaded rows and the rows as many
        as the raw lines hold (`expected`). Returns the row count, or None when anything is
        wrong: the validator then finds every problem on the staged rows (sqlcheck.exact)."""
        bad = " OR ".join(f"({c.cond})" for c in sqlcheck.checks(table, ctx)) or "FALSE"
        cells = self.cells(table)
        gate = f"CASE WHEN {bad} THEN error('etl: a row has a problem') ELSE {cells[0]} END"
        rel, name = sqlcheck.joined(table, ctx, source), self.name(table)
        keys = ", ".join(q(k) for k in table.key)
        present = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
        con = self.stage.con
        con.execute("BEGIN TRANSACTION")
        try:
            n = con.execute(f"INSERT INTO {name} SELECT {', '.join([gate, *cells[1:]])} {rel}").fetchone()[0]
            dup = con.execute(f"SELECT count(*) FILTER (WHERE {present}) - count(DISTINCT ({keys})) "
                              f"FILTER (WHERE {present}) FROM {name}").fetchone()[0]
            if n != expected or dup:
                con.execute("ROLLBACK")
                return None
            con.execute("COMMIT")
        except duckdb.Error:
            try:
                con.execute("ROLLBACK")
            except duckdb.Error:
                pass                                   # a failed COMMIT ended it
            return None
        self.loaded.add(table.name)
        return n

    def copy(self, table: Table) -> None:
        """A reference table's staged rows, valid, into the build now: the curated tables that
        declare foreign keys to it load next (etl/schema.sql). Refused (a table it points at
        had problems, so was not copied): it waits for build_database, which never runs."""
        try:
            self.stage.con.execute(f"INSERT INTO {self.name(table)} SELECT {', '.join(self.cells(table))} "
                                   f"FROM {q(self.stage.catalog)}.main.{q('s_' + table.name)} AS r")
        except duckdb.Error:
            return
        self.loaded.add(table.name)

    def close(self, keep: bool = False) -> None:
        """Detach <db>.tmp (DuckDB checkpoints a database it detaches); unless `keep`, delete it."""
        if self.done:
            return
        self.done = True
        try:
            self.stage.con.execute(f"USE {q(self.stage.catalog)}")
            self.stage.con.execute(f"DETACH {q(BUILD)}")
        except (duckdb.Error, AttributeError):    # not attached, or the stage already closed
            pass
        if not keep:
            remove_stale(self.db)


def load(con: duckdb.DuckDBPyConnection, v: Validated, build_id: str, built_at: dt.datetime) -> None:
    """Into the attached build (current database): the tables the validator did not load,
    build_info, views."""
    for table in TABLES:
        if table.name in v.target.loaded:
            continue
        cells = ", ".join(v.target.cells(table))
        if table.name in v.stage.staged:      # the validator's staged rows
            rows = f"{q(v.stage.catalog)}.main.{q('s_' + table.name)}"
        else:                                 # its snapshot, read by DuckDB as the schema's types
            f = v.files[table.name]
            rows = v.stage.source(f, list(v.stage.headers[table.name]), dict(v.target.types[table.name]))
        con.execute(f"INSERT INTO {q(BUILD)}.main.{q(table.name)} SELECT {cells} FROM {rows} AS r")
    con.executemany(
        "INSERT INTO build_info VALUES (?, ?, ?, ?, ?, ?)",
        [(build_id, built_at, t.name, t.file, v.files[t.name].sha256, v.row_counts[t.name])
         for t in TABLES]
        # The SQL is an input too: a changed view must make --if-stale rebuild.
        + [(build_id, built_at, name, f"etl/{path.name}", sha, 0) for name, (path, sha) in code_hashes().items()])
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))


def check(con: duckdb.DuckDBPyConnection, v: Validated) -> dict[str, int]:
    """Post-load assertions: every table has exactly the CSV's rows, views evaluate (a count(*):
    their joins and filters run on every row; DuckDB prunes the columns, so a column's own
    expression is not computed)."""
    counts = {}
    for table in TABLES:
        n = con.execute("SELECT count(*) FROM query_table(?)", [table.name]).fetchone()[0]
        if n != v.row_counts[table.name]:
            raise BuildError(f"{table.name}: loaded {n} rows, the CSV has {v.row_counts[table.name]}")
        counts[table.name] = n
    if con.execute("SELECT count(*) FROM build_info").fetchone()[0] != len(TABLES) + len(CODE):
        raise BuildError("build_info does not have one row per input file")
    _assert_keys_and_references(con, v.target.loaded)
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal"   # derived_*, change_rows, ...
        " AND database_name = current_database()"
    ).fetchall()]
    for name in views:
        if name not in EVALUATED_BY_VIEWS_SQL:
            con.execute("SELECT count(*) FROM query_table(?)", [name]).fetchall()
    return counts


def _assert_keys_and_references(con: duckdb.DuckDBPyConnection, checked: set[str] = frozenset()) -> None:
    """Every key unique, every reference resolved (to a row it may use), in one statement:
    the tables that grow declare neither constraint (schema.sql). Not again for the tables the
    validator loaded (`checked`): their keys were counted on the loaded rows and each row's
    references resolved against the key sets of the rows loaded into their targets, in the
    statement that loaded it (Target.load; a reference table's copy, checked row by row)."""
    checks = []
    for table in TABLES:
        keys = ", ".join(q(k) for k in table.key)
        if table.name not in checked:
            checks.append((f"{table.name}: rows repeat a key ({'+'.join(table.key)})",
                           f"SELECT count(*) - count(DISTINCT ({keys})) FROM {q(table.name)}"))
        for ref in table.refs:
            if table.name in checked and ref.table in checked:
                continue
            target, key = q(ref.table), q(BY_NAME[ref.table].key[0])
            flag = f" AND t.{q(ref.where)}" if ref.where else ""
            also = "".join(f" AND r.{q(ref.column)} <> {lit(v)}" for v in ref.also)
            checks.append((f"{table.name}.{ref.column}: rows point at no {ref.table} row they may use",
                           f"SELECT count(*) FROM {q(table.name)} r WHERE r.{q(ref.column)} IS NOT NULL{also} "
                           f"AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.{key} = r.{q(ref.column)}{flag})"))
    if not checks:
        return
    found = con.execute("SELECT [" + ", ".join(f"({sql})" for _, sql in checks) + "]").fetchone()[0]
    for (what, _), n in zip(checks, found):
        if n:
            raise BuildError(f"{what}: {n}")


def build_database(db: Path, v: Validated, build_id: str, built_at: dt.datetime) -> tuple[Path, dict[str, int]]:
    """Write <db>.tmp from validated inputs; return its path and the row counts."""
    if not v.ok:
        raise BuildError("refusing to build from invalid inputs")
    if v.target is None:                    # validated without loading (tests): everything loads here
        v.target = Target(db, v.stage)
    tmp, tmp_wal = v.target.tmp, v.target.wal
    con = v.stage.con
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(f"USE {q(BUILD)}")
        load(con, v, build_id, built_at)
        counts = check(con, v)
        pause_at("loaded")
        con.execute("COMMIT")
        pause_at("committed")
        con.execute(f"CHECKPOINT {q(BUILD)}")
        v.target.close(keep=True)
    except BaseException as e:
        try:
            con.execute("ROLLBACK")
        except Exception:
            pass
        v.target.close()
        if isinstance(e, duckdb.Error):
            raise BuildError(f"{type(e).__name__}: {str(e).splitlines()[0]}") from e
        raise
    if tmp_wal.exists():
        remove_stale(db)
        raise BuildError(f"{tmp_wal} left after CHECKPOINT and close")
    v.built_sha256 = sha256_file(tmp)   # what etl/verify.py finds again before the rename
    pause_at("closed")
    return tmp, counts

