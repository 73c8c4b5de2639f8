"""An embedded view inside a report (issue 11 §4a): a local page (served by this test on
127.0.0.1) holds the iframe snippet; inside it the chart is drawn with its source line and a
link back to the full view that opens in a new tab; no sidebar, no title, no citation."""
from __future__ import annotations

import html
import http.server
import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from e2e_support import exceptions
from testsupport.browser import IDLE

pytestmark = pytest.mark.e2e


@pytest.fixture
def report(tmp_path):
    """A one-page 'report' on its own 127.0.0.1 port; write(body) sets its HTML."""
    page = tmp_path / "report.html"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(tmp_path), **k)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def write(body: str) -> str:
        page.write_text(f"<!doctype html><html><head><title>A report</title></head><body>"
                        f"<h1>A memo</h1>{body}</body></html>", encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/report.html"

    yield write
    server.shutdown()
    server.server_close()


def test_embedded_chart_in_an_iframe_shows_the_chart_and_a_link_back(app_server, tab, report, screenshots):
    src = f"{app_server.url}/pipeline?company=bytedance&embed=true&view=pipeline-by-stage"
    url = report(f'<iframe src="{html.escape(src)}" title="H200 pipeline" width="700" height="620" '
                 f'style="border:0"></iframe>')
    page = tab.page
    page.goto(url, wait_until="domcontentloaded")
    frame = page.frame_locator("iframe")
    frame.locator(IDLE).wait_for(state="attached")
    chart = frame.locator(".st-key-chart_pipeline-by-stage .js-plotly-plot .main-svg").first
    chart.wait_for()
    text = frame.locator(".st-key-chart_pipeline-by-stage").inner_text()
    assert "400,000" in text and "2,000,000" not in text  # ByteDance's figures, the filter held

    inside = page.frames[1]
    assert inside.locator('[data-testid="stSidebar"]').count() == 0
    assert inside.locator("h1").count() == 0 and inside.locator('[data-testid="stDownloadButton"]').count() == 0
    assert inside.locator('[class*="st-key-chart_"]').count() == 1
    caption = inside.locator('[data-testid="stCaptionContainer"]').filter(has_text="database built")
    assert caption.count() == 1 and "Sources:" in caption.inner_text()

    back = caption.locator("a").last
    href = back.get_attribute("href")
    parts = urlsplit(href)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{app_server.url}/pipeline"
    assert parse_qs(parts.query) == {"company": ["bytedance"]}  # the same filters, no embed
    assert back.get_attribute("target") == "_blank"
    assert exceptions(page) == [] and inside.locator('[data-testid="stException"]').count() == 0

    with page.context.expect_page() as opened:  # the link back opens the full view in a new tab
        back.click()
    full = opened.value
    full.wait_for_selector("h1", state="attached")
    assert urlsplit(full.url).path == "/pipeline" and "embed" not in full.url
    full.close()
    page.screenshot(path=str(screenshots / "embed-in-iframe.png"))
