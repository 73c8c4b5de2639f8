"""Charts on a time axis, one mark per report: quantities by as-of date and the events
timeline (events by category under the reported chip counts)."""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tracker import chart_keys, i18n, labels
from tracker.charts.common import TIME_SYMBOL, by_stage, empty, esc, graded, hover, layout, log_axis, revised
from tracker.i18n import N_, _



def over_time(df: pd.DataFrame, events: pd.DataFrame | None = None,
              title: str = N_("Reported quantities by as-of date")) -> go.Figure:
    """Chip counts on a log axis by as-of date; marker shape = bound; events as shaded lines."""
    counted = df[df["unit"].eq("chips") & df["value"].notna()]
    if counted.empty:
        return empty(title, N_("No chip-count figure matches the filters."))
    fig = go.Figure()
    for _stage, part in by_stage(counted):
        fig.add_scatter(
            x=part["as_of_date"], y=part["value"], mode="markers+text", name=esc(part["stage_label"].iloc[0]),
            text=chart_keys.stage_labels(part, other_chip_labels(part), len(counted) <= chart_keys.LABEL_EVERY),
            textposition="middle right", textfont=dict(size=11),  # the stage in words, not colour alone
            marker=dict(size=13, color=part["stage_colour"].iloc[0],
                        symbol=[TIME_SYMBOL[b] for b in part["bound"]], line=dict(width=1, color="#fff")),
            error_y=dict(type="data", symmetric=False, visible=bool(part["value_high"].notna().any()),
                         array=(part["value_high"] - part["value"]).fillna(0).tolist()),
            hovertext=[hover(r) for _i, r in part.iterrows()], hoverinfo="text")
    chart_keys.bound_legend(fig, counted["bound"])
    add_event_lines(fig, events)
    log_axis(fig)
    room_for_labels(fig, counted["as_of_date"])
    fig.update_xaxes(title=_("as-of date (▲ lower bound, ▼ upper bound, ◆ about, ● exact, "
                             "bar = range; ticks on top = events)"))
    return layout(fig, title, height=460)


def other_chip_labels(part: pd.DataFrame) -> list[str]:
    """Points of another chip than the subject (chip_roles; the H20's 2024 sales, say) carry
    its name, so a context figure is never read as one of the subject chip's."""
    if "is_subject" not in part:
        return [""] * len(part)
    return ["" if subject else esc(n) for subject, n in zip(part["is_subject"], part["chip"])]


def room_for_labels(fig: go.Figure, dates: pd.Series) -> None:
    """Widen the date axis on the right so the names written right of the points (stage, other
    chip) are not cut at the edge: as far as the one reaching furthest needs, at about 0.75% of
    the span a character on a desktop-wide plot, within 12-30% of the span (the rare longer name,
    or a phone's narrower plot, is still cut rather than squeezing the data)."""
    dates = pd.to_datetime(dates.dropna())
    if len(dates):
        lo, hi = dates.min(), dates.max()
        span = max(hi - lo, pd.Timedelta(days=30))
        right = min(0.3, max(0.12, _label_reach(fig, hi, span)))
        fig.update_xaxes(range=[lo - span * 0.03, hi + span * right])
        date_ticks(fig, lo - span * 0.03, hi + span * right)


def _label_reach(fig: go.Figure, hi: pd.Timestamp, span: pd.Timedelta) -> float:
    """How far right of `hi`, in spans, the furthest-reaching point text ends."""
    reach = 0.0
    for trace in fig.data:
        if getattr(trace, "textposition", None) != "middle right" or trace.text is None or trace.x is None:
            continue
        texts = [trace.text] * len(trace.x) if isinstance(trace.text, str) else trace.text
        for x, text in zip(pd.to_datetime(pd.Series(list(trace.x)), errors="coerce"), texts):
            if text and pd.notna(x):
                reach = max(reach, (x - hi) / span + 0.01 + 0.0075 * len(html.unescape(str(text))))
    return reach


def date_ticks(fig: go.Figure, lo: pd.Timestamp, hi: pd.Timestamp, most: int = 8) -> None:
    """Month ticks named in the run's language (plotly.js names months in English only);
    English keeps plotly's own ticks."""
    if i18n.lang() == i18n.DEFAULT:
        return
    months = pd.date_range(lo.to_period("M").to_timestamp(), hi, freq="MS")
    ticks = months[::max(1, math.ceil(len(months) / most))]
    fig.update_xaxes(tickvals=list(ticks), ticktext=[labels.day(t, "month") for t in ticks])


