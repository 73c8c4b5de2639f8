"""Key journeys in a real browser over the tiny fixture dataset (tests/fixtures/data).

Fixture facts the assertions lean on (see tests/fixtures/data/*.csv):
- H200 figures: a01 cn_approved ≥400,000 (shared by alibaba+bytedance+tencent, grade H),
  a04 ordered ≥2,000,000 (no company, H), a05 inventory 700,000 (no company, H),
  a11 planned_shipment 5,000-10,000 modules (M), a15 ordered 20,000 (bytedance, M),
  a20 shipped none_reported (no company, H).
- ByteDance is linked to a01 and a15 only.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pytest

from e2e_support import (CHARTS, NAV_LABELS, PAGES, chart_keys, chart_summary, chart_text,
                         checked_grade, date_range, download_csv, exceptions, pick, query, selected,
                         sidebar, warnings)
from testsupport.browser import goto, nav_pages, wait_idle

pytestmark = pytest.mark.e2e


def _wait_chart_change(page, name: str, before: str) -> str:
    page.wait_for_function("""([name, before]) => {
        const gd = document.querySelector(`.st-key-chart_${CSS.escape(name)} .js-plotly-plot`);
        if (!gd || !gd.querySelector('.main-svg')) return false;
        return [...gd.querySelectorAll('text')].map(t => t.textContent).join('|') !== before;
    }""", arg=[name, before])
    return chart_text(page, name)


NAV = nav_pages()


@pytest.mark.parametrize("name,path,label", NAV, ids=[n for n, _, _ in NAV])
def test_every_page_renders(app_server, tab, screenshots, name, path, label):
    """Each page opens by URL with no exception, its title, and every chart drawn as SVG."""
    page = tab.page
    goto(page, app_server.url + path)
    assert exceptions(page) == []
    h1 = page.locator("h1").first.inner_text().strip()
    assert h1 == PAGES.get(name, (path, h1))[1]
    drawn = chart_keys(page)
    assert set(CHARTS.get(name, [])) <= set(drawn), drawn  # more may come; these must be there
    for chart in drawn:
        summary = chart_summary(page, chart)
        assert summary["svg"] >= 1, chart
        assert summary["traces"] or "No " in chart_text(page, chart), chart
    if name in ("sources", "data"):
        assert page.locator('[data-testid="stDataFrame"]').count() >= 1
        assert page.locator('[data-testid="stDownloadButton"]').count() >= 1
    # the sidebar nav lists every page, in order, and marks no link as a javascript: URL
    nav = sidebar(page).locator('[data-testid="stPageLink-NavLink"]')
    assert [t.split("\n")[-1].strip() for t in nav.all_inner_texts()] == [l for _, _, l in NAV]
    # Streamlit scrolls inside stMain, so full_page does not help: grow the viewport instead
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    if height > page.viewport_size["height"]:
        page.set_viewport_size({"width": page.viewport_size["width"], "height": height + 40})
        wait_idle(page)
    page.screenshot(path=str(screenshots / f"{name}.png"))
    assert tab.page_errors == [] and tab.dialogs == []


def test_company_filter_changes_url_and_chart(app_server, tab):
    page = tab.page
    goto(page, app_server.url + "/pipeline")
    assert query(page) == {}
    before = chart_text(page, "pipeline-by-stage")
    bars_before = chart_summary(page, "pipeline-by-stage")["traces"][0]["x"]
    assert "2,000,000" in before and "700,000" in before  # market-wide a04, a05

    pick(page, "Companies", "ByteDance")
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('company').length > 0")
    after = _wait_chart_change(page, "pipeline-by-stage", before)
    wait_idle(page)

    assert query(page) == {"company": ["bytedance"]}
    assert selected(page, "Companies") == ["ByteDance"]
    bars_after = chart_summary(page, "pipeline-by-stage")["traces"][0]["x"]
    assert sorted(bars_before) == [400000, 700000, 2000000]  # a01, a05, a04 (newer than a15)
    assert sorted(bars_after) == [20000, 400000]          # a15 (ordered) + a01 (shared)
    # bar labels carry the unit; axis ticks (which may read 700,000) do not
    assert "2,000,000 chips" not in after and "700,000 chips" not in after
    assert "20,000 chips" in after and "shared" in after  # the combined figure says so
    assert page.locator('[data-testid="stAlert"]').filter(  # not the fixture's staleness warning
        has_text="4 market-wide figures name no company").count() == 1
    expanders = page.locator('[data-testid="stExpander"] summary').all_inner_texts()
    assert any("Data behind this chart (2 rows)" in e for e in expanders), expanders
    assert exceptions(page) == []


def test_deep_link_on_fresh_server(fresh_server, tab):
    """The very first request to a new server is a deep link: the page shows that view."""
    page = tab.page
    goto(page, fresh_server.url + "/pipeline?company=bytedance&grade=H")
    assert exceptions(page) == []
    assert page.locator("h1").first.inner_text().strip() == "Orders vs approvals vs stock"
    assert selected(page, "Companies") == ["ByteDance"]
    assert checked_grade(page).startswith("H only")
    assert query(page) == {"company": ["bytedance"], "grade": ["H"]}
    text = chart_text(page, "pipeline-by-stage")
    # grade H drops a15 (TrendForce, M): only the shared approval figure is left
    assert "400,000" in text and "20,000 chips" not in text and "2,000,000" not in text
    assert [t["x"] for t in chart_summary(page, "pipeline-by-stage")["traces"]][0] == [400000]


def test_nav_keeps_filters(app_server, tab):
    page = tab.page
    goto(page, app_server.url + "/pipeline")
    pick(page, "Companies", "ByteDance")
    page.wait_for_function("() => location.search.includes('company=bytedance')")
    wait_idle(page)
    sidebar(page).locator('[data-testid="stRadioOption"]').filter(has_text="H only").click()
    page.wait_for_function("() => location.search.includes('grade=H')")
    wait_idle(page)
    want = {"company": ["bytedance"], "grade": ["H"]}
    assert query(page) == want

    for name in ("timeline", "data", "chips", "overview"):
        sidebar(page).locator('[data-testid="stPageLink-NavLink"]').filter(
            has_text=NAV_LABELS[name]).click()
        path = PAGES[name][0]
        page.wait_for_function("(p) => location.pathname === p", arg=path)
        page.wait_for_function("(t) => document.querySelector('h1')?.textContent.trim() === t",
                               arg=PAGES[name][1])
        wait_idle(page)
        assert query(page) == want, name
        assert selected(page, "Companies") == ["ByteDance"], name
        assert checked_grade(page).startswith("H only"), name
        assert exceptions(page) == [], name
        if name == "timeline":   # the filter reaches the chart: no 2M orders (a04), no 20k (a15, M)
            text = chart_text(page, "timeline")
            assert text is not None
            points = chart_summary(page, "timeline")["traces"]
            ys = [y for t in points for y in t["y"] if isinstance(y, (int, float))]
            assert ys == [400000], points
        if name == "data":
            tabs = page.locator('[role="tab"]').all_inner_texts()
            assert tabs[0] == "Trade figures (1)", tabs


def test_source_link_under_chart_keeps_filters(app_server, tab):
    """The 'Sources and method' link under every chart leads to the Sources page in the same
    view (filters kept in the URL and the widgets)."""
    page = tab.page
    goto(page, app_server.url + "/pipeline?company=bytedance&grade=M")
    page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"]').filter(
        has_text="Sources and method").first.click()
    page.wait_for_function("() => location.pathname === '/sources'")
    wait_idle(page)
    assert page.locator("h1").first.inner_text().strip() == "Sources and method"
    assert query(page) == {"company": ["bytedance"], "grade": ["M"]}
    assert selected(page, "Companies") == ["ByteDance"]
    assert checked_grade(page).startswith("H and M")
    # grade M hides the one L source (ChinaCrunch): 6 of 7
    assert page.locator("h3", has_text="Sources (").first.inner_text().strip() == "Sources (6)"


def test_csv_download_matches_page_and_db(app_server, tab, fixture_sql):
    page = tab.page
    # Data page: the trade-figures CSV is exactly the DB's ByteDance figures
    goto(page, app_server.url + "/data?company=bytedance")
    name, rows = download_csv(page, "dl_trade-figures")
    db_ids = {r[0] for r in fixture_sql(
        "SELECT figure_id FROM figure_companies WHERE company_id = 'bytedance'")}
    assert {r["figure_id"] for r in rows} == db_ids == {"a01", "a15"}
    assert page.locator('[role="tab"]').first.inner_text() == f"Trade figures ({len(rows)})"
    assert name.endswith(".csv") and "company-bytedance" in name, name
    assert {"publisher", "grade", "url", "quote"} <= set(rows[0])  # source columns travel along
    shared = {r["figure_id"]: r["shared"] for r in rows}
    assert shared == {"a01": "True", "a15": "False"}

    # unfiltered: every figure in the DB
    goto(page, app_server.url + "/data")
    _, rows = download_csv(page, "dl_trade-figures")
    assert sorted(r["figure_id"] for r in rows) == sorted(
        r[0] for r in fixture_sql("SELECT figure_id FROM trade_figures"))

    # Pipeline chart: one CSV row per bar/annotation row the chart shows
    goto(page, app_server.url + "/pipeline?company=bytedance")
    _, rows = download_csv(page, "dl_pipeline-by-stage")
    traces = chart_summary(page, "pipeline-by-stage")["traces"]
    bar_rows = set(traces[0]["y"])
    stage_label = dict(fixture_sql("SELECT stage, label FROM stages"))  # the data's own words
    assert {stage_label[r["stage"]] for r in rows} == bar_rows
    assert {r["figure_id"] for r in rows} <= db_ids
    labels_ = [t for t in page.locator('[data-testid="stExpander"] summary').all_inner_texts()
               if "Data behind this chart" in t]      # not "Describe this chart"
    assert labels_ and f"Data behind this chart ({len(rows)} rows)" in labels_[0], labels_


def test_invalid_params_warn_and_are_dropped(app_server, tab):
    page = tab.page
    qs = urlencode([("company", "<script>alert(1)</script>"), ("dates", "garbage"),
                    ("grade", "Z"), ("company", "bytedance")])
    goto(page, f"{app_server.url}/?{qs}")
    assert exceptions(page) == []
    shown = "\n".join(warnings(page))
    assert "Ignored unknown company id" in shown, shown
    assert "not YYYY-MM-DD" in shown, shown
    assert "unknown grade" in shown, shown
    assert "<script>" not in shown  # quoted back with the markup neutralised
    assert query(page) == {"company": ["bytedance"]}  # bad values dropped, the good one kept
    assert selected(page, "Companies") == ["ByteDance"]
    assert checked_grade(page).startswith("All grades")
    assert set(CHARTS["overview"]) <= set(chart_keys(page))
    assert tab.dialogs == [] and tab.page_errors == []
    assert len(date_range(page)) >= 2


def test_build_id_shown_verbatim(app_server, tab, fixture_sql):
    page = tab.page
    goto(page, app_server.url + "/sources")
    build_id = fixture_sql("SELECT any_value(build_id) FROM build_info")[0][0]
    codes = page.evaluate("() => [...document.querySelectorAll('[data-testid=stMain] code')]"
                          ".map(c => c.textContent)")
    shown = [c for c in codes if c.startswith(build_id[:8])]
    assert len(shown) >= 2, codes   # the page header and "This data build"
    assert set(shown) == {build_id}, shown


def test_no_request_leaves_the_machine(app_server, tab):
    page = tab.page
    goto(page, app_server.url + "/")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert tab.external == []
