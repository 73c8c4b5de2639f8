"""The app's read-only connection to the published database.

The ETL publishes by atomic replace, so the file at the path changes inode on every build.
DuckDB caches open instances per path inside a process, so a plain connect(path) would keep
serving the old build. Instead each build version gets its own in-memory connection that
ATTACHes the file READ_ONLY; the cache key is the file's (inode, mtime), so a new build is
picked up on the next rerun without a restart (stack-notes §4).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from tracker.config import db_path

# Reader settings: small, no extensions, no file access once the database is attached.
_CONFIG = {
    "threads": 2,
    "memory_limit": "512MB",
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


class DatabaseMissing(RuntimeError):
    """The published database does not exist yet (run `python -m etl build`)."""


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
        raise DatabaseMissing(f"No database at {path}: run `python -m etl build`.") from exc
    return Version(str(path), st_.st_ino, st_.st_mtime_ns)


@st.cache_resource(max_entries=1, show_spinner=False)
def _connection(version: Version) -> duckdb.DuckDBPyConnection:
    # Evicting the old entry drops our reference; live cursors keep it alive until done.
    con = duckdb.connect(config=_CONFIG)
    con.execute("ATTACH ? AS db (READ_ONLY)", [version.path])
    con.execute("USE db")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def query(sql: str, params: dict | list | None = None, version: Version | None = None) -> pd.DataFrame:
    """Run one statement with bound parameters on a fresh cursor and fetch it fully."""
    version = version or current_version()
    with _connection(version).cursor() as cur:
        cur.execute("USE db")
        return cur.execute(sql, params or {}).df()
