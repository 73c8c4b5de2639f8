"""Accessibility in a real browser (issue 11 part 2): axe-core on every page, light and dark,
in both languages; the sidebar filters reached and operated with the keyboard alone.

axe-core comes bundled with axe-playwright-python (axe.min.js); it checks the page as drawn,
so each page is opened, drawn (charts included) and its chart descriptions present in the DOM.
A failure lists every serious or critical violation: rule id, impact, the elements (CSS
targets) and axe's help, so it says where to look.

Exclusions: none of our markup is excluded. If one of Streamlit's own elements ever fails a
rule we cannot fix, exclude that rule on that element only (EXCLUDE below), with why.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from testsupport.browser import TIMEOUT_MS, VIEWPORT, goto, nav_pages, wait_idle

pytestmark = pytest.mark.e2e

NAV = nav_pages()
THEMES = ("light", "dark")
LANGS = ("en", "fr")
BLOCKING = ("serious", "critical")
# (rule id, CSS selector of a Streamlit element we cannot change): see the module docstring.
EXCLUDE: list[tuple[str, str]] = []


@pytest.fixture(scope="module")
def themed(browser):
    """One browser context per colour scheme (Streamlit follows the system theme), reused by
    every page and language of that theme."""
    made: dict[str, object] = {}

    def get(theme: str):
        if theme not in made:
            ctx = browser.new_context(viewport=VIEWPORT, color_scheme=theme)
            ctx.set_default_timeout(TIMEOUT_MS * 2)  # 36 page loads plus axe runs on a shared 2-core machine
            made[theme] = ctx.new_page()
        return made[theme]

    yield get
    for page in made.values():
        page.context.close()


def blocking_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]}).response
    out = []
    for v in results["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        nodes = [n for n in v["nodes"]
                 if not any(v["id"] == rule and any(sel in str(t) for t in n["target"])
                            for rule, sel in EXCLUDE)]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{v['helpUrl']}]")
        for n in v["nodes"][:8]:
            lines.append(f"    {n['target']}: {n.get('failureSummary', '').splitlines()[-1:]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name,path,label", NAV, ids=[n for n, _, _ in NAV])
def test_no_serious_or_critical_violation(app_server, themed, theme, lang, name, path, label):
    page = themed(theme)
    goto(page, f"{app_server.url}{path}?lang={lang}")
    page.wait_for_timeout(300)  # plotly finishes its SVG (legend, annotations) after the run
    found = blocking_violations(page)
    assert not found, f"{name} ({theme}, {lang}):\n{describe(found)}"


CHART_JS = """() => [...document.querySelectorAll('[class*="st-key-chart_"]')].map(b =>
    [...b.classList].find(c => c.startsWith('st-key-chart_')).slice('st-key-chart_'.length))"""
# Every chart's description: its expander's label and its text, read from the DOM while folded.
ALT_JS = """() => [...document.querySelectorAll('[class*="st-key-alt_"]')].map(b => ({
    key: [...b.classList].find(c => c.startsWith('st-key-alt_')).slice('st-key-alt_'.length),
    label: (b.querySelector('summary') || {}).textContent || '',
    open: !!(b.querySelector('details') || {}).open,
    text: (b.querySelector('[data-testid="stExpanderDetails"]') || b).textContent.trim()}))"""


@pytest.mark.parametrize("name,path,label", NAV, ids=[n for n, _, _ in NAV])
def test_every_chart_has_its_description_in_the_dom(app_server, themed, name, path, label):
    """Folded, yet in the page: a screen reader finds the text next to its chart."""
    page = themed("light")
    goto(page, app_server.url + path)
    charts = page.evaluate(CHART_JS)
    alts = {a["key"]: a for a in page.evaluate(ALT_JS)}
    assert set(alts) >= set(charts), (charts, list(alts))
    for chart in charts:
        alt = alts[chart]
        assert "Describe this chart" in alt["label"] and not alt["open"], alt
        assert len(alt["text"]) > 40 and any(ch.isdigit() for ch in alt["text"]), alt


# --- keyboard ----------------------------------------------------------------------------------
FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const box = e.closest('[data-testid="stMultiSelect"], [data-testid="stDateInput"], '
                          + '[data-testid="stRadio"], [data-testid="stButton"], [data-testid="stPageLink"]');
    const label = box ? (box.querySelector('label, [data-testid="stWidgetLabel"]') || {}).textContent || '' : '';
    return {widget: box ? box.dataset.testid : e.tagName, label: label.trim(),
            role: e.getAttribute('role') || e.tagName.toLowerCase(), name: e.getAttribute('aria-label') || '',
            sidebar: !!e.closest('[data-testid="stSidebar"]')};
}"""


def _tab_to(page, want, limit: int = 80) -> list[dict]:
    """Press Tab from where the focus is until `want(focused)` holds; the stops on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUS_JS)
        stops.append(now)
        if now and want(now):
            return stops
    raise AssertionError(f"not reached in {limit} tabs; focus went through {stops}")


def _url(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def test_every_filter_is_reached_and_operated_with_the_keyboard(app_server, themed):
    page = themed("light")
    goto(page, app_server.url + "/")
    page.locator("body").focus()
    # From the page start, Tab reaches each sidebar filter in turn.
    for widget, label, role in (("stMultiSelect", "Companies", "combobox"), ("stMultiSelect", "Chips", "combobox"),
                                ("stDateInput", "As-of date range", "spinbutton"),
                                ("stRadio", "Minimum source grade", "input")):
        _tab_to(page, lambda f, w=widget, l=label, r=role: f["sidebar"] and f["widget"] == w
                and f["label"].startswith(l) and f["role"] == r)
    # Companies: from the page start again, type, Enter picks, Escape closes; the URL follows.
    page.locator("body").focus()
    _tab_to(page, lambda f: f["widget"] == "stMultiSelect" and f["label"].startswith("Companies")
            and f["role"] == "combobox")
    page.keyboard.type("ByteD")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_function("() => location.search.includes('company=bytedance')")
    wait_idle(page)
    assert _url(page).get("company") == ["bytedance"]
    # Grade: Tab to the radio group, an arrow key picks another grade; the URL follows.
    _tab_to(page, lambda f: f["widget"] == "stRadio" and f["label"].startswith("Minimum source grade"))
    page.keyboard.press("ArrowUp")
    page.wait_for_function("() => location.search.includes('grade=')")
    wait_idle(page)
    assert _url(page).get("grade") and _url(page)["grade"] != ["L"], page.url
    assert _url(page).get("company") == ["bytedance"]  # the first choice stays
