"""Any screen (issue 11 §3): at 390×844, a phone, every page reads without scrolling the page
sideways. Cards stack, charts fit, wide tables scroll inside their own frame, and the filters
open from the sidebar control and work.

Streamlit scrolls inside its own containers (stMain), so "the page does not scroll sideways"
means: neither the document nor those containers are wider than the viewport, and no element of
the main column reaches past it unless a frame of its own scrolls it (a table's grid).
"""
from __future__ import annotations

import pytest

from e2e_support import exceptions, pick, query, sidebar
from testsupport.browser import TIMEOUT_MS, goto, nav_pages, wait_idle

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
NAV = nav_pages()

# What sticks out of the viewport, and what scrolls sideways: the document, Streamlit's own
# scrolling containers, and any element of the main column that reaches past the viewport
# without an ancestor frame that scrolls it (a table's grid scrolls inside its own frame).
LAYOUT_JS = """() => {
    const vw = document.documentElement.clientWidth;
    const main = document.querySelector('[data-testid="stMain"]');
    const scrolls = el => {
        for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
            const o = getComputedStyle(p).overflowX;
            if (o === 'auto' || o === 'scroll') return true;
        }
        return false;
    };
    const name = el => (el.getAttribute('data-testid') || el.tagName.toLowerCase())
        + (typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').slice(0, 2).join('.') : '')
        + ' "' + (el.textContent || '').trim().slice(0, 50) + '"';
    const containers = ['html', 'body', '[data-testid="stApp"]', '[data-testid="stAppViewContainer"]',
                        '[data-testid="stMain"]', '[data-testid="stMainBlockContainer"]'];
    const out = {vw, containers: {}, sticking_out: []};
    for (const sel of containers) {
        const e = document.querySelector(sel);
        if (e) out.containers[sel] = [e.scrollWidth, e.clientWidth];
    }
    for (const el of main.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if ((r.right > vw + 1 || r.left < -1) && !scrolls(el))
            out.sticking_out.push(`${name(el)} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
    out.sticking_out = out.sticking_out.slice(0, 12);
    return out;
}"""

# Every plotly chart's drawn width (its SVG) against the viewport.
CHARTS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')].map(gd => {
    const r = gd.getBoundingClientRect();
    const svg = gd.querySelector('svg.main-svg');
    return {key: (gd.closest('[class*="st-key-chart_"]') || {className: ''}).className.match(/st-key-chart_\\S+/)?.[0] || '',
            left: r.left, right: r.right, svg: svg ? svg.getBoundingClientRect().width : 0};
})"""

# Boxes side by side: the columns of each row (stHorizontalBlock) and where they sit.
COLUMNS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stHorizontalBlock"]')]
    .map(row => [...row.children].map(c => { const r = c.getBoundingClientRect();
                                             return [Math.round(r.left), Math.round(r.right), Math.round(r.top)]; })
                .filter(([l, r]) => r > l))"""

# Each table's frame, and whether its grid scrolls sideways inside it.
TABLES_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')].map(t => {
    const r = t.getBoundingClientRect();
    const s = t.querySelector('.dvn-scroller');
    return {left: r.left, right: r.right, inner: s ? s.scrollWidth : 0, frame: s ? s.clientWidth : 0,
            overflow: s ? getComputedStyle(s).overflowX : ''};
})"""


@pytest.fixture(scope="module")
def phone(browser):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def phone_page(phone):
    page = phone.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    yield page
    page.close()


def _settle(page) -> None:
    wait_idle(page)
    page.wait_for_timeout(600)  # plotly sizes itself to its frame after the script run


@pytest.mark.parametrize("name,path,label", NAV, ids=[n for n, _, _ in NAV])
def test_page_fits_a_phone(app_server, phone_page, screenshots, name, path, label):
    page = phone_page
    goto(page, app_server.url + path)
    _settle(page)
    assert exceptions(page) == []
    layout = page.evaluate(LAYOUT_JS)
    vw = layout["vw"]
    assert vw == PHONE["width"], layout
    wider = {sel: sw for sel, (sw, cw) in layout["containers"].items() if sw > max(cw, vw) + 1}
    assert not wider, f"scrolls sideways: {wider}"
    assert not layout["sticking_out"], layout["sticking_out"]

    for chart in page.evaluate(CHARTS_JS):  # every chart drawn inside the viewport
        assert chart["left"] >= -1 and chart["right"] <= vw + 1 and 0 < chart["svg"] <= vw, chart

    for row in page.evaluate(COLUMNS_JS):  # boxes side by side only while they fit
        assert all(left >= -1 and right <= vw + 1 for left, right, _top in row), row

    for t in page.evaluate(TABLES_JS):  # a table's frame fits; a wide grid scrolls inside it
        assert t["left"] >= -1 and t["right"] <= vw + 1, t
        if t["inner"] > t["frame"] + 1:
            assert t["overflow"] in ("auto", "scroll"), t
    page.screenshot(path=str(screenshots / f"phone-{name}.png"))
    assert page.errors == []


def test_overview_cards_stack(app_server, phone_page):
    """The headline cards sit one under another, each the column's width."""
    page = phone_page
    goto(page, app_server.url + "/")
    cards = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stColumn"]')]
        .filter(c => c.querySelector('[data-testid="stMetric"]'))
        .map(c => { const r = c.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; })""")
    assert len(cards) >= 3, cards
    lefts = {round(left) for left, *_ in cards}
    assert len(lefts) == 1, f"cards side by side: {cards}"
    assert all(right - left > 0.8 * (PHONE["width"] - 32) for left, right, *_ in cards), cards
    tops = [top for *_, top, _bottom in cards]
    assert tops == sorted(tops) and len(set(tops)) == len(tops), cards


def test_wide_table_scrolls_inside_its_frame(app_server, phone_page):
    """The Data page's figures table is wider than a phone: its grid scrolls, the page does not."""
    page = phone_page
    goto(page, app_server.url + "/data")
    _settle(page)
    scroller = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"] .dvn-scroller').first
    wide = scroller.evaluate("s => [s.scrollWidth, s.clientWidth]")
    assert wide[0] > wide[1], wide
    moved = scroller.evaluate("s => { s.scrollLeft = 200; return s.scrollLeft; }")
    assert moved > 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_filters_open_from_the_sidebar_control(app_server, phone_page):
    """On a phone the sidebar starts closed; its control opens it, it fits the screen, and a
    company picked there narrows the view (the URL says so)."""
    page = phone_page
    goto(page, app_server.url + "/pipeline")
    bar = sidebar(page)
    assert bar.get_attribute("data-collapsed") == "true"
    page.locator('[data-testid="stExpandSidebarButton"]').click()
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                           ".getAttribute('data-collapsed') === 'false'")
    page.wait_for_timeout(400)  # the slide-in transition
    box = bar.bounding_box()
    assert box["x"] >= -1 and box["x"] + box["width"] <= PHONE["width"] + 1, box
    pick(page, "Companies", "ByteDance")
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('company').length > 0")
    wait_idle(page)
    assert query(page).get("company") == ["bytedance"]
    assert exceptions(page) == []
