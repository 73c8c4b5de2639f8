"""What a chart's marks mean besides their colour (issue 11: colour is never the only carrier).

A stage, a grade or a threshold crossing is told by colour for a quick read, and also by a word
or a pattern: points carry their stage's name, report markers their grade's letter, bars at or
over a rule's limit a hatch pattern and a label; bound shapes (▲ ▼ ◆ ●) get legend entries of
their own, in grey, so the legend explains them whatever the colours. Pure plotly helpers used by
tracker.charts.
"""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from tracker.i18n import N_, _

# The time and report charts' bound shapes (tracker.charts.TIME_SYMBOL), in legend order.
BOUND_KEY = [("at_least", "triangle-up", N_("▲ lower bound (at least)")),
             ("at_most", "triangle-down", N_("▼ upper bound (at most)")),
             ("about", "diamond", N_("◆ about")),
             ("exact", "circle", N_("● exact")),
             ("range", "circle", N_("● with a bar: range"))]
KEY_GREY = "#6b6b6b"       # legend-only shapes: readable on the light and the dark background
OVER_PATTERN = "/"         # hatch of a bar at or over a rule's limit
LABEL_EVERY = 12           # points that each carry their stage's name; above, each stage's latest only


def bound_legend(fig: go.Figure, bounds, **where) -> None:
    """One legend-only entry per bound shape the chart draws, grey, named in words."""
    present = set(bounds)
    for bound, symbol, name in BOUND_KEY:
        if bound in present:
            fig.add_scatter(x=[None], y=[None], mode="markers", name=_(name), legendgroup="bounds",
                            legendgrouptitle_text=_("marker shape"), hoverinfo="skip",
                            marker=dict(symbol=symbol, size=11, color=KEY_GREY), **where)


def stage_labels(part: pd.DataFrame, others: list[str], every: bool, date_col: str = "as_of_date") -> list[str]:
    """Each point's text: its stage's name (on every point while the chart is small, else on the
    stage's latest) and, for a context chip (tracker.charts.other_chip_labels), that chip's name."""
    stage = html.escape(str(part["stage_label"].iloc[0]))
    dates = pd.to_datetime(part[date_col]).reset_index(drop=True)
    latest = int(dates.idxmax()) if len(dates) and dates.notna().any() else -1
    out = []
    for i, chip in enumerate(others):
        name = stage if every or i == latest else ""
        out.append(" · ".join(t for t in (name, chip) if t))
    return out


def grade_labels(grades, counts: list[str] | None = None) -> list[str]:
    """A report marker's text: its grade letter (and its ×n count when binned)."""
    counts = counts or [""] * len(grades)
    return [" ".join(t for t in (html.escape(str(g)), c) if t) for g, c in zip(grades, counts)]


def over_label(text: str) -> str:
    return _("{value} · at or over the limit").format(value=text)


THRESHOLD_KEY = [("#dc3912", N_("▨ hatched: at or over the limit")), ("#3366cc", N_("below the limit"))]


def mark_over(fig: go.Figure, over: list[bool]) -> None:
    """Bars at or over a rule's limit (the figure's first trace) get a hatch and a label on top
    of their red, and the legend says what hatched means."""
    bar = fig.data[0]
    bar.showlegend = False
    bar.marker.pattern = dict(shape=[OVER_PATTERN if o else "" for o in over], fillmode="overlay",
                              fgcolor="#ffffff", solidity=0.35)
    bar.text = [over_label(t) if o else t for t, o in zip(bar.text, over)]
    for colour, name in THRESHOLD_KEY if any(over) else THRESHOLD_KEY[1:]:
        fig.add_scatter(x=[None], y=[None], mode="markers", name=_(name), hoverinfo="skip",
                        marker=dict(symbol="square", size=12, color=colour))
