"""Hostile SQL: each statement is refused or stopped in time, leaves no file behind, and the
explorer keeps answering normal queries right after it (and, for runaways, during it)."""
from __future__ import annotations

import os
import threading
import time

from tests.explorer.conftest import fixture_rows

import pytest

from tracker.explorer import sandbox
from tracker.explorer.service import KILL_GRACE_S, ExplorerService

BUDGET = sandbox.BUDGET_MS / 1000
FAST = 1.0                             # refused by the guard or the engine up front
STOP = BUDGET + 1.0                    # stopped by the engine (time limit, memory limit)
KILL = BUDGET + KILL_GRACE_S + 1.0     # only the parent's kill stops it
ONLY = "Only a single SELECT statement is allowed"
DENIED = r"Permission|disabled by configuration"
READ_ONLY = r"read-only|Only a single SELECT"
LOCKED = ONLY  # SET/RESET never reach the engine; test_set_is_locked_in_the_engine covers it
RUNAWAY = r"time limit|Out of Memory|Result too large"

CASES = [
    # file reads ({victim} is a CSV file we created in the watched directory)
    ("read_csv", "SELECT * FROM read_csv('/etc/passwd')", DENIED, FAST),
    ("read_csv_auto", "SELECT * FROM read_csv_auto('/etc/passwd')", DENIED, FAST),
    ("read_text", "SELECT * FROM read_text('/etc/passwd')", DENIED, FAST),
    ("read_blob", "SELECT * FROM read_blob('/etc/passwd')", DENIED, FAST),
    ("read_json", "SELECT * FROM read_json('/etc/passwd')", DENIED, FAST),
    ("read_parquet", "SELECT * FROM read_parquet('{tmp}/*.parquet')", DENIED, FAST),
    ("glob", "SELECT * FROM glob('/etc/*')", DENIED, FAST),
    ("sniff_passwd", "SELECT * FROM sniff_csv('/etc/passwd')", DENIED, FAST),
    ("sniff_tmp", "SELECT * FROM sniff_csv('{victim}')", DENIED, FAST),
    ("read_csv_tmp", "SELECT * FROM read_csv('{victim}')", DENIED, FAST),
    ("read_text_tmp", "SELECT content FROM read_text('{victim}')", DENIED, FAST),
    ("path_as_table", "SELECT * FROM '{victim}'", DENIED + "|does not exist", FAST),
    ("https_read", "SELECT * FROM read_csv('https://example.com/a.csv')", r"Permission|disabled|httpfs", FAST),
    # writes and attaches
    ("copy_to", "COPY sources TO '{tmp}/out.csv'", ONLY, FAST),
    ("copy_query_to", "COPY (SELECT 1) TO '{tmp}/out.parquet' (FORMAT parquet)", ONLY, FAST),
    ("export_database", "EXPORT DATABASE '{tmp}/dump'", ONLY, FAST),
    ("attach_file", "ATTACH '{tmp}/other.duckdb' AS other", ONLY, FAST),
    ("attach_memory", "ATTACH ':memory:' AS m", ONLY, FAST),
    ("detach", "DETACH db", ONLY, FAST),
    ("use_then_detach", "USE memory; DETACH db", ONLY, FAST),
    ("install_httpfs", "INSTALL httpfs", ONLY, FAST),
    ("load_httpfs", "LOAD httpfs", ONLY, FAST),
    ("load_file", "LOAD '{tmp}/evil.duckdb_extension'", ONLY, FAST),
    # settings
    ("set_external_access", "SET enable_external_access = true", LOCKED, FAST),
    ("set_unlock", "SET lock_configuration = false", LOCKED, FAST),
    ("set_memory", "SET memory_limit = '16GB'", LOCKED, FAST),
    ("set_threads", "SET threads = 8", LOCKED, FAST),
    ("set_time", "SET max_execution_time = 0", LOCKED, FAST),
    ("set_autoload", "SET autoload_known_extensions = true", LOCKED, FAST),
    ("set_autoinstall", "SET autoinstall_known_extensions = true", LOCKED, FAST),
    ("set_community", "SET allow_community_extensions = true", LOCKED, FAST),
    ("set_replacements", "SET python_enable_replacements = true", LOCKED, FAST),
    ("set_temp_dir", "SET temp_directory = '{tmp}'", LOCKED, FAST),
    ("reset_memory", "RESET memory_limit", LOCKED, FAST),
    ("reset_time", "RESET max_execution_time", LOCKED, FAST),
    ("pragma_threads", "PRAGMA threads = 8", ONLY, FAST),
    # DDL / DML
    ("create_table", "CREATE TABLE t AS SELECT 1", ONLY, FAST),
    ("create_temp", "CREATE TEMP TABLE t (a INT)", ONLY, FAST),
    ("insert", "INSERT INTO companies VALUES ('x', 'x', 'x', 'buyer')", ONLY, FAST),
    ("update", "UPDATE sources SET grade = 'H'", ONLY, FAST),
    ("delete", "DELETE FROM sources", ONLY, FAST),
    ("drop", "DROP TABLE sources", ONLY, FAST),
    ("create_macro", "CREATE MACRO m(a) AS a", ONLY, FAST),
    ("dml_in_cte", "WITH d AS (DELETE FROM sources RETURNING *) SELECT * FROM d", READ_ONLY, FAST),
    ("ddl_in_query_fn", "SELECT * FROM query('DROP TABLE sources')", r"Error", FAST),
    ("create_secret", "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')", ONLY, FAST),
    ("create_persistent_secret", "CREATE PERSISTENT SECRET p (TYPE s3, KEY_ID 'a', SECRET 'b')", ONLY, FAST),
    ("multi_drop", "SELECT 1; DROP TABLE sources", ONLY, FAST),
    ("multi_set", "SELECT 1; SET threads = 8", ONLY, FAST),
    ("pragma_profiling", "PRAGMA profiling_output = '{tmp}/p.json'", ONLY, FAST),
    ("call", "CALL pragma_version()", ONLY, FAST),
    ("checkpoint", "CHECKPOINT", ONLY, FAST),
    ("explain_analyze", "EXPLAIN ANALYZE SELECT 1", ONLY, FAST),
    # environment and the worker's Python globals
    ("getenv", "SELECT getenv('HOME')", r"does not exist", FAST),
    ("python_global", "SELECT * FROM EXPLORER_CANARY", r"does not exist", FAST),
    ("python_module", "SELECT * FROM sandbox", r"does not exist", FAST),
    # runaways
    ("cross_join_bomb", "SELECT count(*) FROM range(1000000000) a, range(1000000000) b", RUNAWAY, STOP),
    ("recursive_cte", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) "
                      "SELECT count(*) FROM r", RUNAWAY, STOP),
    ("string_agg", "SELECT length(string_agg(i::VARCHAR, ',')) FROM range(1000000000) t(i)", RUNAWAY, STOP),
    ("long_scan", "SELECT max(i) FROM range(10000000000000) t(i)", RUNAWAY, STOP),
    # 10^10 rows: the explorer's row limit makes this a top-N sort, and 3e8 rows finished inside
    # the budget on a fast machine (1.7 s, 2026-12-04); 10^10 is ~30x past it anywhere
    ("sort_bomb", "SELECT * FROM range(10000000000) ORDER BY random()", RUNAWAY, STOP),
    ("list_bomb", "SELECT list(i) FROM range(1000000000) t(i)", RUNAWAY, STOP),
    ("huge_result", "SELECT repeat('x', 100000) AS s FROM range(10000)", RUNAWAY, KILL),  # ~2.4 s
    # a single scalar call: neither max_execution_time nor interrupt() stops it; the kill does
    ("huge_repeat", "SELECT length(repeat('x', 1000000000))", RUNAWAY, KILL),
]


