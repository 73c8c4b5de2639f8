"""What the browser tests read off the page the way a user sees it: the pages and charts the
fixture data gives, charts' SVG text and plotly data, sidebar widgets, downloads, alerts.

The server, the ETL build and Chromium's settings are shared with benchmarks/ and scripts/ and
live in testsupport/ (server.py, browser.py). (Named e2e_support, not helpers: tests/etl/helpers.py
already owns that module name under pytest's default import mode.)
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

# URL path -> (file, title shown as the page's h1)
PAGES = {
    "overview": ("/", "Nvidia H200 exports to China"),
    "pipeline": ("/pipeline", "Orders vs approvals vs stock"),
    "chips": ("/chips", "Chip performance"),
    "timeline": ("/timeline", "Timeline"),
    "sources": ("/sources", "Sources and method"),
    "data": ("/data", "Data"),
}
# Charts (st.plotly_chart keys chart_<name>) each page draws on the fixture data.
CHARTS = {
    "overview": ["overview-pipeline"],
    "pipeline": ["pipeline-by-stage", "figures-over-time"],
    "chips": ["tpp-vs-threshold",
              "memory_bandwidth_tbs-vs-threshold"],
    "timeline": ["timeline"],
    "sources": [],
    "data": [],
}
NAV_LABELS = {"overview": "Overview", "pipeline": "Orders vs approvals vs stock",
              "chips": "Chip performance", "timeline": "Timeline", "sources": "Sources and method",
              "data": "Data"}
EXCEPTION = '[data-testid="stException"]'
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # spelled here too: the tests' own oracle


# --- reading the page ---------------------------------------------------------------------
def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def exceptions(page) -> list[str]:
    return page.locator(EXCEPTION).all_inner_texts()


def chart_keys(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('[class*="st-key-chart_"]')]
        .map(e => [...e.classList].find(c => c.startsWith('st-key-chart_')).slice('st-key-chart_'.length))""")


def chart_text(page, name: str) -> str:
    """Every SVG text node plotly drew for chart `name` (axis labels, bar labels, legend)."""
    return page.evaluate("""(name) => {
        const gd = document.querySelector(`.st-key-chart_${CSS.escape(name)} .js-plotly-plot`);
        return gd ? [...gd.querySelectorAll('text')].map(t => t.textContent).join('|') : null;
    }""", name)


def chart_summary(page, name: str) -> dict:
    """What plotly holds for chart `name`: SVG point/bar count and the traces' y categories/x."""
    return page.evaluate("""(name) => {
        const gd = document.querySelector(`.st-key-chart_${CSS.escape(name)} .js-plotly-plot`);
        if (!gd) return null;
        // _fullData holds decoded arrays (data[i].x may still be {dtype, bdata}); typed arrays
        // and plain arrays both go through Array.from.
        const plain = a => (a && a.length !== undefined && typeof a !== 'string')
            ? Array.from(a, v => (v && typeof v === 'object') ? String(v) : v) : [];
        return {
            points: gd.querySelectorAll('.point').length,
            svg: gd.querySelectorAll('svg.main-svg').length,
            traces: (gd._fullData || []).map(t => ({type: t.type, name: t.name || '',
                                                    x: plain(t.x), y: plain(t.y), text: plain(t.text)})),
        };
    }""", name)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def multiselect(page, label: str):
    return sidebar(page).locator('[data-testid="stMultiSelect"]').filter(
        has=page.get_by_label(label, exact=True))


def selected(page, label: str) -> list[str]:
    """The tags a sidebar multiselect shows."""
    return multiselect(page, label).locator("[data-tag] span[title]").all_inner_texts()


def pick(page, label: str, option: str) -> None:
    """Open the sidebar multiselect `label`, click `option`, close the list."""
    box = multiselect(page, label).locator("input[role=combobox]")
    box.click()
    page.locator('[role="option"]').filter(has_text=option).first.click()
    page.keyboard.press("Escape")


def checked_grade(page) -> str:
    return sidebar(page).locator('.st-key-w_grade [data-testid="stRadioOption"]').filter(
        has=page.locator("input:checked")).inner_text().strip()  # not the language switch's


def date_range(page) -> list[str]:
    return sidebar(page).locator('[data-testid="stDateInput"]').first.locator(
        'input[type="date"]').evaluate_all("els => els.map(e => e.value)")


def download(page, key: str) -> tuple[str, str]:
    """Click the download button with widget key `key`; return (file name, CSV text)."""
    button = page.locator(f".st-key-{key} [data-testid='stDownloadButton'] button").first  # paged tables add a second
    with page.expect_download() as info:
        button.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")


def parse_csv(text: str) -> list[dict[str, str]]:
    """Rows as a spreadsheet reads them: a bare CR or LF outside quotes ends the row."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def download_csv(page, key: str) -> tuple[str, list[dict[str, str]]]:
    name, text = download(page, key)
    return name, parse_csv(text)


def warnings(page) -> list[str]:
    return page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts() or \
        page.locator('[data-testid="stAlert"]').all_inner_texts()
