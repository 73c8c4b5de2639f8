"""The app's read-only connection to the published database.

The ETL publishes by atomic replace, so the file at the path changes inode on every build.
DuckDB caches open instances per path inside a process, so a plain connect(path) would keep
serving the old build. Instead each build version gets its own in-memory connection that
ATTACHes the file READ_ONLY; the cache key is the file's (inode, mtime), so a new build is
picked up on the next rerun without a restart (stack-notes §4). A run stays on the build it
started on: the previous build's connection is kept while the next one opens, and a version's
connection is only ever opened on that version's file (a later file at the path: rerun).

A file that cannot be served (missing, damaged, or built for another schema) raises
DatabaseUnusable with a message naming the command that fixes it, before any page query runs
(ready_version()); the check runs once per file version, and again on every rerun until the
file is fixed, in well under a second.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from tracker.config import ROOT, db_path

# Reader settings: small, no extensions, no file access once the database is attached.
_CONFIG = {
    "threads": 2,
    "memory_limit": "512MB",
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


FIX = "python -m etl build"
SCHEMA = ROOT / "etl" / "schema.sql"    # the schema this app's queries are written for


class DatabaseUnusable(RuntimeError):
    """The published database cannot be served; the message says why and names the fix."""


class DatabaseMissing(DatabaseUnusable):
    """The published database does not exist yet (run `python -m etl build`)."""


def _shown(path: str) -> str:
    return "`" + str(path).replace("`", "'") + "`"


@dataclass(frozen=True)
class Version:
    """Identifies one published build of the database file."""

    path: str
    inode: int
    mtime_ns: int


def current_version(path: Path | None = None) -> Version:
    path = Path(path or db_path())
    try:
        st_ = os.stat(path)
    except FileNotFoundError as exc:
        raise DatabaseMissing(f"No published database at {_shown(path)}: build it with `{FIX}`, "
                              "then reload this page.") from exc
    return Version(str(path), st_.st_ino, st_.st_mtime_ns)


def ready_version(path: Path | None = None) -> Version:
    """current_version() of a file that opens and was built for this app's schema; raises
    DatabaseUnusable otherwise (the check is the cached connection's, once per version)."""
    for _ in range(3):  # a publish between the stat and the ATTACH: take the newer build
        version = current_version(path)
        try:
            _connection(version)
            return version
        except BuildReplaced:
            continue
    raise DatabaseUnusable(f"The published database at {_shown(version.path)} kept changing while it was "
                           "opened (three builds in a row). Reload this page once the build is done.")


@lru_cache(maxsize=1)
def _schema_sha() -> str:
    return hashlib.sha256(SCHEMA.read_bytes()).hexdigest()


def _check(con: duckdb.DuckDBPyConnection, version: Version) -> None:
    """The attached file is one build made from this app's etl/schema.sql."""
    where = _shown(version.path)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'db'").fetchall()}
    if "build_info" not in tables:
        raise DatabaseUnusable(f"The published database at {where} is not a tracker build (no build_info "
                               f"table). Rebuild it with `{FIX}`, then reload this page.")
    builds, schema = con.execute(
        "SELECT count(DISTINCT build_id), max(sha256) FILTER (WHERE table_name = '_schema_sql') "
        "FROM db.build_info").fetchone()
    if builds != 1 or schema != _schema_sha():
        raise DatabaseUnusable(f"The published database at {where} was built for another schema than "
                               f"this app's (etl/schema.sql). Rebuild it with `{FIX}`, then reload this page.")
    manifest = _manifest(version.path)   # written by the build that published this file
    build_id = con.execute("SELECT any_value(build_id) FROM db.build_info").fetchone()[0]
    if manifest.get("build_id") == build_id and manifest.get("bytes") != os.stat(version.path).st_size:
        raise DatabaseUnusable(f"The published database at {where} is not the size its build wrote "
                               f"({manifest.get('bytes')} bytes): it is damaged. Rebuild it with `{FIX}`, "
                               "then reload this page.")


def _manifest(path: str) -> dict:
    """<db>.manifest (etl/publish.py), or {} when missing or unreadable."""
    try:
        with open(path + ".manifest", encoding="utf-8") as fh:
            found = json.load(fh)
        return found if isinstance(found, dict) else {}
    except (OSError, ValueError):
        return {}


class BuildReplaced(RuntimeError):
    """The file at the path is no longer the build a run started on (a publish came between)."""


# Two builds: a run that started on the previous build finishes on it while a newer run opens
# the next; one entry would let each evict the other and reopen the path, now a newer file.
@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(version: Version) -> duckdb.DuckDBPyConnection:
    # Evicting an old entry drops our reference; live cursors keep it alive until done.
    con = duckdb.connect(config=_CONFIG)
    try:
        con.execute("ATTACH ? AS db (READ_ONLY)", [version.path])
        if not _same_file(version):  # the path already holds a later build: never serve it as this one
            con.close()
            raise BuildReplaced(f"{version.path} was replaced by a newer build while it was opened")
        _check(con, version)
    except duckdb.Error as exc:
        reason = (str(exc).splitlines()[0].replace(f'"{version.path}" ', "").replace(version.path, "the file")
                  .replace("`", "'"))
        raise DatabaseUnusable(f"The published database at {_shown(version.path)} cannot be read: it is "
                               f"damaged or not a tracker build (`{reason}`). Rebuild it with `{FIX}`, then "
                               "reload this page.") from exc
    con.execute("USE db")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _same_file(version: Version) -> bool:
    """The path still holds `version` (checked after ATTACH: the file attached is that one,
    unless the path was replaced twice in between)."""
    try:
        return current_version(version.path) == version
    except DatabaseMissing:
        return False


def _cursor(version: Version) -> duckdb.DuckDBPyConnection:
    """A cursor on `version`'s build; if that file is gone from the path (two publishes during
    one run evicted its connection), the run starts again on the newest build instead of
    mixing two builds in one page. Outside a script run, the caller sees BuildReplaced."""
    try:
        return _connection(version).cursor()
    except BuildReplaced:
        if get_script_run_ctx(suppress_warning=True) is None:
            raise
        st.rerun()


def query(sql: str, params: dict | list | None = None, version: Version | None = None) -> pd.DataFrame:
    """Run one statement with bound parameters on a fresh cursor and fetch it fully."""
    version = version or current_version()
    with _cursor(version) as cur:
        cur.execute("USE db")
        return cur.execute(sql, params or {}).df()
