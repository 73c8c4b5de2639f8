"""Build a new DuckDB file from validated inputs: schema, tables, build_info, views, checks.

Everything happens in one transaction on <db>.tmp; on any error the transaction is rolled back
and the tmp files deleted. The caller publishes the closed file (etl/publish.py).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import duckdb
import pandas as pd

from etl.pause import pause_at
from etl.publish import BuildError, remove_stale, tmp_paths
from etl.tables import TABLES
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


def _frame(data: bytes, columns: tuple[str, ...]) -> pd.DataFrame:
    """The validated bytes as all-text columns; empty cells are NULL. DuckDB casts on insert,
    and validation already proved every cast succeeds."""
    df = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[""],
                     encoding="utf-8", engine="c")
    if tuple(df.columns) != columns:   # validation would have said so; refuse to guess
        df = df[list(columns)]
    return df


def load(con: duckdb.DuckDBPyConnection, v: Validated, build_id: str, built_at: dt.datetime) -> None:
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    for table in TABLES:
        # Relation API, not SQL text: the table name never goes into a statement. insert_into
        # is positional, so the CSV column order must be the schema's.
        schema_cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table.name]).fetchall()]
        if schema_cols != list(table.columns):
            raise BuildError(f"{table.name}: etl/tables.py columns differ from schema.sql")
        con.from_df(_frame(v.files[table.name].data, table.columns)).insert_into(table.name)
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
    views = [r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal"   # derived_*, change_rows, ...
    ).fetchall()]
    for name in views:
        con.execute("SELECT count(*) FROM query_table(?)", [name]).fetchall()
    return counts


def build_database(db: Path, v: Validated, build_id: str, built_at: dt.datetime) -> tuple[Path, dict[str, int]]:
    """Write <db>.tmp from validated inputs; return its path and the row counts."""
    if not v.ok:
        raise BuildError("refusing to build from invalid inputs")
    tmp, tmp_wal = tmp_paths(db)
    remove_stale(db)
    con = duckdb.connect(str(tmp))
    try:
        pause_at("tmp_open")
        con.execute("BEGIN TRANSACTION")
        load(con, v, build_id, built_at)
        counts = check(con, v)
        pause_at("loaded")
        con.execute("COMMIT")
        pause_at("committed")
        con.execute("CHECKPOINT")
        con.close()
    except BaseException as e:
        try:
            con.execute("ROLLBACK")
        except Exception:
            pass
        con.close()
        remove_stale(db)
        if isinstance(e, duckdb.Error):
            raise BuildError(f"{type(e).__name__}: {str(e).splitlines()[0]}") from e
        raise
    if tmp_wal.exists():
        remove_stale(db)
        raise BuildError(f"{tmp_wal} left after CHECKPOINT and close")
    pause_at("closed")
    return tmp, counts
