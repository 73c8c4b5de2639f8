import fcntl
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import cli
from etl.tables import TABLES
from tests.etl.helpers import FIXTURE, revise, run_etl, set_cell, sha256


def test_default_db_matches_app_config():
    from tracker import config
    assert cli.DEFAULT_DB == config.DEFAULT_DB
    assert cli.DEFAULT_DATA_DIR == config.ROOT / "data"


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["build", "--bogus"], ["check", "--if-stale"]])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert e.value.code == 2


def test_missing_data_dir_is_usage_error(tmp_path: Path, capsys):
    assert cli.main(["check", "--data-dir", str(tmp_path / "nope")]) == 2
    assert cli.main(["build", "--data-dir", str(FIXTURE), "--db", str(tmp_path / "no" / "x.duckdb")]) == 2


def test_check_ok_writes_nothing(tmp_path: Path, data_dir: Path, capsys):
    before = sorted(p.name for p in data_dir.iterdir())
    assert cli.main(["check", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "trade_figures=6" in out[0]
    assert sorted(p.name for p in data_dir.iterdir()) == before


def test_check_bad_exit_1(data_dir: Path, capsys):
    set_cell(data_dir / "chips.csv", "h20", "vendor", "Nvidia")
    assert cli.main(["check", "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err
    assert "chips.csv:3: vendor: malformed id" in err


def test_build_subprocess_summary_and_readable_db(tmp_path: Path):
    db = tmp_path / "live.duckdb"
    r = run_etl("build", "--data-dir", FIXTURE, "--db", db)
    assert r.returncode == 0, r.stderr
    (line,) = r.stdout.strip().splitlines()
    assert "build_id=" in line and "figure_companies=4" in line
    con = duckdb.connect(str(db), read_only=True)
    bid = con.execute("SELECT DISTINCT build_id FROM build_info").fetchall()
    con.close()
    assert len(bid) == 1 and f"build_id={bid[0][0]}" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "live.duckdb", "live.duckdb.lock", "live.duckdb.manifest"]


def test_if_stale(tmp_path: Path, data_dir: Path, live_db: Path):
    # live_db was built from the fixture; data_dir is an identical copy
    before = sha256(live_db)
    r = run_etl("build", "--data-dir", data_dir, "--db", live_db, "--if-stale")
    assert r.returncode == 0 and "up to date" in r.stdout and sha256(live_db) == before
    revise(data_dir, "companies", "tencent", "name", "Tencent Holdings")   # logged, as a curator must
    r = run_etl("build", "--data-dir", data_dir, "--db", live_db, "--if-stale")
    assert r.returncode == 0 and "built" in r.stdout and sha256(live_db) != before
    con = duckdb.connect(str(live_db), read_only=True)
    assert con.execute("SELECT name FROM companies WHERE company_id='tencent'").fetchone() == ("Tencent Holdings",)
    con.close()


def test_if_stale_with_no_live_db_builds(tmp_path: Path):
    r = run_etl("build", "--data-dir", FIXTURE, "--db", tmp_path / "n.duckdb", "--if-stale")
    assert r.returncode == 0 and "built" in r.stdout


def test_disk_preflight_failure_exit_4(live_db: Path):
    before = sha256(live_db)
    r = run_etl("build", "--data-dir", FIXTURE, "--db", live_db, env={"H200_ETL_FAKE_FREE_BYTES": "10"})
    assert r.returncode == 4 and "not enough free disk space" in r.stderr and "Traceback" not in r.stderr
    assert sha256(live_db) == before and not (live_db.parent / "tracker.duckdb.tmp").exists()


def test_lock_held_exit_3(live_db: Path):
    lock = live_db.with_name(live_db.name + ".lock")
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        before = sha256(live_db)
        r = run_etl("build", "--data-dir", FIXTURE, "--db", live_db)
        assert r.returncode == 3
        assert f"another ETL build is running (lock: {lock})" in r.stderr
        assert sha256(live_db) == before
    finally:
        os.close(fd)


def test_if_stale_with_unreadable_live_db_rebuilds(tmp_path: Path):
    db = tmp_path / "live.duckdb"
    db.write_bytes(b"not a duckdb file")
    r = run_etl("build", "--data-dir", FIXTURE, "--db", db, "--if-stale")
    assert r.returncode == 0 and "built" in r.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM build_info").fetchone()[0] == len(TABLES) + 2  # every table + schema, views
    con.close()


def test_if_stale_rebuilds_when_the_sql_changes(live_db: Path, monkeypatch, tmp_path: Path):
    """The schema and views are inputs too: a changed view must not be served stale."""
    from etl import build
    assert set(build.code_hashes()) == {"_schema_sql", "_views_sql"}
    con = duckdb.connect(str(live_db), read_only=True)
    stored = dict(con.execute("SELECT table_name, sha256 FROM build_info").fetchall())
    con.close()
    assert {k: v for k, v in stored.items() if k.startswith("_")} == \
        {name: sha for name, (_, sha) in build.code_hashes().items()}


def test_build_twice_changes_build_id_not_data(tmp_path: Path):
    db = tmp_path / "live.duckdb"
    ids = []
    for _ in range(2):
        r = run_etl("build", "--data-dir", FIXTURE, "--db", db)
        assert r.returncode == 0, r.stderr
        con = duckdb.connect(str(db), read_only=True)
        ids.append(con.execute("SELECT DISTINCT build_id FROM build_info").fetchone()[0])
        con.close()
    # same inputs -> same digest suffix; the UTC time prefix orders builds
    assert ids[0].split("-")[1] == ids[1].split("-")[1] and ids[0] <= ids[1]