def add_event_lines(fig: go.Figure, events: pd.DataFrame | None) -> None:
    """Events as a row of ticks along the top, coloured by category, with hover and source
    (full-height lines drown the points once there are dozens of events)."""
    if events is None or events.empty:
        return
    fig.add_scatter(
        x=events["date"], y=[1.0] * len(events), yaxis="y2", mode="markers", name=_("events"),
        marker=dict(symbol="line-ns-open", size=14, line=dict(width=2),
                    color=list(events["category_colour"])),
        hovertext=[f"{esc(labels.day(e['date']))}: {esc(e['title'])}<br>{esc(e['category_label'])}"
                   f" · {esc(e['publisher'])}" for e in events.to_dict("records")], hoverinfo="text")
    fig.update_layout(yaxis2=dict(overlaying="y", range=[0, 1.03], visible=False))


def timeline_rows(events: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Exactly the rows the timeline draws: every event, and the chip counts above them."""
    counted = figures[figures["unit"].eq("chips") & figures["value"].notna()]
    ev = events.assign(kind="event", id=events["event_id"], date=events["date"], what=events["title"])
    fg = counted.assign(kind="figure", id=counted["figure_id"], date=counted["as_of_date"],
                        what=counted["metric"])
    cols = ["kind", "id", "date", "what", "category", "value", "value_high", "unit", "bound",
            "companies", "publisher", "grade", "url", "quote", "source_id"]
    both = pd.concat([ev.reindex(columns=cols), fg.reindex(columns=cols)], ignore_index=True)
    return both.sort_values(["date", "kind", "id"], ignore_index=True)


def timeline(events: pd.DataFrame, figures: pd.DataFrame,
             title: str = N_("Events by category, with reported chip quantities")) -> go.Figure:
    if events.empty and figures.empty:
        return empty(title, N_("No event or figure matches the filters."))
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.5, 0.5],
                        vertical_spacing=0.06)
    counted = figures[figures["unit"].eq("chips") & figures["value"].notna()]
    for _stage, part in by_stage(counted):
        fig.add_scatter(x=part["as_of_date"], y=part["value"], mode="markers+text",
                        name=esc(part["stage_label"].iloc[0]), legendgroup="figures",
                        text=chart_keys.stage_labels(part, other_chip_labels(part),
                                                     len(counted) <= chart_keys.LABEL_EVERY),
                        textposition="middle right",
                        textfont=dict(size=11),
                        marker=dict(size=11, color=part["stage_colour"].iloc[0],
                                    symbol=[TIME_SYMBOL[b] for b in part["bound"]]),
                        hovertext=[hover(r) for _i, r in part.iterrows()], hoverinfo="text",
                        row=1, col=1)
    chart_keys.bound_legend(fig, counted["bound"], row=1, col=1)
    add_event_rows(fig, events)  # one drawing of the event rows, binned or not
    log_axis(fig, row=1, col=1)
    room_for_labels(fig, pd.concat([counted["as_of_date"], events["date"]]))
    fig.update_yaxes(title=None, row=2, col=1)
    fig.update_xaxes(title=_("date (open circle: date known only approximately)"), row=2, col=1)
    return layout(fig, title, height=680)


def add_event_rows(fig: go.Figure, events: pd.DataFrame) -> None:
    """The timeline's lower panel: a row per event category (as timeline draws it)."""
    for _category, part in events.groupby("category", sort=False):
        exact = part["date_precision"].isin(["day"])
        name = part["category_label"].iloc[0]
        fig.add_scatter(
            x=part["date"], y=[name] * len(part), mode="markers", name=esc(name), legendgroup="events",
            marker=dict(size=12, color=part["category_colour"].iloc[0],
                        symbol=["circle" if x else "circle-open" for x in exact]),
            hovertext=[f"<b>{esc(labels.day(e['date'], e['date_precision']))}</b>: {esc(e['title'])}"
                       f"<br>{graded(e)}" + revised(e)
                       for _i, e in part.iterrows()], hoverinfo="text", row=2, col=1)
