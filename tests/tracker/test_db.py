"""The app's connection: read-only, and a new build is seen without a restart."""
import shutil

import duckdb
import pytest

from tests.conftest import FIXTURE_DATA, build_db
from tracker import config, db


def test_default_path_matches_the_etl():
    from etl import cli
    assert config.DEFAULT_DB == cli.DEFAULT_DB


def test_missing_database_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("H200_DB", str(tmp_path / "nope.duckdb"))
    with pytest.raises(db.DatabaseMissing, match="etl build"):
        db.current_version()


def test_connection_is_read_only_and_cannot_touch_files(use_fixture_db, tmp_path):
    with pytest.raises(duckdb.Error):
        db.query("CREATE TABLE x (a INT)")
    secret = tmp_path / "x.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(duckdb.Error, match="(?i)external access|disabled"):
        db.query("SELECT * FROM read_csv(?)", [str(secret)])


def test_new_build_is_seen_without_restart(tmp_path, monkeypatch):
    live = tmp_path / "live.duckdb"
    build_db(FIXTURE_DATA, live)
    monkeypatch.setenv("H200_DB", str(live))
    first = db.query("SELECT any_value(build_id) AS b FROM build_info").b.iloc[0]
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    with open(data / "companies.csv", "a", encoding="utf-8") as fh:
        fh.write("lenovo,Lenovo,China,distributor,2026-12-01\n")
    build_db(data, live)  # atomic replace while our cached connection is open
    second = db.query("SELECT any_value(build_id) AS b FROM build_info").b.iloc[0]
    assert second != first
    assert db.query("SELECT count(*) AS n FROM companies").n.iloc[0] == 5
