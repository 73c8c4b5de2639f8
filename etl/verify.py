"""Check a closed build the way a reader will open it, before it is published.

A new file replaces the live database only if it opens read-only in a fresh connection, holds
exactly one build (the id this build made), was made by this schema.sql (its SHA-256 in
build_info), has every table with the columns etl/tables.py names and the row counts the
build loaded (in the table and in build_info). Its SHA-256 is then
taken again and must equal the one taken when the build closed the file (etl/build.py); it
goes to the manifest (etl/publish.py). A file damaged after the build closed it (a bad disk,
a stray writer, a truncation) is never renamed onto the live path: the build fails (exit 4)
and the live database stays as it was.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from etl.build import SCHEMA_SQL, code_hashes
from etl.publish import BuildError, sha256_file
from etl.tables import TABLES


def verified(tmp: Path, build_id: str, counts: dict[str, int], closed_sha256: str | None = None) -> str:
    """The SHA-256 of `tmp` once it reads back as this build and (given the hash taken when the
    build closed it) has not changed since; BuildError otherwise."""
    try:
        con = duckdb.connect(str(tmp), read_only=True)
    except duckdb.Error as e:
        raise BuildError(f"the new build does not open: {type(e).__name__}: {str(e).splitlines()[0]}") from e
    try:
        _check(con, build_id, counts)
    except duckdb.Error as e:
        raise BuildError(f"the new build does not read back: {type(e).__name__}: "
                         f"{str(e).splitlines()[0]}") from e
    finally:
        con.close()
    sha = sha256_file(tmp)
    if closed_sha256 is not None and sha != closed_sha256:
        raise BuildError("the new build changed after the build closed it (its SHA-256 differs)")
    return sha


def _check(con: duckdb.DuckDBPyConnection, build_id: str, counts: dict[str, int]) -> None:
    info = {r[0]: r[1:] for r in con.execute(
        "SELECT table_name, build_id, sha256, row_count FROM build_info").fetchall()}
    ids = {r[0] for r in info.values()}
    if ids != {build_id}:
        raise BuildError(f"the new build holds build ids {sorted(ids)}, expected {build_id}")
    schema = code_hashes()["_schema_sql"][1]
    if info.get("_schema_sql", (None, None))[1] != schema:
        raise BuildError(f"the new build was not made by this {SCHEMA_SQL.name}")
    columns: dict[str, list[str]] = {}
    for t, c in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
        columns.setdefault(t, []).append(c)
    for table in TABLES:
        if columns.get(table.name) != list(table.columns):
            raise BuildError(f"the new build's {table.name} has columns {columns.get(table.name)}")
        n = con.execute("SELECT count(*) FROM query_table(?)", [table.name]).fetchone()[0]
        if not n == counts.get(table.name) == info.get(table.name, (None, None, None))[2]:
            raise BuildError(f"the new build's {table.name} has {n} rows, the build loaded "
                             f"{counts.get(table.name)}")
