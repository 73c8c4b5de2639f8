"""Exports that carry their citation, downloaded in a real browser: a chart's PNG (and SVG)
with title, filters, sources and build drawn in, and the view's zip bundle."""
from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from testsupport.browser import goto, wait_idle

pytestmark = pytest.mark.e2e


def _save(page, key: str, timeout: float = 90_000) -> tuple[str, bytes]:
    """Click a download button; static images are drawn on click (kaleido + Chromium)."""
    wait_idle(page)
    button = page.locator(f".st-key-{key} [data-testid='stDownloadButton'] button:visible").first
    with page.expect_download(timeout=timeout) as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_chart_png_and_svg_carry_title_filters_sources_and_build(app_server, tab, fixture_sql):
    page = tab.page
    goto(page, app_server.url + "/?company=bytedance&grade=H")
    name, png = _save(page, "png_overview-pipeline")
    assert name.startswith("overview-pipeline_company-bytedance") and name.endswith(".png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])  # IHDR
    assert width == 1200 and 150 < height < 2000  # one stage under these filters: a short chart
    out = Path(__file__).resolve().parents[2] / "artifacts" / "exports"
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(png)  # to look at
    name, svg = _save(page, "svg_overview-pipeline")
    text = svg.decode("utf-8")
    build_id = fixture_sql("SELECT any_value(build_id) FROM build_info")[0][0]
    for words in ("H200 pipeline", "ByteDance", "The Business Times", build_id):
        assert words in text, words


def test_view_bundle_has_csvs_dictionary_sources_citation_and_link(app_server, tab):
    page = tab.page
    goto(page, app_server.url + "/pipeline?company=bytedance")
    wait_idle(page)
    name, data = _save(page, "dl_bundle")
    assert name.endswith(".zip") and "bytedance" in name
    members = zipfile.ZipFile(io.BytesIO(data)).namelist()
    for member in ("README.txt", "CITATION.txt", "VIEW_URL.txt", "sources.csv", "data_dictionary.csv",
                   "figures-over-time.csv", "pipeline-by-stage.csv"):
        assert member in members, members
    archive = zipfile.ZipFile(io.BytesIO(data))
    citation = archive.read("CITATION.txt").decode()
    assert "Orders vs approvals vs stock" in citation and "ByteDance" in citation
    url = archive.read("VIEW_URL.txt").decode()
    assert "/pipeline" in url and "company=bytedance" in url
    figures = archive.read("figures-over-time.csv").decode()
    assert "a15" in figures and "a04" not in figures  # the filtered rows, not all rows
