"""Chart layouts that read on any screen, a phone's 390 px included (issue 11 §3). Pure: a
figure in, the same figure laid out.

A chart is drawn at its frame's width, which the server never learns, so the layout must hold
from about 360 px to a desktop's 1,400 px:
- the legend sits under the plot, left-aligned, and wraps into rows (never a scrolling box); the
  figure is made taller by what those rows need on a phone, up to LEGEND_MAX_PX, so the plot
  keeps most of its height there (a desktop, with fewer rows, gives the plot the difference);
- the title sits above the plot, clear of the mode bar, and long titles, axis titles and
  category labels wrap onto lines instead of running off the edge.
"""
from __future__ import annotations

import numbers
import textwrap

import plotly.graph_objects as go

TITLE_CHARS = 42     # a title line at 17 px fits a phone's chart (about 358 px)
AXIS_CHARS = 46      # an axis title line at 12 px
CATEGORY_CHARS = 30  # a category label line: the left margin keeps room for the plot
CATEGORY_LINE_PX = 14
TICK_CHAR_PX = 6.2   # an average tick-label character at 12 px (a little wide)
TICK_PAD_PX = 20     # the tick's length and gap (measured 14-20)
NOTE_CHARS = 44      # a note drawn on the chart (a limit's label)
NOTE_LINE_PX = 16
PHONE_LEGEND_PX = 240  # a legend's width on a phone (plotly gives it the plot's width)
LEGEND_ROW_PX = 20   # a legend row at 11 px with constant-size symbols
LEGEND_MAX_PX = 180  # more legend than this shrinks the plot a little on a phone, rather
                     # than making every desktop chart tall
TITLE_TOP = 28       # the title starts under plotly's mode bar
TITLE_LINE_PX = 22
CHAR_PX = 5.8        # an average legend character at 11 px (erring wide)
SYMBOL_PX = 42       # a legend item's symbol and gaps
# What plotly's automargin adds under the plot, measured in Chromium (issue 10): an x axis with
# a title pushes 66.8 / 85 / 101 px for 1 / 2 / 3 title lines, and the legend (container-anchored
# under it) adds its own height, 29 px for one row. Erring a few px wide: short, the margin is
# pushed and the chart drawn twice.
X_AXIS_PX = 50
X_TITLE_LINE_PX = 18
WIDE_LEGEND_PX = 800  # rows counted at a desktop's plot width; a phone's extra rows still push
DRAWN_ROW_PX = 19.5
DRAWN_LEGEND_PAD_PX = 10
Y_TITLE_PX = 33      # a y axis's rotated title and its gaps
# The plot's least height once the margins are set: automargin never shrinks a plot below
# plotly's minreducedheight (64 px), but margins set up front bypass that, so a short chart
# (one bar) under a tall x title and legend is made taller instead of being drawn with no plot.
MIN_PLOT_PX = 80


def wrap(text: str, width: int) -> str:
    """Plotly text on lines of at most `width` characters (words kept whole); text that already
    carries line breaks is left as it is."""
    if not text or len(text) <= width or "<br>" in text:
        return text
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


QUALIFIER_CHARS = 22  # a bar label's qualifier line (shared by…, revised…)
INSIDE_SHARE = 0.7    # a bar at least this share of the longest carries its label inside


def bar_labels(texts: list[str], values: list[float], pads: list[str]) -> tuple[list[str], list[str]]:
    """Bar labels that fit a phone: the value on the first line, each qualifier (" · shared: …")
    wrapped on the next; a long bar's label inside it from the axis (the bound's marker sits at
    its end), a short one's outside after `pad` (room for that marker). Returns (texts,
    positions)."""
    top = max(values, default=0) or 1
    out, where = [], []
    for text, value, pad in zip(texts, values, pads):
        inside = value >= INSIDE_SHARE * top
        first, *rest = text.split(" · ")
        lead = "" if inside else pad
        lines = [lead + first] + [lead + line for q in rest
                                  for line in textwrap.wrap(q, QUALIFIER_CHARS, break_long_words=False)]
        out.append("<br>".join(lines))
        where.append("inside" if inside else "outside")
    return out, where


def _legend_items(fig: go.Figure) -> tuple[list[str], int]:
    """The legend's item names and how many group titles it shows."""
    names, groups = [], set()
    for t in fig.data:
        if t.showlegend is False or not t.name:
            continue
        names.append(t.name)
        title = getattr(t, "legendgrouptitle", None)
        if title is not None and title.text:
            groups.add(t.legendgroup)
    return names, len(groups)


