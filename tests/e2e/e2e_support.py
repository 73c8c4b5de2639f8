"""Helpers shared by the browser tests and benchmarks/bench_app.py: start/stop a Streamlit
server on a free port, build a DB with the ETL, and read the page the way a user sees it.

No pytest in here, so the benchmark script can import it too. (Named e2e_support, not helpers:
tests/etl/helpers.py already owns that module name under pytest's default import mode.)
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 2400}  # Streamlit scrolls inside a container: make it all fit
TIMEOUT_MS = 60_000  # the machine is shared; a cold plotly load has taken 25 s under load 8

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
    "chips": ["relative-to-h20-fp16_bf16_tflops-dense", "tpp-vs-threshold",
              "memory_bandwidth_tbs-vs-threshold"],
    "timeline": ["timeline"],
    "sources": [],
    "data": [],
}
NAV_LABELS = {"overview": "Overview", "pipeline": "Orders vs approvals vs stock",
              "chips": "Chip performance", "timeline": "Timeline", "sources": "Sources and method",
              "data": "Data"}


def nav_pages() -> list[tuple[str, str, str]]:
    """(name, URL path, nav label) of every page in the app's own nav (tracker.ui.NAV), so a
    page added later is toured too. Classic multipage URLs drop the file's NN_ prefix."""
    import re

    from tracker.ui import NAV

    out = []
    for file, label, _icon in NAV:
        stem = Path(file).stem
        name = "overview" if file == "app.py" else re.sub(r"^\d+_", "", stem)
        out.append((name, "/" if file == "app.py" else "/" + name, label))
    return out

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --- servers ------------------------------------------------------------------------------
def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_db(data_dir: Path, db: Path) -> Path:
    """`python -m etl build` into db (a fresh path); raises with the ETL's output on failure."""
    db.parent.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([PYTHON, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    if run.returncode != 0 or not db.exists():
        raise RuntimeError(f"etl build failed ({run.returncode}) for {data_dir}:\n"
                           f"{run.stdout}\n{run.stderr}")
    return db


@dataclass
class Server:
    """One `streamlit run` subprocess; stop() terminates exactly this process."""

    script: str
    db: Path
    log_path: Path
    cwd: Path = ROOT
    port: int = 0
    proc: subprocess.Popen | None = None
    started_s: float = 0.0  # Popen -> /_stcore/health answered
    extra_env: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 90.0) -> "Server":
        self.port = self.port or free_port()
        env = {**os.environ, "H200_DB": str(self.db), "PYTHONUNBUFFERED": "1", **self.extra_env}
        cmd = [PYTHON, "-m", "streamlit", "run", self.script, "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(self.port),
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        with open(self.log_path, "wb") as log:  # a file, not PIPE: an unread pipe blocks the server
            self.proc = subprocess.Popen(cmd, cwd=self.cwd, env=env, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200 and r.read().strip() == b"ok":
                        self.started_s = time.perf_counter() - t0
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()  # still our own handle, never a name
                self.proc.wait(timeout=5)

    def log(self, tail: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return "(no log)"


# --- reading the page ---------------------------------------------------------------------
def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


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


def wait_idle(page) -> None:
    """The script run finished and what it sent is drawn (see READY_JS)."""
    page.wait_for_selector(IDLE, state="attached")
    page.wait_for_function(READY_JS)


def goto(page, path: str) -> None:
    page.goto(path, wait_until="domcontentloaded")
    page.wait_for_selector("h1", state="attached")
    wait_idle(page)


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
    return sidebar(page).locator('[data-testid="stRadioOption"]').filter(
        has=page.locator("input:checked")).inner_text().strip()


def date_range(page) -> list[str]:
    return sidebar(page).locator('[data-testid="stDateInput"]').first.locator(
        'input[type="date"]').evaluate_all("els => els.map(e => e.value)")


def download(page, key: str) -> tuple[str, str]:
    """Click the download button with widget key `key`; return (file name, CSV text)."""
    button = page.locator(f".st-key-{key} [data-testid='stDownloadButton'] button")
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
