"""Friendly first check on user SQL: exactly one SELECT statement.

This is NOT the security boundary (a SELECT can still call table functions or hide DML in a
CTE); the sandboxed connection is. It gives analysts a clear message early, and keeps state-
changing statements (USE, DETACH, ATTACH ':memory:', CREATE TEMP) out of the shared worker.
"""
from __future__ import annotations

import duckdb

ONLY_SELECT = "Only a single SELECT statement is allowed"
MAX_SQL_CHARS = 20_000


def short_error(exc: BaseException) -> str:
    """Exception type plus the first line of its message: enough to fix the query, no traceback."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")


def check(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """None when `sql` is exactly one SELECT; otherwise a message for the user."""
    if not sql or not sql.strip():
        return "Enter a SELECT statement"
    if len(sql) > MAX_SQL_CHARS:
        return f"Query too long (more than {MAX_SQL_CHARS:,} characters)"
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:  # a syntax error: show DuckDB's own first line
        return short_error(exc)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        return ONLY_SELECT
    return None
