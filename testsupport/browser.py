"""Debian's Chromium as Playwright drives it (never a downloaded browser), the app's pages as a
user reaches them, and "the page is drawn": the script finished and what it sent is on screen."""
from __future__ import annotations

import re
from pathlib import Path

from tracker.exports.images import CHROMIUM, CHROMIUM_FLAGS

# The app's own no-network flags, plus what a headless test machine needs.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", *CHROMIUM_FLAGS]
VIEWPORT = {"width": 1400, "height": 2400}  # Streamlit scrolls inside a container: make it all fit
TIMEOUT_MS = 60_000  # the machine is shared; a cold plotly load has taken 25 s under load 8
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Elements arrive before their lazily loaded React chunks (PageLink, Multiselect, PlotlyChart…)
# have drawn them, so "script finished" is not enough: also wait for the sidebar nav links, the
# filter widgets and every chart's SVG, and for no skeleton placeholder to be left.
READY_JS = """() => {
    const d = document;
    if (d.querySelector('[data-testid="stSkeleton"]')) return false;
    const sb = d.querySelector('[data-testid="stSidebarUserContent"]');
    if (sb && (!sb.querySelector('[data-testid="stPageLink-NavLink"]')
               || !sb.querySelector('[data-testid="stMultiSelect"] input')
               || !sb.querySelector('[data-testid="stRadioOption"]'))) return false;
    return [...d.querySelectorAll('[class*="st-key-chart_"]')]
        .every(b => b.querySelector('.js-plotly-plot .main-svg'));
}"""

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "IDLE", "READY_JS", "TIMEOUT_MS", "VIEWPORT", "goto",
           "nav_pages", "wait_idle"]


def nav_pages() -> list[tuple[str, str, str]]:
    """(name, URL path, nav label) of every page in the app's own nav (tracker.ui.NAV), so a
    page added later is toured too. Classic multipage URLs drop the file's NN_ prefix."""
    from tracker.ui import NAV

    out = []
    for file, label, _icon in NAV:
        name = "overview" if file == "app.py" else re.sub(r"^\d+_", "", Path(file).stem)
        out.append((name, "/" if file == "app.py" else "/" + name, label))
    return out


def wait_idle(page) -> None:
    """The script run finished and what it sent is drawn (see READY_JS)."""
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_function(READY_JS)


def goto(page, path: str) -> None:
    page.goto(path, wait_until="domcontentloaded")
    page.wait_for_selector("h1", state="attached")
    wait_idle(page)
