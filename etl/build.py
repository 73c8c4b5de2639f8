"""Build a new DuckDB file from validated inputs: schema, tables, build_info, views, checks.

The validator's scratch database (etl/stage.py) attaches <db>.tmp and, in one transaction,
runs schema.sql, loads every table from the validated cells (the snapshot read again by
DuckDB's reader, or the staged rows), fills build_info and runs views.sql; on any error the
transaction is rolled back and the tmp files deleted. The caller verifies the closed file and
publishes it (etl/verify.py, etl/publish.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb

from etl.pause import pause_at
from etl.publish import BuildError, remove_stale, sha256_file, tmp_paths
from etl.stage import lit, q
from etl.tables import BY_NAME, TABLES
from etl.validate import Validated

HERE = Path(__file__).resolve().parent
SCHEMA_SQL = HERE / "schema.sql"
VIEWS_SQL = HERE / "views.sql"
CODE = {"_schema_sql": SCHEMA_SQL, "_views_sql": VIEWS_SQL}


def code_hashes() -> dict[str, tuple[Path, str]]:
    """build_info name -> (file, sha256) of the SQL files a build runs."""
    return {name: (path, hashlib.sha256(path.read_bytes()).hexdigest()) for name, path in CODE.items()}


def make_build_id(v: Validated, now: dt.datetime) -> str:
    """UTC time + a digest of all input hashes: sortable, and equal inputs share the suffix."""
    digest = hashlib.sha256("".join(f.sha256 or "" for f in v.files.values()).encode()).hexdigest()
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + digest[:8]


BUILD = "build"   # the catalog name of <db>.tmp while the stage has it attached


def load(con: duckdb.DuckDBPyConnection, v: Validated, build_id: str, built_at: dt.datetime) -> None:
    """Into the attached build (current database): schema, every table, build_info, views."""
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    for table in TABLES:
        types = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = ? "
            "AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [BUILD, table.name]).fetchall()
        if [c for c, _ in types] != list(table.columns):
            raise BuildError(f"{table.name}: etl/tables.py columns differ from schema.sql")
        cells = ", ".join(f"r.{q(c)}" if t == "VARCHAR" else f"CAST(r.{q(c)} AS {t})" for c, t in types)
        if table.name in v.stage.staged:      # the validator's staged rows
            rows = f"{q(v.stage.catalog)}.main.{q('s_' + table.name)}"
        else:                                 # its snapshot, read by DuckDB as the schema's types
            f = v.files[table.name]
            rows = v.stage.source(f, list(v.stage.headers[table.name]), dict(types))
        con.execute(f"INSERT INTO {q(BUILD)}.main.{q(table.name)} SELECT {cells} FROM {rows} AS r")
    con.executemany(
        "INSERT INTO build_info VALUES (?, ?, ?, ?, ?, ?)",
        [(build_id, built_at, t.name, t.file, v.files[t.name].sha256, v.row_counts[t.name])
         for t in TABLES]
        # The SQL is an input too: a changed view must make --if-stale rebuild.
        + [(build_id, built_at, name, f"etl/{path.name}", sha, 0) for name, (path, sha) in code_hashes().items()])
    con.execute(VIEWS_SQL.read_text(encoding="utf-8"))


def check(con: duckdb.DuckDBPyConnection, v: Validated) -> dict[str, int]:
    """Post-load assertions: every table has exactly the CSV's rows, views evaluate."""
    counts = {}
    for table in TABLES:
        n = con.execute("SELECT count(*) FROM query_table(?)", [table.name]).fetchone()[0]
        if n != v.row_counts[table.name]:
            raise BuildError(f"{table.name}: loaded {n} rows, the CSV has {v.row_counts[table.name]}")
        counts[table.name] = n
    if con.execute("SELECT count(*) FROM build_info").fetchone()[0] != len(TABLES) + len(CODE):
        raise BuildError("build_info does not have one row per input file")
    _assert_keys_and_references(con)
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal"   # derived_*, change_rows, ...
        " AND database_name = current_database()"
    ).fetchall()]
    for name in views:
        con.execute("SELECT count(*) FROM query_table(?)", [name]).fetchall()
    return counts


def _assert_keys_and_references(con: duckdb.DuckDBPyConnection) -> None:
    """Every key unique, every reference resolved (to a row it may use), in one statement:
    the tables that grow declare neither constraint (schema.sql)."""
    checks = []
    for table in TABLES:
        keys = ", ".join(q(k) for k in table.key)
        checks.append((f"{table.name}: rows repeat a key ({'+'.join(table.key)})",
                       f"SELECT count(*) - count(DISTINCT ({keys})) FROM {q(table.name)}"))
        for ref in table.refs:
            target, key = q(ref.table), q(BY_NAME[ref.table].key[0])
            flag = f" AND t.{q(ref.where)}" if ref.where else ""
            also = "".join(f" AND r.{q(ref.column)} <> {lit(v)}" for v in ref.also)
            checks.append((f"{table.name}.{ref.column}: rows point at no {ref.table} row they may use",
                           f"SELECT count(*) FROM {q(table.name)} r WHERE r.{q(ref.column)} IS NOT NULL{also} "
                           f"AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.{key} = r.{q(ref.column)}{flag})"))
    found = con.execute("SELECT [" + ", ".join(f"({sql})" for _, sql in checks) + "]").fetchone()[0]
    for (what, _), n in zip(checks, found):
        if n:
            raise BuildError(f"{what}: {n}")


def build_database(db: Path, v: Validated, build_id: str, built_at: dt.datetime) -> tuple[Path, dict[str, int]]:
    """Write <db>.tmp from validated inputs; return its path and the row counts."""
    if not v.ok:
        raise BuildError("refusing to build from invalid inputs")
    tmp, tmp_wal = tmp_paths(db)
    remove_stale(db)
    con = v.stage.con
    con.execute("ATTACH ? AS build", [str(tmp)])
    try:
        pause_at("tmp_open")
        con.execute("BEGIN TRANSACTION")
        con.execute(f"USE {BUILD}")
        load(con, v, build_id, built_at)
        counts = check(con, v)
        pause_at("loaded")
        con.execute("COMMIT")
        pause_at("committed")
        con.execute(f"CHECKPOINT {BUILD}")
        _detach(con, v)
    except BaseException as e:
        try:
            con.execute("ROLLBACK")
        except Exception:
            pass
        _detach(con, v)
        remove_stale(db)
        if isinstance(e, duckdb.Error):
            raise BuildError(f"{type(e).__name__}: {str(e).splitlines()[0]}") from e
        raise
    if tmp_wal.exists():
        remove_stale(db)
        raise BuildError(f"{tmp_wal} left after CHECKPOINT and close")
    v.built_sha256 = sha256_file(tmp)   # what etl/verify.py finds again before the rename
    pause_at("closed")
    return tmp, counts


def _detach(con: duckdb.DuckDBPyConnection, v: Validated) -> None:
    """Close <db>.tmp (DuckDB checkpoints a database it detaches)."""
    try:
        con.execute(f"USE {q(v.stage.catalog)}")
        con.execute(f"DETACH {BUILD}")
    except duckdb.Error:
        pass
