"""What's new and the Atom feed in a real browser, over the fixture (see tests/pages/test_whats_new.py
for its facts: 21 rows added 2026-11-28; a05 revised and a99 withdrawn 2026-11-30).

The feed is static/feed.xml next to the app's main script, which a build into the repository
would overwrite. So the server here runs a copy of the app made of symlinks (app.py, pages/,
tracker/, assets/, .streamlit/) in a temp folder whose own static/feed.xml the ETL builds from
the fixture: the app serves exactly the feed of the database it reads.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import feedparser
import pytest

from e2e_support import exceptions, query, sidebar
from testsupport.browser import goto, wait_idle
from testsupport.server import PYTHON, ROOT, Server

pytestmark = pytest.mark.e2e

FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"
HOSTILE_DATA = ROOT / "tests" / "fixtures" / "hostile"
LINKED = ("app.py", "pages", "tracker", "assets", ".streamlit")


def _site(tmp: Path, data: Path) -> tuple[Path, Path]:
    """A folder that is the app by symlinks, with its own static/feed.xml and database."""
    import subprocess

    site = tmp / "site"
    (site / "static").mkdir(parents=True)
    for name in LINKED:
        os.symlink(ROOT / name, site / name)
    db = tmp / "tracker.duckdb"
    run = subprocess.run([PYTHON, "-m", "etl", "build", "--data-dir", str(data), "--db", str(db),
                          "--feed", str(site / "static" / "feed.xml")],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout + run.stderr
    return site, db


def _serve(tmp: Path, data: Path):
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium; never `playwright install`")
    site, db = _site(tmp, data)
    server = Server("app.py", db, tmp / "streamlit.log", cwd=site).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def site_server(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("site"), FIXTURE_DATA)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("hostile-site"), HOSTILE_DATA)


def day_headings(page) -> list[str]:
    return [t.strip() for t in page.locator('[data-testid="stHeadingWithActionElements"] h3').all_inner_texts()]


def test_since_link_shows_the_changes_grouped_by_day(site_server, tab):
    page = tab.page
    goto(page, site_server.url + "/whats_new?since=2026-11-29")
    assert exceptions(page) == []
    assert page.locator("h1").first.inner_text().strip() == "What's new"
    assert day_headings(page) == ["2026-11-30 · 2 changes"]
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert main.index("Withdrawn (1)") < main.index("Revised (1)")
    assert "bound was about, now exact" in main and "Duplicate of a05" in main
    assert "Added (" not in main                                    # the 2026-11-28 day is before since
    assert query(page)["since"] == ["2026-11-29"]
    # the default window has both days, newest first
    goto(page, site_server.url + "/whats_new")
    assert day_headings(page) == ["2026-11-30 · 2 changes", "2026-11-28 · 21 changes"]
    assert tab.page_errors == [] and tab.dialogs == []


def test_a_rows_history_is_one_click_from_the_overview_card(site_server, tab):
    page = tab.page
    goto(page, site_server.url + "/")
    card = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="revised 2026-11-30, was ≈ 700,000 chips")
    assert card.count() == 1
    href = card.locator("a", has_text="history").get_attribute("href")
    goto(page, urljoin(page.url, href))
    assert parse_qs(urlparse(page.url).query)["row"] == ["a05"]
    assert day_headings(page) == ["2026-11-30 · 1 change", "2026-11-28 · 1 change"]
    assert "History of row a05" in page.locator('[data-testid="stMain"]').inner_text()


def test_overview_links_to_whats_new_with_its_date(site_server, tab):
    page = tab.page
    goto(page, site_server.url + "/")
    link = page.locator('[data-testid="stPageLink-NavLink"]').filter(has_text="23 changes since 2026-10-31")
    link.click()
    page.wait_for_url("**/whats_new?since=2026-10-31*")
    wait_idle(page)
    assert day_headings(page) == ["2026-11-30 · 2 changes", "2026-11-28 · 21 changes"]


def test_feed_link_from_a_page_serves_a_valid_atom_feed(site_server, tab):
    page = tab.page
    goto(page, site_server.url + "/pipeline")
    link = sidebar(page).locator("a", has_text="Changes as an Atom feed")
    feed_url = urljoin(page.url, link.get_attribute("href"))
    assert urlparse(feed_url).path == "/app/static/feed.xml"
    resp = page.request.get(feed_url)
    assert resp.status == 200 and "xml" in resp.headers["content-type"]
    assert resp.headers.get("x-content-type-options") == "nosniff"
    d = feedparser.parse(resp.body())
    assert not d.bozo and d.version == "atom10" and len(d.entries) == 23
    assert d.entries[0].title.startswith("Withdrawn: trade figure a99")
    # an entry's link, resolved against the feed's address, opens that row's history
    goto(page, urljoin(feed_url, d.entries[1].link))
    assert parse_qs(urlparse(page.url).query)["row"] == ["a05"]
    assert "bound was about, now exact" in page.locator('[data-testid="stMain"]').inner_text()


def test_stale_data_warning_and_known_gaps_are_visible(site_server, tab):
    page = tab.page
    goto(page, site_server.url + "/sources")
    warning = page.locator('[data-testid="stAlertContentWarning"]').filter(has_text="The newest report in the data")
    assert warning.count() == 1 and "2026-01-28" in warning.inner_text()
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "What is not known yet" in main and "Nvidia Q1 FY2027 results (May 2026): not yet in the data" in main


def test_hostile_changes_stay_text(hostile_site, tab):
    page = tab.page
    goto(page, hostile_site.url + "/whats_new")
    main = page.locator('[data-testid="stMain"]')
    assert "<script>alert(1)</script>" in main.inner_text()         # shown as text
    assert main.locator("script, img[src=x], svg[onload]").count() == 0
    assert main.locator('a[href^="javascript"]').count() == 0
    resp = page.request.get(urljoin(page.url, "app/static/feed.xml"))
    d = feedparser.parse(resp.body())
    assert not d.bozo and any("<script>alert(1)</script>" in e.title for e in d.entries)
    assert tab.dialogs == [] and tab.page_errors == []
