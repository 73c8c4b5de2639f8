"""What every chart shares: HTML escaping of data text, the layout pass, hover lines, the
empty chart, drill-down customdata, the bound symbols, the log axis and the grade colours."""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from tracker import chart_layout, labels
from tracker.i18n import _


BOUND_SYMBOL = {"at_least": "triangle-right", "at_most": "triangle-left", "about": "diamond",
                "exact": "circle", "range": "line-ns-open"}

TIME_SYMBOL = {"at_least": "triangle-up", "at_most": "triangle-down", "about": "diamond",
               "exact": "circle", "range": "circle"}


def esc(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) \
        else html.escape(str(value))


def layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Title (a builder's default is an N_ constant, translated here), size, legend, and the
    number separators of the run's language for the axes."""
    fig.update_layout(separators=labels.separators(), hoverlabel=dict(align="left"))
    return chart_layout.fit(fig, esc(_(title)), height)  # any screen: legend under, long text wrapped


def hover(row: pd.Series) -> str:
    chip = f" · {esc(row['chip'])}" if row.get("chip") else ""
    parts = [f"<b>{esc(row['stage_label'])}</b>{chip}: {esc(labels.value(row))}",
             esc(row.get("metric", "")),
             _("bound: {bound}").format(bound=esc(row["bound_label"])),
             esc(labels.as_of(row["as_of_date"], row.get("as_of_precision"))),
             graded(row)]
    if row.get("n_companies", 0) > 1:
        parts.append(_("shared figure: {companies} (combined, not split)").format(companies=esc(row["companies"])))
    elif row.get("companies"):
        parts.append(_("company: {companies}").format(companies=esc(row["companies"])))
    return "<br>".join(parts) + revised(row)


def graded(row) -> str:
    """'Reuters (grade H)' for a hover."""
    return _("{publisher} (grade {grade})").format(publisher=esc(row["publisher"]), grade=esc(row["grade"]))


def revised(row) -> str:
    """The hover line of a revised row (old value from the revision log), or ''."""
    note = row.get("revised") if hasattr(row, "get") else None
    return "<br>" + _("<i>{note}</i> (history on What's new)").format(note=esc(note)) \
        if isinstance(note, str) and note else ""


def empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=esc(_(message)), showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper", font=dict(size=14))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, title, height=220)


def picks(kind: str, ids) -> list[list[str]]:
    """customdata [kind, id] per mark: what a click on it narrows to (tracker/drill.py)."""
    return [[kind, str(i)] for i in ids]


def selected_points(ids, selected: str | None) -> list[int] | None:
    """selectedpoints for a drilled bar: the others are dimmed (None: nothing drilled)."""
    return [i for i, v in enumerate(ids) if v == selected] if selected is not None else None


def by_stage(frame: pd.DataFrame):
    """Groups per stage in the stages table's order (the legend reads demand → delivery)."""
    keys = ["stage_order", "stage"] if "stage_order" in frame else ["stage"]
    return frame.groupby(keys, sort=True)

LOG_TICKS = [m * 10 ** e for e in range(0, 10) for m in (1, 2, 5)]


def log_axis(fig: go.Figure, **where) -> None:
    fig.update_yaxes(type="log", title=_("chips (log scale)"), tickvals=LOG_TICKS, tickformat=",", **where)

GRADE_COLOR = {"H": "#1f4e79", "M": "#4f8fd6", "L": "#a9c8ee"}


def mark_size(n: int, base: int = 9) -> float:
    return min(base + 3.5 * math.log10(max(int(n), 1)), base + 14)
