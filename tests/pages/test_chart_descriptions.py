"""Every chart on every page has its text alternative under it ("Describe this chart", folded),
and the numbers it states are the chart's own."""
import re

import pytest

from tests.pages.helpers import PAGES, charts, decode, run

LABEL = "Describe this chart"


def descriptions(at) -> list[str]:
    """The description texts in page order, markdown escapes undone."""
    return [re.sub(r"\\(.)", r"\1", e.markdown[0].value) for e in at.expander if e.label == LABEL]


def with_query(at):
    """The explorer draws a chart once a query has run."""
    at.text_area(key="sql").set_value("SELECT stage, count(*) AS reports FROM trade_figures GROUP BY stage")
    at.button(key="run_sql").click().run()
    return at


# every page, and each later tab of the pages whose charts are tabs (tracker/sections.py)
TABBED = [("pipeline", "conflicts"), ("pipeline", "per-company"), ("chips", "relative"), ("chips", "conflicts")]


@pytest.mark.parametrize("page, section", [(p, None) for p in PAGES] + TABBED)
def test_every_chart_has_a_description(page, section):
    at = run(page, {"section": section} if section else None)
    if page == "explore":
        at = with_query(at)
    specs, texts = charts(at), descriptions(at)
    assert len(texts) == len(specs), (page, len(specs), texts)
    assert all(len(t) > 30 for t in texts), texts
    assert not [e for e in at.expander if e.label == LABEL and e.proto.expanded]  # folded until asked


def test_the_charts_drawn_on_the_fixture_are_counted():
    """The count test above means something: these pages do draw charts."""
    assert len(charts(run("pipeline"))) >= 2 and len(charts(run("chips"))) >= 2
    assert len(charts(run("pipeline", {"section": "per-company"}))) >= 2
    assert len(charts(run("chips", {"section": "relative"}))) >= 1
    assert len(charts(with_query(run("explore")))) == 1


def _bar_values(spec: dict) -> list[float]:
    return [v for t in spec["data"] if t.get("type") == "bar" for v in decode(t.get("x") or [])
            if v is not None]


def test_pipeline_description_states_each_bars_value_with_its_bound():
    at = run("overview")
    spec, text = charts(at)[0], descriptions(at)[0]
    values = _bar_values(spec)
    assert values
    for v in values:
        assert f"{v:,.0f}" in text, (v, text)
    assert "at least 2,000,000 chips" in text and "≥" not in text  # a04: a lower bound, in words
    assert "Shipped: none reported (as of 2026-01-28)" in text       # a20: a dated fact, not 0
    assert "between 5,000 modules and 10,000 modules" in text       # a11: a range


def test_threshold_descriptions_state_the_charts_limit():
    at = run("chips")
    pairs = [(s, t) for s, t in zip(charts(at), descriptions(at)) if "against the limit" in t]
    assert len(pairs) == 2
    for spec, text in pairs:
        limit = next(s["x0"] for s in spec["layout"]["shapes"] if s.get("x0") == s.get("x1"))
        assert f"{limit:,.0f}" in text, (limit, text)
        for v in _bar_values(spec):
            assert v < limit or f"{v:,.0f}" in text  # any bar at or over the limit is named


def test_ratio_description_states_the_charts_highest_ratio():
    at = run("chips", {"section": "relative"})
    spec, text = next((s, t) for s, t in zip(charts(at), descriptions(at)) if t.startswith("DERIVED"))
    assert f"{max(_bar_values(spec)):.2f}×" in text


def test_time_description_counts_the_charts_points():
    at = run("pipeline")
    spec, text = next((s, t) for s, t in zip(charts(at), descriptions(at)) if t.startswith("Scatter"))
    points = [v for t in spec["data"] if t.get("legendgroup") != "bounds" and t.get("yaxis") != "y2"
              for v in decode(t.get("y") or []) if v is not None]
    assert f"of {len(points)} reported chip counts" in text
    assert f"{max(points):,.0f}" in text
