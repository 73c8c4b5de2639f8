"""Connection settings for the explorer's DuckDB sandbox, and the self-check that verifies them.

DuckDB treats SQL as code, so these settings are defence in depth on top of the worker process
(see worker.py): no file or network access, no extensions, bounded memory/time/threads, and a
locked configuration so the user's SQL cannot undo any of it. Checked on duckdb 2.0.1.
"""
from __future__ import annotations

import duckdb

BUDGET_MS = 2000  # per-query time budget; also the watchdog's interrupt time

# Set at connect time. enable_external_access and lock_configuration come later (open_sandbox),
# because external access must stay on for the ATTACH itself.
CONFIG: dict[str, object] = {
    "threads": 1,
    "async_threads": 1,
    "memory_limit": "512MiB",
    "max_temp_directory_size": "0B",   # no spilling to disk ...
    "temp_directory": "",              # ... and no temp directory at all
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,
    "python_enable_replacements": False,  # no scans of Python variables in the worker
    "max_execution_time": BUDGET_MS,      # new in 2.0: the engine's own time budget (ms)
}

# What duckdb_settings() must report once the sandbox is up (its own formatting, e.g. MiB).
EXPECTED: dict[str, str] = {
    "threads": "1",
    "async_threads": "1",
    "memory_limit": "512.0 MiB",
    "max_temp_directory_size": "0 bytes",
    "temp_directory": "",
    "autoinstall_known_extensions": "false",
    "autoload_known_extensions": "false",
    "allow_community_extensions": "false",
    "allow_persistent_secrets": "false",
    "python_enable_replacements": "false",
    "max_execution_time": str(BUDGET_MS),
    "enable_external_access": "false",
    "lock_configuration": "true",
    "allowed_configs": "[]",      # nothing may be SET after the lock
    "allowed_directories": "[]",
}


def open_sandbox(db_path: str, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """In-memory connection with the DB file attached read-only, then locked down."""
    con = duckdb.connect(":memory:", config=dict(CONFIG if config is None else config))
    con.execute("ATTACH ? AS db (READ_ONLY)", [str(db_path)])
    con.execute("USE db")
    con.execute("SET enable_external_access = false")  # after ATTACH: it blocks ATTACH
    con.execute("SET lock_configuration = true")       # last: freezes everything above
    return con


def allowed_paths(db_path: str) -> set[str]:
    """DuckDB itself exempts the attached file and its WAL names from the external-access ban
    (readable, but COPY TO them is refused: "the file belongs to an attached database")."""
    return {str(db_path) + suffix for suffix in ("", ".wal", ".wal.checkpoint", ".wal.recovery")}


def readback(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The live values of the settings we care about, as duckdb_settings() reports them."""
    rows = con.execute(
        "SELECT name, value FROM duckdb_settings() WHERE list_contains(?, name)",
        [sorted([*EXPECTED, "allowed_paths"])],
    ).fetchall()
    values = {name: value for name, value in rows}
    db = con.execute(
        "SELECT readonly FROM duckdb_databases() WHERE database_name = 'db'").fetchall()
    values["db_readonly"] = str(bool(db and db[0][0])).lower()
    values["current_database"] = con.execute("SELECT current_database()").fetchall()[0][0]
    return values


def problems(values: dict[str, str], db_path: str,
             expected: dict[str, str] | None = None) -> list[str]:
    """Every difference between the read-back values and what the sandbox requires."""
    want = dict(EXPECTED if expected is None else expected)
    want.update(db_readonly="true", current_database="db")
    found = [f"{name} is {values.get(name)!r}, expected {value!r}"
             for name, value in want.items() if values.get(name) != value]
    paths = values.get("allowed_paths") or ""
    if {p for p in paths.strip("[]").split(", ") if p} != allowed_paths(db_path):
        found.append(f"allowed_paths is {paths!r}, expected only the database file and its WAL")
    return found


def self_check(con: duckdb.DuckDBPyConnection, db_path: str,
               expected: dict[str, str] | None = None) -> list[str]:
    return problems(readback(con), db_path, expected)