def test_corpus_is_big_enough():
    assert len(CASES) >= 45 and len({c[0] for c in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    """A directory hostile SQL aims at, holding one CSV we created (the 'victim')."""
    path = tmp_path_factory.mktemp("watched")
    (path / "victim.csv").write_text("a,b\n1,2\n")
    return path


def _listing(*dirs) -> dict:
    return {str(d): sorted(os.listdir(d)) for d in dirs}


@pytest.mark.parametrize("name, sql, expect, limit", CASES, ids=[c[0] for c in CASES])
def test_hostile(service, db_file, watched, name, sql, expect, limit):
    before = _listing(watched, db_file.parent, service.workdir)
    started = time.monotonic()
    result = service.run(sql.format(tmp=watched, victim=watched / "victim.csv"))
    elapsed = time.monotonic() - started
    assert result.frame is None and result.error, f"{name} was not refused: {result}"
    assert __import__("re").search(expect, result.error), result.error
    assert "\n" not in result.error and "Traceback" not in result.error
    assert elapsed < limit, f"{name} took {elapsed:.2f} s (limit {limit} s)"
    assert _listing(watched, db_file.parent, service.workdir) == before
    assert os.listdir(service.workdir) == []
    # ... and the service answers a normal query right after
    started = time.monotonic()
    after = service.run("SELECT count(*) AS n FROM sources")
    assert after.error is None, after.error
    assert int(after.frame["n"].iloc[0]) == len(fixture_rows("sources"))  # all still there
    assert time.monotonic() - started < 3.0


def test_set_is_locked_in_the_engine(db_file):
    """Below the guard: the engine itself refuses SET/RESET after lock_configuration."""
    con = sandbox.open_sandbox(str(db_file))
    for stmt in ("SET enable_external_access = true", "SET lock_configuration = false",
                 "SET memory_limit = '16GB'", "SET threads = 8", "SET max_execution_time = 0",
                 "SET autoload_known_extensions = true", "SET allow_community_extensions = true",
                 "SET python_enable_replacements = true", "RESET memory_limit"):
        with pytest.raises(Exception, match="configuration has been locked"):
            con.execute(stmt)
    assert sandbox.self_check(con, str(db_file)) == []


def test_engine_blocks_writes_without_the_guard(db_file, tmp_path):
    con = sandbox.open_sandbox(str(db_file))
    for stmt in (f"COPY sources TO '{tmp_path}/x.csv'", f"EXPORT DATABASE '{tmp_path}/d'",
                 f"ATTACH '{tmp_path}/o.duckdb' AS o", "INSTALL httpfs", "LOAD httpfs",
                 "CREATE TABLE t (a INT)", "DELETE FROM sources", f"COPY sources TO '{db_file}'"):
        with pytest.raises(Exception):
            con.execute(stmt)
    assert os.listdir(tmp_path) == []


def _run_runaway(svc, out):
    out["result"] = svc.run("SELECT length(repeat('x', 1000000000))")


@pytest.mark.parametrize("second", ["same_service", "other_service"])
def test_others_are_answered_while_a_runaway_runs(db_file, second):
    first = ExplorerService(db_file)
    other = first if second == "same_service" else ExplorerService(db_file)
    try:
        first.prestart()  # both pool workers up before the runaway takes one
        deadline = time.monotonic() + 20
        while len(first._idle) < first.pool_size and time.monotonic() < deadline:
            time.sleep(0.05)
        out = {}
        thread = threading.Thread(target=_run_runaway, args=(first, out))
        thread.start()
        time.sleep(0.3)  # the runaway is now running in a worker
        started = time.monotonic()
        normal = other.run("SELECT count(*) AS n FROM trade_figures")
        quick = time.monotonic() - started
        assert thread.is_alive(), "the runaway should still be running"
        thread.join(timeout=KILL + 5)
        assert normal.error is None and int(normal.frame["n"].iloc[0]) == len(fixture_rows("trade_figures"))
        assert quick < 1.0, f"normal query waited {quick:.2f} s behind the runaway"
        assert out["result"].kind == "killed"
    finally:
        first.close()
        if other is not first:
            other.close()