def legend_rows(names: list[str], width: float = PHONE_LEGEND_PX) -> int:
    """How many rows a horizontal legend of these names takes at `width` px (packed greedily,
    as plotly does)."""
    rows, used = 0, width
    for name in names:
        item = SYMBOL_PX + CHAR_PX * len(name)
        if used + item > width:
            rows, used = rows + 1, 0
        used += item
    return rows


def _wrap_categories(fig: go.Figure) -> int:
    """Long category labels of a y axis wrap onto lines (tick text only: the data keep them),
    and the left margin starts wide enough for the y axis's labels: plotly's automargin then has
    nothing to add, which would cost a second full draw of the chart on every rerun (about half
    its drawing time, issue 10). Automargin stays on, so a label wider than the estimate still
    fits. Returns the px the wrapped rows need beyond the builder's height."""
    more = 0
    for axis in ("y", "y2"):
        cats = list(dict.fromkeys(
            v for t in fig.data if (getattr(t, "yaxis", None) or "y") == axis and t.y is not None
            and len(t.y) and all(isinstance(v, str) for v in t.y) for v in t.y))
        if not cats:
            continue
        name = "yaxis" if axis == "y" else "yaxis2"
        text = [wrap(c, CATEGORY_CHARS) for c in cats]
        y = fig.layout[name]
        if (y.side in (None, "left") and y.visible is not False and y.showticklabels is not False
                and not y.overlaying):
            longest = max(len(line) for t in text for line in t.split("<br>"))
            fig.layout.margin.l = max(fig.layout.margin.l or 0, round(longest * TICK_CHAR_PX) + TICK_PAD_PX)
        if max(len(c) for c in cats) > CATEGORY_CHARS:
            fig.layout[name].update(tickmode="array", tickvals=cats, ticktext=text)
            lines = max(t.count("<br>") + 1 for t in text)
            more += max(0, len(cats) * (CATEGORY_LINE_PX * lines + 14) - (fig.layout.height or 0) + 260)  # margins, legend
    return more


def fit(fig: go.Figure, title: str, height: int) -> go.Figure:
    """Title above the plot, legend under it, long words wrapped; `height` is the plot's own
    (plus its axes), the legend's rows on a phone come on top."""
    text = wrap(title, TITLE_CHARS)
    lines = text.count("<br>") + 1
    names, groups = _legend_items(fig)
    rows = legend_rows(names) + groups if len(names) > 1 or groups else 0
    legend_px = min(rows * LEGEND_ROW_PX + (12 if rows else 0), LEGEND_MAX_PX)
    fig.update_layout(
        # under the mode bar (about 26 px), then room for labels drawn just above the plot
        # (plotly lifts a title's extra lines above its anchor: the pad takes them back down)
        title=dict(text=text, x=0, xanchor="left", yref="container", y=1, yanchor="top",
                   pad=dict(t=TITLE_TOP + TITLE_LINE_PX * (lines - 1))),
        margin=dict(l=10, r=30, t=TITLE_TOP + TITLE_LINE_PX * (2 * lines - 1) + 22, b=40),
        height=height + legend_px + 2 * TITLE_LINE_PX * (lines - 1),
        legend=dict(orientation="h", xref="container", x=0, xanchor="left", yref="container", y=0, yanchor="bottom",
                    font=dict(size=11), itemsizing="constant", tracegroupgap=2, maxheight=2000))
    for name in [k for k in fig.layout if k.startswith(("xaxis", "yaxis"))]:
        axis_title = fig.layout[name].title.text
        if axis_title:
            fig.layout[name].title.text = wrap(axis_title, AXIS_CHARS)
    above = 0  # lines of labels drawn just above the plot (a limit's label): room under the title
    for note in fig.layout.annotations:  # a long label on the plot wraps rather than leave the figure
        if note.text and note.xref != "paper":
            note.text = wrap(note.text, NOTE_CHARS)
            if note.yref == "paper" and (note.y or 0) >= 1 and note.yanchor == "bottom":
                above = max(above, note.text.count("<br>") + 1)
    if above > 1:
        fig.layout.margin.t += NOTE_LINE_PX * (above - 1)
        fig.layout.height += NOTE_LINE_PX * (above - 1)
    fig.layout.height += _wrap_categories(fig)
    _bottom_margin(fig, names, groups)
    fig.layout.height = max(fig.layout.height, fig.layout.margin.t + fig.layout.margin.b + MIN_PLOT_PX)
    _number_axis_margin(fig)
    _thin_log_ticks(fig)
    return fig


