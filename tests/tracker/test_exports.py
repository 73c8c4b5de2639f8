"""Exports carry their citation: the citation text, images with the footer drawn in, the zip."""
import datetime as dt
import io
import os
import struct
import xml.etree.ElementTree as ET
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest

from tracker import exports
from tracker.filters import Filters, Options

TODAY = dt.date(2026, 11, 28)
URL = "http://localhost:8501/pipeline?company=alibaba&grade=M"
BUILD = "Data build b42 of 2026-11-20"
needs_chromium = pytest.mark.skipif(not os.access(exports.CHROMIUM, os.X_OK),
                                    reason="static export needs /usr/bin/chromium")


# --- citation ---------------------------------------------------------------------------------
def test_citation_carries_title_filters_sources_build_url_and_date():
    text = exports.citation_text("H200 pipeline", "companies Alibaba", "Reuters, 2026-01-28 (H)",
                                 BUILD, URL, today=TODAY)
    assert text.splitlines() == [
        "H200 export tracker — H200 pipeline.", "Filters: companies Alibaba.",
        "Sources: Reuters, 2026-01-28 (H).", "Data build b42 of 2026-11-20.", f"View: {URL}",
        "Accessed 2026-11-28."]


def test_citation_without_url_or_filters_says_so_and_stays_one_line_each():
    lines = exports.citation_lines("T\nwith newline", "", "A\nB", BUILD, None, today=TODAY)
    assert len(lines) == 6 and lines[0] == "H200 export tracker — T with newline."
    assert lines[1] == "Filters: none (all data)." and lines[2] == "Sources: A B."
    assert lines[4] == "View: link not recorded."


def test_describe_helpers():
    opts = Options({"alibaba": "Alibaba"}, {"h200": "H200"}, dt.date(2025, 1, 1), dt.date(2026, 6, 1))
    f = Filters(("alibaba",), ("h200",), dt.date(2025, 12, 1), dt.date(2026, 2, 1), "M",
                dt.date(2026, 3, 1))
    assert exports.describe_filters(f, opts) == (
        "companies Alibaba; chips H200; as-of dates 2025-12-01 to 2026-02-01; source grades H/M; "
        "as known on 2026-03-01 (later publications hidden)")
    assert exports.describe_filters(Filters()) == "none (all data)"
    data = pd.DataFrame({"publisher": ["Reuters", "SCMP", "Reuters"], "grade": ["H", "M", "H"],
                         "as_of_date": pd.to_datetime(["2026-01-28", "2026-01-02", "2026-01-28"])})
    assert exports.describe_sources(data) == "Reuters, 2026-01-28 (H); SCMP, 2026-01-02 (M)"
    assert exports.describe_build("b42", "2026-11-20T08:15:00") == BUILD
    assert exports.view_url("http://h/pipeline", f).startswith(
        "http://h/pipeline?company=alibaba&chip=h200&dates=2025-12-01&dates=2026-02-01&grade=M")
    assert exports.view_url("http://h/pipeline", Filters()) == "http://h/pipeline"


def test_footer_wraps_long_sources():
    lines = exports.footer_lines("none", "; ".join(f"Publisher {i} (M)" for i in range(60)), BUILD)
    assert len(lines) > 3 and max(map(len, lines)) <= exports.WRAP
    assert lines[0] == "Filters: none" and lines[-1] == f"H200 export tracker · {BUILD}"


def test_long_y_labels_narrow_the_footer_so_it_stays_in_the_image():
    short = go.Figure(go.Bar(y=["Orders", "Shipped"], x=[1, 2], orientation="h"))
    long = go.Figure(go.Bar(y=["H200 · Tom's Hardware via Yahoo Finance Syndication [spec_1]"],
                            x=[1], orientation="h"))
    assert exports._wrap_for(short, 1200, 36) == exports.WRAP
    assert 40 <= exports._wrap_for(long, 1200, 36) < 115
    assert exports._wrap_for(short, 800, 36) < exports.WRAP
    numeric = go.Figure(go.Scatter(x=[1, 2, 3], y=pd.Series([1.0, 2.0, 3.0]).to_numpy()))
    assert exports._wrap_for(numeric, 1200, 36) == exports.WRAP  # numpy y: no truth-value error


def test_missing_chromium_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(exports, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="static export needs Chromium"):
        exports._browser_path()


# --- static images (one Chromium for the module) -----------------------------------------------
@pytest.fixture(scope="module")
def server():
    if not os.access(exports.CHROMIUM, os.X_OK):
        pytest.skip("static export needs /usr/bin/chromium")
    exports._ensure_server()


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
    png = exports.static_image(fig, "png", width=900, height=520, **FOOT)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (900, 520)  # scale=1: pixels = requested size
    assert fig.to_json() == before


