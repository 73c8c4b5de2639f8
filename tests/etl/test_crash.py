"""Crash safety and concurrency: kill -9 mid-build, two builders, a reader across a publish."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.etl.helpers import FIXTURE, ROOT, revise, run_etl, sha256


def start_paused(data_dir: Path, db: Path, stage: str) -> subprocess.Popen:
    env = {**os.environ, "H200_ETL_PAUSE_AT": stage, "H200_ETL_PAUSE_SECONDS": "120"}
    p = subprocess.Popen([sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)],
                         cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()                       # '' at EOF if it never pauses: fail, don't hang
    assert line.startswith(f"H200_ETL_PAUSED {stage} "), (line, p.stderr.read() if p.poll() is not None else "")
    return p


def kill9(p: subprocess.Popen) -> None:
    os.kill(p.pid, signal.SIGKILL)
    assert p.wait(timeout=30) == -signal.SIGKILL
    p.stdout.close(); p.stderr.close()


def tag(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT name FROM companies WHERE company_id = 'tencent'").fetchone()[0]
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["locked", "validated", "tmp_open", "loaded", "committed", "closed", "fsynced"])
def test_kill9_before_publish_leaves_old_db(stage, data_dir: Path, live_db: Path):
    revise(data_dir, "companies", "tencent", "name", "Tencent NEW")   # so old != new
    before = sha256(live_db)
    kill9(start_paused(data_dir, live_db, stage))
    assert sha256(live_db) == before
    assert tag(live_db) == "Tencent"                                          # opens read-only
    r = run_etl("build", "--data-dir", data_dir, "--db", live_db)             # lock was released
    assert r.returncode == 0, r.stderr
    assert tag(live_db) == "Tencent NEW"
    assert sorted(p.name for p in live_db.parent.iterdir()) == [
        "tracker.duckdb", "tracker.duckdb.lock", "tracker.duckdb.manifest"]   # stale tmp cleaned


@pytest.mark.slow
def test_kill9_leaves_tmp_that_next_build_removes(data_dir: Path, live_db: Path):
    kill9(start_paused(data_dir, live_db, "committed"))
    leftovers = {p.name for p in live_db.parent.iterdir()}
    assert "tracker.duckdb.tmp" in leftovers                                  # the hook really hit mid-build
    assert run_etl("build", "--data-dir", data_dir, "--db", live_db).returncode == 0
    assert not (live_db.parent / "tracker.duckdb.tmp").exists()
    assert not (live_db.parent / "tracker.duckdb.tmp.wal").exists()


@pytest.mark.slow
def test_kill9_after_replace_leaves_new_db_openable(data_dir: Path, live_db: Path):
    revise(data_dir, "companies", "tencent", "name", "Tencent NEW")
    kill9(start_paused(data_dir, live_db, "replaced"))
    assert tag(live_db) == "Tencent NEW"


@pytest.mark.slow
def test_two_builds_one_waits_out(data_dir: Path, live_db: Path):
    first = start_paused(data_dir, live_db, "loaded")
    try:
        r = run_etl("build", "--data-dir", data_dir, "--db", live_db)
        assert r.returncode == 3
        lock = live_db.with_name("tracker.duckdb.lock")
        assert f"another ETL build is running (lock: {lock})" in r.stderr
    finally:
        kill9(first)
    assert run_etl("build", "--data-dir", data_dir, "--db", live_db).returncode == 0


@pytest.mark.slow
def test_two_builds_race_unpaused(data_dir: Path, live_db: Path):
    """Both start together without hooks: each either builds (0) or sees the lock (3)."""
    cmd = [sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(live_db)]
    env = {k: v for k, v in os.environ.items() if k != "H200_ETL_PAUSE_AT"}
    ps = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
          for _ in range(2)]
    for p in ps:
        p.communicate(timeout=120)
    codes = sorted(p.returncode for p in ps)
    assert codes in ([0, 0], [0, 3]), codes          # [0, 0] when the first finished before the second locked
    assert tag(live_db) == "Tencent"


@pytest.mark.slow
def test_reader_survives_publish(data_dir: Path, live_db: Path):
    reader = duckdb.connect(str(live_db), read_only=True)
    old_id = reader.execute("SELECT DISTINCT build_id FROM build_info").fetchone()[0]
    revise(data_dir, "companies", "tencent", "name", "Tencent NEW")
    r = run_etl("build", "--data-dir", data_dir, "--db", live_db)   # publishes while reader is open
    assert r.returncode == 0, r.stderr
    assert reader.execute("SELECT name FROM companies WHERE company_id='tencent'").fetchone() == ("Tencent",)
    assert reader.execute("SELECT count(*) FROM derived_pipeline_latest").fetchone()[0] > 0
    reader.close()
    # a new process (no in-process instance cache) sees the new build
    out = subprocess.run([sys.executable, "-c",
                          "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True);"
                          "print(c.execute('SELECT DISTINCT build_id FROM build_info').fetchone()[0])",
                          str(live_db)], capture_output=True, text=True, check=True).stdout.strip()
    assert out != old_id and f"build_id={out}" in r.stdout
