"""The app's connection: read-only, and a new build is seen without a restart."""
import shutil

import duckdb
import pytest
import streamlit as st

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


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A published build of the fixture data that the app reads."""
    path = tmp_path / "live.duckdb"
    build_db(FIXTURE_DATA, path)
    monkeypatch.setenv("H200_DB", str(path))
    return path


def _rebuild_with_a_fifth_company(tmp_path, live):
    """Publish, by atomic replace, a build with one company more (5 instead of 4)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    with open(data / "companies.csv", "a", encoding="utf-8") as fh:
        fh.write("lenovo,Lenovo,China,distributor,2026-12-01\n")
    build_db(data, live)


COUNT = "SELECT count(*) AS n FROM companies"


def test_new_build_is_seen_without_restart(tmp_path, live):
    first = db.query("SELECT any_value(build_id) AS b FROM build_info").b.iloc[0]
    _rebuild_with_a_fifth_company(tmp_path, live)  # while our cached connection is open
    second = db.query("SELECT any_value(build_id) AS b FROM build_info").b.iloc[0]
    assert second != first
    assert db.query(COUNT).n.iloc[0] == 5


def test_a_run_on_the_previous_build_stays_on_it(tmp_path, live):
    """A run that started before a publish keeps reading its own build after a newer run
    opened the next one: no page mixes two builds."""
    old = db.ready_version()
    assert db.query(COUNT, version=old).n.iloc[0] == 4
    _rebuild_with_a_fifth_company(tmp_path, live)
    new = db.ready_version()
    assert new != old
    assert db.query(COUNT, version=new).n.iloc[0] == 5
    assert db.query(COUNT, version=old).n.iloc[0] == 4  # still the old file, not the path's


def test_a_version_is_never_opened_on_a_later_file(tmp_path, live):
    """Once its file is gone from the path, an old version cannot be served from the newer
    file under its old name (its cached query results would then hold the newer build)."""
    old = db.current_version()
    _rebuild_with_a_fifth_company(tmp_path, live)
    with pytest.raises(db.BuildReplaced):  # outside a script run; inside one, the run restarts
        db.query(COUNT, version=old)


def test_a_publish_between_stat_and_open_takes_the_newer_build(tmp_path, live, monkeypatch):
    stale = db.current_version()
    _rebuild_with_a_fifth_company(tmp_path, live)
    real, calls = db.current_version, []

    def first_stale(path=None):  # the run's stat saw the file just before the publish
        calls.append(path)
        return stale if len(calls) == 1 else real(path)
    monkeypatch.setattr(db, "current_version", first_stale)
    version = db.ready_version()
    assert version != stale and version == real()
    assert db.query(COUNT, version=version).n.iloc[0] == 5


def _page_on_a_build_left_behind():
    """A page whose run holds a build that left the path (as a run straddling two publishes)."""
    import streamlit as st
    from tracker import db
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    version = st.session_state.pop("held", None) or db.ready_version()
    st.session_state.setdefault("first", version)
    st.markdown(f"companies: {db.query('SELECT count(*) AS n FROM companies', version=version).n.iloc[0]}")


def test_a_run_whose_build_left_the_path_starts_again_on_the_newest(tmp_path, live):
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_function(_page_on_a_build_left_behind, default_timeout=60).run()
    assert at.markdown[0].value == "companies: 4"
    _rebuild_with_a_fifth_company(tmp_path, live)
    st.cache_resource.clear()  # as when two publishes evicted the held build's connection
    at.session_state["held"] = at.session_state["first"]
    at.run()
    assert not at.exception
    assert at.markdown[0].value == "companies: 5"   # the newest build, not an error
    assert at.session_state["runs"] == 3            # the held run stopped and ran again
