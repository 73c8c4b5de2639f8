"""tracker/chart_layout.py: the margins start wide enough for the axes' labels and the legend
(so plotly's automargin has nothing to add and draws the chart once)."""
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


# The bottom and left margins start at what plotly's automargin would push them to (measured in
# Chromium: tools in the module's comments), so a desktop draws each chart once.

def titled(fig: go.Figure, x_title: str) -> go.Figure:
    fig.update_xaxes(title=x_title)
    return cl.fit(fig, "A title", 300)


def test_the_bottom_margin_holds_the_x_title_lines():
    one = titled(go.Figure(go.Bar(x=[1], y=["H20"], orientation="h")), "chips")
    three = titled(go.Figure(go.Bar(x=[1], y=["H20"], orientation="h")), "word " * 25)
    assert one.layout.margin.b == cl.X_AXIS_PX + cl.X_TITLE_LINE_PX
    assert three.layout.xaxis.title.text.count("<br>") == 2
    assert three.layout.margin.b == cl.X_AXIS_PX + 3 * cl.X_TITLE_LINE_PX
    bare = cl.fit(go.Figure(go.Bar(x=[1], y=["H20"], orientation="h")), "A title", 300)
    assert bare.layout.margin.b == 40  # no title: left to automargin
    assert one.layout.xaxis.automargin is not False


def test_the_bottom_margin_adds_the_legend_rows():
    fig = go.Figure([go.Scatter(x=[1], y=[1], name="orders"), go.Scatter(x=[1], y=[2], name="stock")])
    with_legend = titled(fig, "chips")
    assert with_legend.layout.margin.b == round(cl.X_AXIS_PX + cl.X_TITLE_LINE_PX + cl.DRAWN_ROW_PX
                                                + cl.DRAWN_LEGEND_PAD_PX)
    fig.update_layout(showlegend=False)
    assert titled(fig, "chips").layout.margin.b == cl.X_AXIS_PX + cl.X_TITLE_LINE_PX


def test_grouped_legend_rows_are_its_tallest_column():
    bounds = [go.Scatter(x=[None], y=[None], name=n, legendgroup="bounds", legendgrouptitle_text="marker shape")
              for n in ("lower bound", "upper bound", "about", "exact")]
    fig = go.Figure([go.Scatter(x=[1], y=[1], name="orders"), *bounds])
    assert cl.drawn_legend_rows(fig) == 5  # the title and four items, beside the one-item column
    many = go.Figure([go.Scatter(x=[1], y=[1], name="x" * 40) for _ in range(6)] + bounds)
    assert cl.drawn_legend_rows(many) > 5  # too wide for one row of columns: they flow on


def test_an_x_axis_not_at_the_bottom_adds_nothing():
    fig = go.Figure(go.Scatter(x=[1], y=[1], xaxis="x", yaxis="y"))
    fig.update_layout(yaxis=dict(domain=[0.5, 1]), xaxis=dict(title="top chart's date"))
    assert cl.fit(fig, "A title", 300).layout.margin.b == 40


def test_a_number_axis_left_margin_holds_its_longest_tick():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[1_500, 2_500_000]))
    fig.update_yaxes(title="chips", tickformat=",")
    laid = cl.fit(fig, "A title", 300)
    assert laid.layout.margin.l == round(len("2,500,000") * cl.TICK_CHAR_PX) + cl.TICK_PAD_PX + cl.Y_TITLE_PX
    log = go.Figure(go.Scatter(x=[1, 2], y=[1_500, 2_500_000]))
    log.update_yaxes(type="log", tickvals=[1_000, 2_000, 1_000_000, 2_000_000, 5_000_000], tickformat=",")
    # the ticks within the data: 2,000 and 1,000,000 and 2,000,000 (9 characters); no title
    assert cl.fit(log, "A title", 300).layout.margin.l == round(9 * cl.TICK_CHAR_PX) + cl.TICK_PAD_PX


def test_a_short_chart_grows_to_keep_its_plot(monkeypatch):
    """One bar under a two-line x title and a legend: the margins alone would leave no plot
    (the one-company pipeline chart had -13 px and no hover), so the figure grows to keep
    MIN_PLOT_PX; a chart tall enough keeps the height it was given."""
    def two_bars(height: int) -> go.Figure:
        fig = go.Figure([go.Bar(x=[1], y=["a"], orientation="h", name="orders"),
                         go.Bar(x=[2], y=["a"], orientation="h", name="stock")])
        fig.update_xaxes(title="word " * 12)
        return cl.fit(fig, "A title", height)
    short, tall = two_bars(40), two_bars(600)
    assert short.layout.margin.b > 80
    assert short.layout.height - short.layout.margin.t - short.layout.margin.b == cl.MIN_PLOT_PX
    assert tall.layout.height - tall.layout.margin.t - tall.layout.margin.b > cl.MIN_PLOT_PX
    monkeypatch.setattr(cl, "MIN_PLOT_PX", 0)
    assert two_bars(600).layout.height == tall.layout.height  # the floor added nothing there
    assert two_bars(40).layout.height < short.layout.height