def _bottom_margin(fig: go.Figure, names: list[str], groups: int) -> None:
    """The bottom margin starts at what the x axis's labels and title and the legend's rows at
    a desktop width take, so automargin has nothing to add there (a second draw, issue 10). An
    x axis without a title, or not at the bottom, leaves the margin to automargin."""
    push = 0
    for name in [k for k in fig.layout if k.startswith("xaxis")]:
        axis = fig.layout[name]
        anchor = fig.layout["yaxis" + (axis.anchor or "y")[1:]] if (axis.anchor or "y") != "free" else None
        if (axis.visible is False or axis.showticklabels is False or axis.side == "top" or not axis.title.text
                or (anchor is not None and anchor.domain and anchor.domain[0] > 0)):
            continue
        push = max(push, X_AXIS_PX + X_TITLE_LINE_PX * (axis.title.text.count("<br>") + 1))
    if push:
        shown = fig.layout.showlegend is not False and names and (len(fig.data) > 1 or groups)  # plotly's rule
        rows = drawn_legend_rows(fig) if shown else 0
        fig.layout.margin.b = max(fig.layout.margin.b or 0, round(push + (rows * DRAWN_ROW_PX + DRAWN_LEGEND_PAD_PX
                                                                         if rows else 0)))


def drawn_legend_rows(fig: go.Figure) -> int:
    """The legend's rows at a desktop width. With legend groups plotly lays each group out as a
    column (its title on top; an ungrouped item is a column of one) and flows the columns into
    rows as wide as the plot, each as tall as its tallest column; without, items wrap into rows."""
    items = [t for t in fig.data if t.showlegend is not False and t.name]
    if not any(t.legendgroup for t in items):
        return legend_rows([t.name for t in items], WIDE_LEGEND_PX)
    columns: dict[str, list] = {}
    for i, t in enumerate(items):
        columns.setdefault(t.legendgroup or f"_{i}", []).append(t)
    rows, used, tallest = 0, 0.0, 0
    for col in columns.values():
        width = SYMBOL_PX + CHAR_PX * max(len(t.name) for t in col)
        height = len(col) + bool(col[0].legendgrouptitle.text)
        if used and used + width > WIDE_LEGEND_PX:
            rows, used, tallest = rows + tallest, 0.0, 0
        used, tallest = used + width, max(tallest, height)
    return rows + tallest


def _number_axis_margin(fig: go.Figure) -> None:
    """A numeric y axis with "," tick labels: the left margin starts at its longest tick label
    plus its title, as _wrap_categories does for categories. A log axis with fixed ticks
    (charts.common.log_axis) shows the ticks within the data; a linear one's top tick is at most
    the data's maximum, so no longer."""
    for name in [k for k in fig.layout if k.startswith("yaxis")]:
        axis = fig.layout[name]
        if (axis.tickformat != "," or axis.visible is False or axis.showticklabels is False or axis.overlaying
                or axis.side not in (None, "left")):
            continue
        ref = "y" + name[len("yaxis"):]
        values = [v for t in fig.data if (getattr(t, "yaxis", None) or "y") == ref and t.y is not None
                  for v in t.y if isinstance(v, numbers.Real) and v == v and v > 0]
        if not values:
            continue
        lo, hi = min(values), max(values)
        shown = ([f"{v:,}" for v in axis.tickvals if lo <= v <= hi] if axis.type == "log" and axis.tickvals is not None
                 else [f"{int(hi):,}"] if axis.type in (None, "linear", "-") else [])
        if shown:
            width = round(max(map(len, shown)) * TICK_CHAR_PX) + TICK_PAD_PX + (Y_TITLE_PX if axis.title.text else 0)
            fig.layout.margin.l = max(fig.layout.margin.l or 0, width)


def _thin_log_ticks(fig: go.Figure, most: int = 10) -> None:
    """A log x axis with more than `most` ticks in view keeps its powers of ten: a phone would
    turn the 1-2-5 ticks on end and pile them up."""
    for name in [k for k in fig.layout if k.startswith("xaxis")]:
        axis = fig.layout[name]
        if axis.type != "log" or axis.tickvals is None or axis.range is None:
            continue
        lo, hi = 10 ** axis.range[0], 10 ** axis.range[1]
        shown = [v for v in axis.tickvals if lo <= v <= hi]
        if len(shown) > most:
            axis.tickvals = [v for v in axis.tickvals if str(int(v)).rstrip("0") == "1"]

