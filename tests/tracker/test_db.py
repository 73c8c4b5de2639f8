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


def _rebuild_with_a_fifth_company(tmp_path, live):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    with open(data / "companies.csv", "a", encoding="utf-8") as fh:
        fh.write("lenovo,Lenovo,China,distributor,2026-12-01\n")
    build_db(data, live)


def test_a_run_on_the_previous_build_stays_on_it(tmp_path, monkeypatch):
    """A run that started before a publish keeps reading its own build after a newer run
    opened the next one: no page mixes two builds."""
    live = tmp_path / "live.duckdb"
    build_db(FIXTURE_DATA, live)
    monkeypatch.setenv("H200_DB", str(live))
    old = db.ready_version()
    count = "SELECT count(*) AS n FROM companies"
    assert db.query(count, version=old).n.iloc[0] == 4
    _rebuild_with_a_fifth_company(tmp_path, live)
    new = db.ready_version()
    assert new != old
    assert db.query(count, version=new).n.iloc[0] == 5
    assert db.query(count, version=old).n.iloc[0] == 4  # still the old file, not the path's


def test_a_version_is_never_opened_on_a_later_file(tmp_path, monkeypatch):
    """Once its file is gone from the path, an old version cannot be served from the newer
    file under its old name (its cached query results would then hold the newer build)."""
    live = tmp_path / "live.duckdb"
    build_db(FIXTURE_DATA, live)
    monkeypatch.setenv("H200_DB", str(live))
    old = db.current_version()
    _rebuild_with_a_fifth_company(tmp_path, live)
    with pytest.raises(db.BuildReplaced):  # outside a script run; inside one, the run restarts
        db.query("SELECT count(*) AS n FROM companies", version=old)


def test_a_publish_between_stat_and_open_takes_the_newer_build(tmp_path, monkeypatch):
    live = tmp_path / "live.duckdb"
    build_db(FIXTURE_DATA, live)
    monkeypatch.setenv("H200_DB", str(live))
    stale = db.current_version()
    _rebuild_with_a_fifth_company(tmp_path, live)
    real, calls = db.current_version, []

    def first_stale(path=None):  # the run's stat saw the file just before the publish
        calls.append(path)
        return stale if len(calls) == 1 else real(path)
    monkeypatch.setattr(db, "current_version", first_stale)
    version = db.ready_version()
    assert version != stale and version == real()
    assert db.query("SELECT count(*) AS n FROM companies", version=version).n.iloc[0] == 5
