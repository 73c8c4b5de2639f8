"""Embedded views (issue 11 §4a): with embed=true a page shows one chart or table, its source
line, the build line and a link back to the full view; no sidebar, title or citation. Every
view a page offers in its share area embeds that way."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import PAGES, ROOT, charts, run

HOST = "http://localhost:8501"
SLUG = {"overview": "", **{p: f.split("/")[-1][2:-3] for p, f in PAGES.items() if p != "overview"}}
VIEW_PAGES = ["overview", "pipeline", "chips", "timeline", "sources", "data", "compute"]
TABLE_IDS = {"trade-figures": "figure_id", "chip-specs": "spec_id", "events": "event_id",  # a table's own id column
             "policy-terms": "term_id", "sources": "source_id"}


def _url(page: str) -> str:
    return f"{HOST}/{SLUG[page]}".rstrip("/")  # st.context.url has no trailing slash


def embedded(page: str, params: dict | None = None) -> AppTest:
    """A page opened by an embed link: Streamlit tells the script through st.context."""
    return run(page, params, context={"is_embedded": True, "url": _url(page)})


def offered(page: str, params: dict | None = None) -> tuple[list[str], AppTest]:
    """The views the full page lists in its share area (its expander opened)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.context = {"url": _url(page)}
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    at.session_state["embed_open"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return list(at.selectbox(key="w_embed_view").options), at


def assert_only_the_view(at: AppTest, kind: str) -> str:
    """One chart or one table, one caption with sources/build/link back; nothing else."""
    drawn = {"chart": len(charts(at)), "table": len(at.dataframe)}
    assert drawn[kind] == 1 and sum(drawn.values()) == 1, drawn
    assert not at.sidebar.children, "no sidebar in an embedded view"
    assert not at.multiselect and not at.radio and not at.get("page_link"), "no filters, no nav"
    assert not at.title and not at.subheader and not at.get("download_button")
    assert not [m for m in at.markdown if "Cite or take this view" in m.value]
    captions = [c.value for c in at.caption if "database built" in c.value]
    assert len(captions) == 1, [c.value for c in at.caption]
    return captions[0]


@pytest.mark.parametrize("page", VIEW_PAGES)
def test_every_offered_view_embeds_alone(page):
    views, full = offered(page)
    assert views, f"{page} offers no view to embed"
    link = full.code[0].value  # the first view's embed link, as the share area gives it
    query = parse_qs(urlsplit(link).query)
    assert link.startswith(_url(page)) and query["embed"] == ["true"] and query["view"] == [views[0]]
    assert "<iframe" in full.code[1].value and link.replace("&", "&amp;") in full.code[1].value
    cited = []
    for view in views:
        at = embedded(page, {"view": view})
        kind = "chart" if charts(at) else "table"
        caption = assert_only_the_view(at, kind)
        if kind == "chart":  # the chart asked for, not the page's first
            assert f"chart_{view}" in at.get("plotly_chart")[0].proto.id, (view, at.get("plotly_chart")[0].proto.id)
        elif view in TABLE_IDS:
            assert TABLE_IDS[view] in at.dataframe[0].value.columns, (view, list(at.dataframe[0].value.columns))
        back = caption.split("](")[-1].rstrip(")")
        assert back.startswith(_url(page)) and "embed" not in back and "view=" not in back, caption
        cited.append("Sources:" in caption)  # a count of reports per company cites no one row
    assert any(cited), views


def test_embedded_chart_keeps_the_filters_and_says_them():
    at = embedded("pipeline", {"view": "pipeline-by-stage", "company": ["bytedance"], "grade": "M"})
    caption = assert_only_the_view(at, "chart")
    assert "ByteDance" in caption and "Sources:" in caption
    back = parse_qs(urlsplit(caption.split("](")[-1].rstrip(")")).query)
    assert back["company"] == ["bytedance"] and back["grade"] == ["M"] and "embed" not in back
    text = str(charts(at)[0])
    assert "2,000,000" not in text  # a04 names no company: the filter holds in the embed


@pytest.mark.parametrize("page, view, section", [
    ("pipeline", "reports-per-company", ["per-company"]), ("pipeline", "figures-over-time", None),
    ("pipeline", "pipeline-by-stage", None), ("chips", "relative-to-h20-fp16_bf16_tflops-dense", ["relative"])])
def test_the_link_back_opens_the_tab_that_holds_the_view(page, view, section):
    """A chart in a later tab (tracker/sections.py): the full view it links back to opens there."""
    caption = assert_only_the_view(embedded(page, {"view": view}), "chart")
    back = parse_qs(urlsplit(caption.split("](")[-1].rstrip(")")).query)
    assert back.get("section") == section, caption


def test_embed_without_a_view_shows_the_page_first_chart():
    at = embedded("pipeline")
    assert_only_the_view(at, "chart")
    assert "pipeline" in charts(at)[0]["layout"]["title"]["text"]


@pytest.mark.parametrize("view", ["no-such-chart", "<script>x</script>"])
def test_an_unknown_view_says_so_and_links_back(view):
    at = embedded("pipeline", {"view": view})
    assert not charts(at) and not at.dataframe and not at.sidebar.children
    assert any("no view named" in i.value for i in at.info)
    assert "<script>" not in " ".join(i.value for i in at.info)
    assert any(f"]({_url('pipeline')}" in c.value for c in at.caption)


@pytest.mark.parametrize("page", ["explore", "whats_new"])
def test_pages_without_a_view_say_so(page):
    at = embedded(page)
    assert not charts(at) and not at.sidebar.children and not at.title
    assert any("no chart or table" in i.value for i in at.info)


def test_the_full_page_is_unchanged_without_embed():
    at = run("pipeline")
    assert at.title and at.multiselect(key="w_company") and len(charts(at)) >= 2