@needs_chromium
def test_png_default_height_adds_the_footer_to_the_chart(server):
    png = exports.static_image(chart(), "png", **FOOT)
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1200 and height > 300


@needs_chromium
def test_svg_draws_title_filters_sources_build_as_escaped_text(server):
    svg = exports.static_image(chart(), "svg", width=1000, **FOOT)
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
        exports.static_image(chart(), "jpg", **FOOT)


# --- bundle -----------------------------------------------------------------------------------
def frames():
    figures = pd.DataFrame({
        "figure_id": ["a01", "a02"], "value": [400000.0, -5.0], "bound": ["at_least", "exact"],
        "as_of_date": pd.to_datetime(["2026-01-28", "2025-12-31"]),
        "quote": ["=HYPERLINK(\"http://evil\")", "plain words"], "mystery": [1, 2]})
    ratios = pd.DataFrame({"chip": ["H200"], "ratio_to_h20": [6.7]})
    sources = pd.DataFrame({"source_id": ["s1"], "publisher": ["@Reuters"], "grade": ["H"],
                            "url": ["https://example.com/a"]})
    return figures, ratios, sources


def open_bundle(**kw):
    figures, ratios, sources = frames()
    args = dict(view="Pipeline", tables={"figures over time": figures, "Ratios/../x": ratios},
                sources=sources, citation="CITE ME\n", url=URL, today=TODAY)
    return zipfile.ZipFile(io.BytesIO(exports.bundle(**{**args, **kw})))


def test_bundle_members_in_fixed_order():
    zf = open_bundle()
    assert zf.namelist() == ["README.txt", "CITATION.txt", "VIEW_URL.txt",
                             "figures-over-time.csv", "ratios-x.csv", "sources.csv",
                             "data_dictionary.csv"]
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())
    assert zf.read("CITATION.txt") == b"CITE ME\n"
    assert zf.read("VIEW_URL.txt").decode().strip() == URL
    readme = zf.read("README.txt").decode()
    assert "DERIVED" in readme and "ratios-x.csv" in readme and URL in readme


def test_bundle_csvs_equal_the_frames_with_formulas_neutralised():
    figures, ratios, sources = frames()
    zf = open_bundle()
    back = pd.read_csv(zf.open("figures-over-time.csv"))
    assert list(back.columns) == list(figures.columns)
    assert back["quote"].tolist() == ["'=HYPERLINK(\"http://evil\")", "plain words"]
    assert back["value"].tolist() == [400000.0, -5.0]
    assert back["as_of_date"].tolist() == ["2026-01-28", "2025-12-31"]
    assert back[["figure_id", "bound", "mystery"]].equals(figures[["figure_id", "bound", "mystery"]])
    pd.testing.assert_frame_equal(pd.read_csv(zf.open("ratios-x.csv")), ratios)
    assert pd.read_csv(zf.open("sources.csv"))["publisher"].tolist() == ["'@Reuters"]


def test_data_dictionary_explains_every_column():
    zf = open_bundle(dictionary=pd.DataFrame({"column": ["mystery"], "meaning": ["Ours now"],
                                              "unit": ["widgets"]}))
    dd = pd.read_csv(zf.open("data_dictionary.csv"), keep_default_na=False)
    assert list(dd.columns) == ["table", "column", "dtype", "meaning", "unit"]
    figures, ratios, sources = frames()
    assert len(dd) == len(figures.columns) + len(ratios.columns) + len(sources.columns)
    row = dd.set_index(["table", "column"])
    assert "lower bound (more than)" in row.loc[("figures-over-time.csv", "bound"), "meaning"]
    assert row.loc[("ratios-x.csv", "ratio_to_h20"), "meaning"].startswith("DERIVED")
    assert row.loc[("figures-over-time.csv", "mystery"), "meaning"] == "Ours now"
    assert row.loc[("figures-over-time.csv", "value"), "dtype"] == "float64"
    no_meaning = open_bundle()
    dd2 = pd.read_csv(no_meaning.open("data_dictionary.csv"), keep_default_na=False)
    assert dd2.set_index("column").loc["mystery", "meaning"] == exports.UNKNOWN


def test_bundle_names_collide_safely_and_url_may_be_unknown():
    figures, ratios, sources = frames()
    zf = open_bundle(tables={"sources": figures, "Sources!": ratios, "": ratios}, url=None)
    assert zf.namelist()[3:6] == ["sources-2.csv", "sources-3.csv", "export.csv"]
    assert "not recorded" in zf.read("VIEW_URL.txt").decode()
    assert open_bundle().read("README.txt") == open_bundle().read("README.txt")  # deterministic
