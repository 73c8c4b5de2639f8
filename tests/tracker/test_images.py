"""Chart images with the filters, sources and build drawn in (kaleido on Debian's Chromium)."""
import os
import struct
import xml.etree.ElementTree as ET

import pandas as pd
import plotly.graph_objects as go
import pytest

from tracker.exports import images

BUILD = "Data build b42 of 2026-11-20"
needs_chromium = pytest.mark.skipif(not os.access(images.CHROMIUM, os.X_OK),
                                    reason="static export needs /usr/bin/chromium")


def test_footer_wraps_long_sources():
    lines = images.footer_lines("none", "; ".join(f"Publisher {i} (M)" for i in range(60)), BUILD)
    assert len(lines) > 3 and max(map(len, lines)) <= images.WRAP
    assert lines[0] == "Filters: none" and lines[-1] == f"H200 export tracker · {BUILD}"


def test_long_y_labels_narrow_the_footer_so_it_stays_in_the_image():
    short = go.Figure(go.Bar(y=["Orders", "Shipped"], x=[1, 2], orientation="h"))
    long = go.Figure(go.Bar(y=["H200 · Tom's Hardware via Yahoo Finance Syndication [spec_1]"],
                            x=[1], orientation="h"))
    assert images._wrap_for(short, 1200, 36) == images.WRAP
    assert 40 <= images._wrap_for(long, 1200, 36) < 115
    assert images._wrap_for(short, 800, 36) < images.WRAP
    numeric = go.Figure(go.Scatter(x=[1, 2, 3], y=pd.Series([1.0, 2.0, 3.0]).to_numpy()))
    assert images._wrap_for(numeric, 1200, 36) == images.WRAP  # numpy y: no truth-value error


def test_missing_chromium_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(images, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="static export needs Chromium"):
        images._browser_path()


# --- static images (one Chromium for the module) -----------------------------------------------
@pytest.fixture(scope="module")
def server():
    if not os.access(images.CHROMIUM, os.X_OK):
        pytest.skip("static export needs /usr/bin/chromium")
    images._ensure_server()


def chart():
    fig = go.Figure(go.Bar(x=["ordered", "approved"], y=[2_000_000, 400_000]))
    fig.update_layout(title=dict(text="H200 pipeline &lt;test&gt;", x=0, xanchor="left"),
                      height=300, template="plotly_dark", margin=dict(l=10, r=30, t=60, b=40))
    return fig


# plotly reads <b>, <br> and entities in text: data must come out exactly as typed
SOURCE = "Reuters (H); <script>x</script> <b>not bold</b> &lt;as typed&gt;"
FOOT = dict(filters_text="companies Alibaba", sources_text=SOURCE, build_text=BUILD)


@needs_chromium
def test_png_has_the_requested_size_and_input_is_untouched(server):
    fig = chart()
    before = fig.to_json()
    png = images.static_image(fig, "png", width=900, height=520, **FOOT)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (900, 520)  # scale=1: pixels = requested size
    assert fig.to_json() == before


@needs_chromium
def test_png_default_height_adds_the_footer_to_the_chart(server):
    png = images.static_image(chart(), "png", **FOOT)
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1200 and height > 300


@needs_chromium
def test_svg_draws_title_filters_sources_build_as_escaped_text(server):
    svg = images.static_image(chart(), "svg", width=1000, **FOOT)
    root = ET.fromstring(svg)  # well-formed XML
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags
    text = " ".join(" ".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    for part in ("H200 pipeline <test>", "Filters: companies Alibaba",
                 f"Sources: {SOURCE}", f"H200 export tracker · {BUILD}"):
        assert part in text
    raw = svg.decode()
    assert "<script" not in raw  # the parsed text has it, so the SVG holds it escaped:
    assert "&lt;script&gt;" in raw or "&#60;script&#62;" in raw  # Chromium writes &#60;
    assert "rgb(17, 17, 17)" not in raw  # plotly_dark's background was replaced by plotly_white


def test_bad_format_is_refused():
    with pytest.raises(ValueError):
        images.static_image(chart(), "jpg", **FOOT)
