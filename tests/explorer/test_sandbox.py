"""The sandbox's settings are what we think they are, and the self-check refuses otherwise."""
from __future__ import annotations

import duckdb
import pytest

from tracker.explorer import guard, sandbox
from tracker.explorer.service import ExplorerService


def test_max_execution_time_exists_in_this_duckdb():
    con = duckdb.connect()
    names = {r[0] for r in con.execute(
        "SELECT name FROM duckdb_settings() WHERE name LIKE '%execution%'").fetchall()}
    assert "max_execution_time" in names


def test_sandbox_reads_back_every_hardening_setting(db_file):
    con = sandbox.open_sandbox(str(db_file))
    values = sandbox.readback(con)
    assert sandbox.problems(values, str(db_file)) == []
    for name, want in sandbox.EXPECTED.items():
        assert values[name] == want
    assert values["db_readonly"] == "true" and values["current_database"] == "db"


def test_self_check_catches_a_missing_setting(db_file):
    weak = {k: v for k, v in sandbox.CONFIG.items() if k != "python_enable_replacements"}
    con = sandbox.open_sandbox(str(db_file), config=weak)
    found = sandbox.self_check(con, str(db_file))
    assert found == ["python_enable_replacements is 'true', expected 'false'"]


def test_self_check_catches_a_writable_attach(db_file, tmp_path):
    con = duckdb.connect(config=dict(sandbox.CONFIG))
    con.execute("ATTACH ? AS db", [str(db_file)])  # no READ_ONLY, no lock, external access on
    con.execute("USE db")
    found = " ".join(sandbox.self_check(con, str(db_file)))
    for name in ("db_readonly", "enable_external_access", "lock_configuration"):
        assert name in found


def test_service_refuses_to_serve_when_an_expectation_differs(db_file, monkeypatch):
    monkeypatch.setitem(sandbox.EXPECTED, "threads", "2")  # the worker really runs with 1
    svc = ExplorerService(db_file)
    try:
        assert svc.disabled_reason.startswith("explorer disabled: ")
        assert "threads is '1', expected '2'" in svc.disabled_reason
        result = svc.run("SELECT 1")
        assert result.kind == "disabled" and result.frame is None
    finally:
        svc.close()


def test_service_refuses_when_the_database_cannot_be_attached(tmp_path):
    svc = ExplorerService(tmp_path / "missing.duckdb")
    try:
        assert svc.disabled_reason and svc.disabled_reason.startswith("explorer disabled: ")
    finally:
        svc.close()


@pytest.mark.parametrize("sql, ok", [
    ("SELECT 1", True), ("FROM sources", True), ("WITH a AS (SELECT 1) SELECT * FROM a", True),
    ("SELECT 1;", True), ("-- note\nSELECT 1", True), ("SUMMARIZE sources", True),
    ("SELECT 1; SELECT 2", False), ("PRAGMA version", False), ("CALL pragma_version()", False),
    ("SET threads = 4", False), ("USE memory", False), ("EXPLAIN SELECT 1", False),
    ("", False), ("  ;  ", False),
])
def test_guard(sql, ok):
    message = guard.check(duckdb.connect(), sql)
    assert (message is None) == ok
    if not ok and sql.strip(" ;"):
        assert message == guard.ONLY_SELECT


def test_guard_reports_syntax_errors_briefly():
    message = guard.check(duckdb.connect(), "SELEC 1")
    assert message.startswith("ParserException: ") and "\n" not in message
