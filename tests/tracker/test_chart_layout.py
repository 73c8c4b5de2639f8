"""tracker/chart_layout.py: the left margin starts wide enough for the y axis's category
labels (so plotly's automargin has nothing to add and draws the chart once)."""
from __future__ import annotations

import plotly.graph_objects as go

from tracker import chart_layout as cl


def laid_out(labels: list[str], **bar) -> go.Figure:
    fig = go.Figure(go.Bar(x=[1] * len(labels), y=labels, orientation="h", **bar))
    return cl.fit(fig, "A title", 300)


def needed(label: str) -> int:
    lines = cl.wrap(label, cl.CATEGORY_CHARS).split("<br>")
    return round(max(map(len, lines)) * cl.TICK_CHAR_PX) + cl.TICK_PAD_PX


def test_the_left_margin_holds_the_longest_label_line():
    short, long_ = ["H20", "B200 (HGX)"], ["H20", "Ascend 910C · Reuters, as relayed by Asian American Daily"]
    a, b = laid_out(short), laid_out(long_)
    assert a.layout.margin.l == needed("B200 (HGX)")
    # a long label wraps: the margin holds its longest line, not the whole label
    assert b.layout.margin.l == needed(long_[1]) < round(len(long_[1]) * cl.TICK_CHAR_PX)
    assert a.layout.margin.l < b.layout.margin.l
    assert b.layout.yaxis.automargin is not False     # a wider label than estimated still fits


def test_a_numeric_y_axis_keeps_the_narrow_margin():
    fig = cl.fit(go.Figure(go.Scatter(x=["2026-01-01", "2026-02-01"], y=[1, 2])), "A title", 300)
    assert fig.layout.margin.l == 10


def test_hidden_y_labels_keep_the_narrow_margin():
    fig = go.Figure(go.Bar(x=[1, 2], y=["Ascend 910C · Reuters", "H20"], orientation="h"))
    fig.update_yaxes(showticklabels=False)
    assert cl.fit(fig, "A title", 300).layout.margin.l == 10
