"""The time charts above the mark budget (issue 10): one mark per stage, bound and period,
with how many reports it stands for and the range of their values."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tracker import chart_keys, labels
from tracker.charts.common import TIME_SYMBOL, by_stage, empty, esc, layout, log_axis, mark_size
from tracker.charts.timelines import add_event_lines, add_event_rows, room_for_labels
from tracker.i18n import N_, _



# --- At any size (issue 10): bins instead of one mark per report ---------------------------------
# Above the mark budget the time charts draw one mark per stage, bound and period, and the
# conflict chart one per quantity, grade and bound (etl/views.sql derived_figure_time_bins,
# derived_figure_report_bins). A mark sits where its bound makes the strongest claim (lower
# bounds at their largest value, upper bounds at their smallest: labels.bin_anchor), its bar
# spans every value it stands for, and its label and hover say how many reports it stands for.
GRAIN_PRECISION = {"month": "month", "quarter": "quarter", "year": "year"}

LABELLED_MARKS = 80  # at most this many marks carry their count as text


def bin_hover(r) -> str:
    """A bin's hover: its claim with its bound, how many reports from which sources, its span."""
    period = labels.day(r["bin_start"], GRAIN_PRECISION.get(r["grain"], "day"))
    parts = [f"<b>{esc(r['stage_label'])}</b>, {esc(period)}: {esc(r['reported'])}",
             _("{n} reports from {k} sources: {publishers} (grades {grades})").format(
                 n=labels.integer(r["reports"]), k=labels.integer(r["sources"]),
                 publishers=esc(r["publishers"]), grades=esc(r["grades"])),
             _("as of {first} to {last}").format(first=esc(labels.day(r["first_as_of"])),
                                                 last=esc(labels.day(r["last_as_of"])))]
    if r.get("other_chips"):
        parts.append(_("chips: {chips}").format(chips=esc(r["chips"])))
    if r.get("shared_reports"):
        parts.append(_("{n} shared figures (combined, not split)").format(n=labels.integer(r["shared_reports"])))
    if r.get("revised_reports"):
        parts.append(_("<i>{n} revised</i> (history on What's new)").format(n=labels.integer(r["revised_reports"])))
    return "<br>".join(parts)


def middle(bins: pd.DataFrame) -> pd.Series:
    start, end = pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])
    return start + (end - start) / 2


def add_bins(fig: go.Figure, bins: pd.DataFrame, size: int = 9, **where) -> None:
    """One trace per stage: a mark per bin at its anchor, a bar over its values, its count."""
    text = len(bins) <= LABELLED_MARKS
    for _stage, part in by_stage(bins):
        records = part.to_dict("records")
        anchor = [labels.bin_anchor(r) for r in records]
        fig.add_scatter(
            x=middle(part), y=anchor, mode="markers+text" if text else "markers",
            name=esc(part["stage_label"].iloc[0]), legendgroup="figures",
            text=chart_keys.stage_labels(part, [("×" + labels.count(r["reports"])) if r["reports"] > 1 else ""
                                                for r in records], False, "bin_start") if text else None,
            textposition="middle right", textfont=dict(size=10),
            marker=dict(size=[mark_size(r["reports"], size) for r in records],
                        color=part["stage_colour"].iloc[0], line=dict(width=1, color="#fff"),
                        symbol=[TIME_SYMBOL.get(r["bound"], "circle") for r in records]),
            error_y=dict(type="data", symmetric=False, visible=True, thickness=3, width=0,
                         array=[r["value_max"] - a for r, a in zip(records, anchor)],
                         arrayminus=[a - r["value_min"] for r, a in zip(records, anchor)]),
            hovertext=[bin_hover(r) for r in records], hoverinfo="text", **where)


def marks_note(grain: dict) -> str:
    """'1,000,041 reports in 30 marks: one per stage, bound and month' for a chart's title."""
    if grain["grain"] == "report":
        return ""
    return _("{n} reports in {k} marks, one per stage, bound and {grain}").format(
        n=labels.integer(grain["reports"]), k=labels.integer(grain["marks"]), grain=_(grain["grain"]))

GRAINS = (N_("month"), N_("quarter"), N_("year"))  # the bins' periods, in words


def over_time_bins(bins: pd.DataFrame, events: pd.DataFrame | None, grain: dict,
                   title: str = N_("Reported quantities by as-of date")) -> go.Figure:
    """over_time above the mark budget: per stage, bound and period, how many reports and the
    range of their values (never their sum); events as ticks along the top."""
    if bins.empty:
        return empty(title, N_("No chip-count figure matches the filters."))
    fig = go.Figure()
    add_bins(fig, bins, size=9)
    chart_keys.bound_legend(fig, bins["bound"])
    add_event_lines(fig, events)
    log_axis(fig)
    room_for_labels(fig, pd.concat([pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])]))
    fig.update_xaxes(title=_("as-of {grain} (▲ lower bounds at their largest, ▼ upper bounds at "
                             "their smallest, ◆ about, ● exact; bar = every value the mark stands for; "
                             "×n = reports)").format(grain=_(grain["grain"])))
    return layout(fig, _("{title}: {note}").format(title=_(title), note=marks_note(grain)), height=460)


def timeline_bins(events: pd.DataFrame, bins: pd.DataFrame, grain: dict,
                  title: str = N_("Events by category, with reported chip quantities")) -> go.Figure:
    """timeline above the mark budget: the figures binned as in over_time_bins, events as ever."""
    if events.empty and bins.empty:
        return empty(title, N_("No event or figure matches the filters."))
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.5, 0.5], vertical_spacing=0.06)
    if not bins.empty:
        add_bins(fig, bins, size=8, row=1, col=1)
        chart_keys.bound_legend(fig, bins["bound"], row=1, col=1)
    add_event_rows(fig, events)
    log_axis(fig, row=1, col=1)
    dates = [pd.to_datetime(events["date"])]
    if not bins.empty:
        dates += [pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])]
    room_for_labels(fig, pd.concat(dates))
    fig.update_yaxes(title=None, row=2, col=1)
    fig.update_xaxes(title=_("date (open circle: date known only approximately; figures: one mark per "
                             "stage, bound and {grain}, ×n = reports)").format(grain=_(grain["grain"])), row=2, col=1)
    return layout(fig, _("{title}: {note}").format(title=_(title), note=marks_note(grain)) if not bins.empty
                   else title, height=680)
