"""The explorer page, headless with AppTest."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import RecordingStorage, downloads  # noqa: F401  (fixture)
from tracker.explorer import sandbox
from tests.explorer.conftest import fixture_rows

APP = str(Path(__file__).with_name("explorer_app.py"))


@pytest.fixture
def app(db_file, monkeypatch):
    monkeypatch.setenv("H200_EXPLORER_TEST_DB", str(db_file))
    return AppTest.from_file(APP, default_timeout=30)


def _run_sql(at, sql):
    at.text_area(key="sql").set_value(sql)
    at.button(key="run_sql").click().run()
    assert not at.exception, at.exception


def test_seeds_editor_from_the_url(app):
    app.query_params["q"] = "SELECT 7 AS seven"
    app.run()
    assert not app.exception
    assert app.text_area(key="sql").value == "SELECT 7 AS seven"
    assert not app.dataframe  # a link fills the editor; it does not run the query


def test_run_shows_rows_chart_download_and_writes_the_url(app):
    app.run()
    sql = "SELECT stage, count(*) AS n FROM trade_figures GROUP BY stage ORDER BY stage"
    _run_sql(app, sql)
    frame = app.dataframe[0].value
    assert frame["stage"].tolist() == sorted(set(fixture_rows("trade_figures")["stage"]))
    assert not app.warning and not app.error
    assert app.query_params["q"] in (sql, [sql])
    assert len(app.get("download_button")) == 1
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["type"] == "bar"


def test_download_is_the_spreadsheet_safe_csv_under_a_stamped_name(app, downloads):
    app.run()
    _run_sql(app, """SELECT '=1+1' AS "=cmd()", 2 AS n""")
    button = app.get("download_button")[0].proto
    name = RecordingStorage.names[button.url]
    assert re.fullmatch(r"explorer_\d{8}-\d{4}\.csv", name), name
    assert downloads[button.url].decode().splitlines() == ["'=cmd(),n", "'=1+1,2"]


def test_truncation_notice(app):
    app.run()
    _run_sql(app, "SELECT * FROM range(20000)")
    assert len(app.dataframe[0].value) == 10_000
    assert "truncated" in app.warning[0].value


@pytest.mark.parametrize("sql, expect", [
    ("SELECT * FROM read_csv('/etc/passwd')", "PermissionException"),
    ("SELECT 1; DROP TABLE sources", "Only a single SELECT statement is allowed"),
    ("SELECT * FROM nope", "CatalogException"),
])
def test_errors_show_as_st_error(app, sql, expect):
    app.run()
    _run_sql(app, sql)
    assert expect in app.error[0].value
    assert "Traceback" not in app.error[0].value and not app.dataframe


def test_error_text_cannot_inject_markdown(app):
    app.run()
    _run_sql(app, 'SELECT * FROM "[click](http://evil.example)"')
    assert "\\[click\\]\\(http" in app.error[0].value


def test_example_button_fills_the_editor_and_tables_are_listed(app):
    app.run()
    app.button(key="explorer_example_2").click().run()
    assert "grade" in app.text_area(key="sql").value
    labels = [e.label for e in app.expander]
    assert "trade_figures" in labels and "sources" in labels
    app.button(key="run_sql").click().run()
    assert app.dataframe[0].value["grade"].tolist() == fixture_rows("grades")["grade"].tolist()


def test_disabled_when_the_self_check_fails(app, monkeypatch):
    monkeypatch.setitem(sandbox.EXPECTED, "memory_limit", "16.0 GiB")
    app.run()
    assert not app.exception
    assert app.error[0].value.startswith("explorer disabled")
    assert not app.text_area
