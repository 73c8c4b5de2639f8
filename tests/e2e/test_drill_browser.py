"""Drill-down in a real browser: a click on a bar of the pipeline chart writes ?drill= and lists
the reports behind it; Clear undoes both; a link with ?drill= reproduces it on a fresh tab; a bad
value is dropped with a warning. Plotly's bars are clicked at their drawn position (the mouse
goes to plotly's drag layer, as a user's does)."""
from __future__ import annotations

import pytest

from e2e_support import exceptions, query, warnings
from testsupport.browser import goto, wait_idle

pytestmark = pytest.mark.e2e
REPORTS = ".st-key-drill_reports"
SLOW_MS = 180_000  # a cold /pipeline has taken 73 s on this shared machine (load 15 on 2 cores)


def bar_centre(page, chart: str, ident: str) -> tuple[float, float]:
    """Where the bar whose customdata id is `ident` is drawn (page coordinates)."""
    box = page.evaluate("""([chart, ident]) => {
        const gd = document.querySelector(`.st-key-${CSS.escape(chart)} .js-plotly-plot`);
        const trace = gd._fullData.findIndex(t => t.type === 'bar');
        const i = Array.from(gd._fullData[trace].customdata).findIndex(c => c[1] === ident);
        const bar = gd.querySelectorAll('.barlayer .trace')[trace].querySelectorAll('.point path')[i];
        bar.scrollIntoView({block: 'center'});  // the mouse reaches only what is in the viewport
        const r = bar.getBoundingClientRect();
        return [r.left + r.width / 2, r.top + r.height / 2];
    }""", [chart, ident])
    return box[0], box[1]


def click_bar(page, chart: str, ident: str, drill: str, tries: int = 3) -> None:
    """Click the bar and wait for ?drill=<drill>. A click that lands while the chart is being
    redrawn (each rerun draws it anew) reaches no bar, as a user's would: click again."""
    wanted = f"() => new URLSearchParams(location.search).get('drill') === {drill!r}"
    for attempt in range(tries):
        wait_idle(page)
        x, y = bar_centre(page, chart, ident)
        page.mouse.click(x, y)
        try:
            page.wait_for_function(wanted, timeout=30_000)
            return
        except Exception:
            if attempt == tries - 1:
                raise


def reports_rows(page) -> int:
    return page.locator(f'{REPORTS} [data-testid="stDataFrame"]').count()


def test_click_a_bar_then_clear(app_server, tab, screenshots):
    page = tab.page
    page.set_default_timeout(SLOW_MS)
    goto(page, app_server.url + "/pipeline")
    assert page.locator(REPORTS).count() == 0
    click_bar(page, "chart_pipeline-by-stage", "ordered", "stage:ordered")
    page.wait_for_selector(f'{REPORTS} [data-testid="stDataFrame"]')
    wait_idle(page)
    assert query(page)["drill"] == ["stage:ordered"]
    assert "Reports behind the selection: Orders" in page.locator(REPORTS).inner_text()
    assert reports_rows(page) == 1 and not exceptions(page)
    page.locator(REPORTS).screenshot(path=str(screenshots / "drill-pipeline-orders.png"))

    page.locator(REPORTS).get_by_role("button", name="Clear the selection").click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('drill')")
    page.wait_for_selector(REPORTS, state="detached")
    wait_idle(page)
    assert "drill" not in query(page) and not exceptions(page)


def test_a_link_reproduces_the_drill_down(app_server, tab):
    page = tab.page
    page.set_default_timeout(SLOW_MS)
    goto(page, app_server.url + "/chips?drill=chip:h200")
    page.wait_for_selector(f'{REPORTS} [data-testid="stDataFrame"]')
    assert "Nvidia H200" in page.locator(REPORTS).inner_text()
    assert query(page)["drill"] == ["chip:h200"]
    goto(page, app_server.url + "/?drill=stage:cn_approved")
    page.wait_for_selector(f'{REPORTS} [data-testid="stDataFrame"]')
    assert "Chinese approvals" in page.locator(REPORTS).inner_text()


def test_a_bad_link_is_dropped_with_a_warning(app_server, tab):
    page = tab.page
    page.set_default_timeout(SLOW_MS)
    goto(page, app_server.url + "/pipeline?drill=stage:nothing")
    page.wait_for_function("() => !new URLSearchParams(location.search).has('drill')")
    assert any("Ignored the drill-down" in w for w in warnings(page))
    assert page.locator(REPORTS).count() == 0 and not exceptions(page)


def test_click_a_company_bar(app_server, tab):
    page = tab.page
    page.set_default_timeout(SLOW_MS)
    goto(page, app_server.url + "/pipeline")
    # the per-company chart is in a tab that runs only when open (tracker/sections.py)
    assert page.locator(".st-key-chart_reports-per-company").count() == 0
    page.get_by_role("tab", name="Per company").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('section') === 'per-company'")
    page.locator(".st-key-chart_reports-per-company .js-plotly-plot").wait_for()
    assert page.locator(".st-key-chart_figures-over-time").count() == 0  # the closed tab's chart is gone
    click_bar(page, "chart_reports-per-company", "tencent", "company:tencent")
    page.wait_for_selector(f'{REPORTS} [data-testid="stDataFrame"]')
    wait_idle(page)
    assert "Reports behind the selection: Tencent" in page.locator(REPORTS).inner_text()
    assert not exceptions(page)
    # the link reproduces the view on a fresh tab: the tab open, the drill listed
    link = page.url
    assert "section=per-company" in link and "drill=company%3Atencent" in link.replace(":", "%3A")
    fresh = page.context.new_page()
    fresh.set_default_timeout(SLOW_MS)
    goto(fresh, link)
    fresh.wait_for_selector(f'{REPORTS} [data-testid="stDataFrame"]')
    assert fresh.get_by_role("tab", name="Per company").get_attribute("aria-selected") == "true"
    fresh.close()
    # back to the first tab: `section` leaves the URL, the over-time chart is drawn again
    page.get_by_role("tab", name="Over time").click()
    page.wait_for_function("() => !new URLSearchParams(location.search).has('section')")
    page.locator(".st-key-chart_figures-over-time .js-plotly-plot").wait_for()
    assert not exceptions(page)
