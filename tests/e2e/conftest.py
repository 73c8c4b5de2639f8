"""Browser-test fixtures: a temp DB built by the ETL, one Streamlit server per dataset per
session (plus a fresh one on demand for deep links), one Chromium per session.

Servers are subprocesses we start and stop by their own handle; logs go to files under the
session's tmp dir and are attached to the report of any failing test that used the server.
"""
from __future__ import annotations

import os
from urllib.parse import urlparse
from pathlib import Path

import pytest

from testsupport.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, VIEWPORT
from testsupport.server import ROOT, Server, build_db

FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
HOSTILE_DATA = ROOT / "tests" / "fixtures" / "hostile"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(config, items):
    """Every test in this folder drives a browser: it carries the e2e marker, so plain `pytest`
    (pytest.ini: -m "not e2e") leaves it out and scripts/test.sh runs it."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when in ("setup", "call"):
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, Server):
                report.sections.append((f"streamlit log ({name}, {value.url})", value.log()))


def _require_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
                    "never `playwright install`")


@pytest.fixture(scope="session")
def e2e_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def fixture_db(e2e_tmp) -> Path:
    return build_db(FIXTURE_DATA, e2e_tmp / "fixture" / "tracker.duckdb")


@pytest.fixture(scope="session")
def hostile_db(e2e_tmp) -> Path:
    return build_db(HOSTILE_DATA, e2e_tmp / "hostile" / "tracker.duckdb")


def _serve(db: Path, log: Path):
    _require_chromium()  # no browser, no point in a server
    server = Server("app.py", db, log).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_server(fixture_db, e2e_tmp):
    yield from _serve(fixture_db, e2e_tmp / "logs" / "app.log")


@pytest.fixture(scope="session")
def hostile_server(hostile_db, e2e_tmp):
    yield from _serve(hostile_db, e2e_tmp / "logs" / "hostile.log")


@pytest.fixture
def fresh_server(fixture_db, e2e_tmp, request):
    """A server no browser has talked to yet (for first-request-is-a-deep-link tests)."""
    yield from _serve(fixture_db, e2e_tmp / "logs" / f"fresh-{request.node.name}.log")


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def context(browser):
    """One context for the session: tabs share the HTTP cache, so plotly.js is fetched once.
    Streamlit state is per tab (per websocket), so tests in separate tabs stay independent."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


class Tab:
    """A browser tab plus what it saw: dialogs (alert/confirm/prompt), page errors and
    requests that left the machine."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.external: list[str] = []  # requests to anything but the local server
        page.on("dialog", self._dialog)
        page.on("request", lambda r: None if urlparse(r.url).hostname in ("127.0.0.1", None)
                or r.url.startswith(("data:", "blob:")) else self.external.append(r.url))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def tab(context):
    page = context.new_page()
    t = Tab(page)
    yield t
    page.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def fixture_sql(fixture_db):
    """Read-only queries on the DB the app serves (any number of read-only readers may share it)."""
    import duckdb

    con = duckdb.connect(str(fixture_db), read_only=True)

    def run(sql: str, params=None) -> list[tuple]:
        with con.cursor() as cur:
            return cur.execute(sql, params or []).fetchall()

    yield run
    con.close()
