"""Conflicting reports of one quantity side by side: a marker per report (shape = bound,
colour = grade, the headline ringed), or above the mark budget one per grade and bound."""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from tracker import chart_keys, labels
from tracker.charts.common import (GRADE_COLOR, LOG_TICKS, TIME_SYMBOL, empty, esc, graded, layout,
                                   mark_size, revised)
from tracker.i18n import N_, _



def reports(df: pd.DataFrame, group: list[str], value_label, title: str, axis: str,
            log: bool = False) -> go.Figure:
    """Several reports of one quantity side by side: a row per quantity, a marker per report
    (shape = bound, colour = grade), the headline ringed, the DERIVED spread in the row name."""
    if df.empty:
        return empty(title, N_("No quantity is reported by more than one source under these filters."))
    def words(v: object) -> str:  # ids read as words; an empty measure or party adds nothing
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else _(str(v).replace("_", " "))

    rows = df.assign(row=[" · ".join(w for w in (words(r[c]) for c in group) if w) + "  "
                          + _("({n} reports, spread {spread}×)").format(
                              n=int(r["reports"]), spread=labels.decimal(r["spread"], "0.00"))
                          for _i, r in df.iterrows()])
    fig = go.Figure()
    by = ["grade_order", "grade"] if "grade_order" in rows else ["grade"]  # best grade first
    for keys, part in rows.groupby(by, sort=True):
        grade = keys[-1]
        fig.add_scatter(
            x=part["value"], y=[esc(y) for y in part["row"]], mode="markers+text",
            text=chart_keys.grade_labels(part["grade"]), textposition="top center", textfont=dict(size=10),
            name=_("grade {grade}").format(grade=esc(grade)),
            marker=dict(size=14, color=GRADE_COLOR.get(grade, "#888"), line=dict(width=1, color="#fff"),
                        symbol=[TIME_SYMBOL.get(b, "circle") for b in part["bound"]]),
            error_x=dict(type="data", symmetric=False, visible=bool(part["value_high"].notna().any()),
                         array=(part["value_high"] - part["value"]).fillna(0).tolist()),
            hovertext=[f"{esc(value_label(r))}<br>"
                       + _("bound: {bound}").format(bound=esc(r.get("bound_label") or r["bound"]))
                       + f"<br>{graded(r)}"
                       + ("<br>" + esc(labels.as_of(r["as_of_date"], r.get("as_of_precision")))
                          if "as_of_date" in r else "")
                       + ("<br>" + _("<b>headline value</b> ({rule})").format(rule=esc(r["headline_rule"]))
                          if r["headline"] else "")
                       + revised(r) for _i, r in part.iterrows()], hoverinfo="text")
    chart_keys.bound_legend(fig, rows["bound"])
    head = rows[rows["headline"]]
    fig.add_scatter(x=head["value"], y=[esc(y) for y in head["row"]], mode="markers",
                    name=_("headline value"), hoverinfo="skip",
                    marker=dict(size=24, symbol="circle-open", color="#dc3912", line=dict(width=2)))
    fig.update_xaxes(title=axis, type="log" if log else "linear", tickformat=",~s" if log else ",",
                     tickvals=LOG_TICKS if log else None)
    if log:  # a near-zero spread must not stretch across the whole axis
        lo, hi = float(rows["value"].min()), float(rows[["value", "value_high"]].max().max())
        fig.update_xaxes(range=[math.log10(max(lo, 1e-9)) - 0.3, math.log10(max(hi, 1e-9)) + 0.3])
    fig.update_yaxes(title=None, automargin=True, categoryorder="array",
                     categoryarray=list(dict.fromkeys(esc(y) for y in rows["row"]))[::-1])
    return layout(fig, title, height=150 + 46 * rows["row"].nunique())


def report_bins(bins: pd.DataFrame, headlines: pd.DataFrame, group: list[str], title: str,
                axis: str) -> go.Figure:
    """reports above the budget: a row per quantity, a mark per grade and bound at its anchor
    with a bar over every value it stands for and its count; the headline report ringed."""
    if bins.empty:
        return empty(title, N_("No quantity is reported by more than one source under these filters."))

    def words(v: object) -> str:
        return "" if v is None or (isinstance(v, float) and pd.isna(v)) else _(str(v).replace("_", " "))

    def key(r) -> tuple:
        return (r["chip_id"], r["stage"], r["unit"], r["companies"], words(r.get("measure")))

    names = {key(r): " · ".join(w for w in (words(r[c]) for c in group) if w) + "  "
             + _("({n} reports, spread {spread}×)").format(
                 n=labels.integer(r["quantity_reports"]), spread=labels.decimal(r["spread"], "0.00"))
             for r in bins.to_dict("records")}
    rows = bins.assign(row=[names[key(r)] for r in bins.to_dict("records")])
    fig = go.Figure()
    for (_order, grade), part in rows.groupby(["grade_order", "grade"], sort=True):
        records = part.to_dict("records")
        anchor = [labels.bin_anchor(r) for r in records]
        fig.add_scatter(
            x=anchor, y=[esc(r["row"]) for r in records], mode="markers+text",
            name=_("grade {grade}").format(grade=esc(grade)),
            text=chart_keys.grade_labels([r["grade"] for r in records],
                                         [("×" + labels.count(r["reports"])) if r["reports"] > 1 else ""
                                          for r in records]),
            textposition="top center", textfont=dict(size=10),
            marker=dict(size=[mark_size(r["reports"], 10) for r in records],
                        color=GRADE_COLOR.get(grade, "#888"), line=dict(width=1, color="#fff"),
                        symbol=[TIME_SYMBOL.get(r["bound"], "circle") for r in records]),
            error_x=dict(type="data", symmetric=False, visible=True, thickness=3, width=0,
                         array=[r["value_max"] - a for r, a in zip(records, anchor)],
                         arrayminus=[a - r["value_min"] for r, a in zip(records, anchor)]),
            hovertext=[f"{esc(r['reported'])}<br>"
                       + _("grade {grade}, {n} sources, as of {first} to {last}").format(
                           grade=esc(r["grade"]), n=labels.integer(r["sources"]),
                           first=esc(labels.day(r["first_as_of"])), last=esc(labels.day(r["last_as_of"])))
                       + ("<br>" + _("<b>holds the headline report</b>") if r["headline"] else "")
                       for r in records], hoverinfo="text")
    chart_keys.bound_legend(fig, rows["bound"])
    head = headlines.assign(row=[names.get(key(r), "") for r in headlines.to_dict("records")])
    head = head[head["row"] != ""]
    fig.add_scatter(x=head["value"], y=[esc(y) for y in head["row"]], mode="markers", name=_("headline value"),
                    marker=dict(size=24, symbol="circle-open", color="#dc3912", line=dict(width=2)),
                    hovertext=[_("<b>headline value</b>: {value}").format(value=esc(labels.value(r)))
                               + (f"<br>{graded(r)}, "
                                  + _("as of {day}").format(day=esc(labels.day(r["as_of_date"])))
                                  + f"<br>({esc(r['headline_rule'])})" if "headline_rule" in r else "")
                               for r in head.to_dict("records")], hoverinfo="text")
    lo, hi = float(rows["value_min"].min()), float(rows["value_max"].max())
    fig.update_xaxes(title=axis, type="log", tickformat=",~s", tickvals=LOG_TICKS,
                     range=[math.log10(max(lo, 1e-9)) - 0.3, math.log10(max(hi, 1e-9)) + 0.3])
    fig.update_yaxes(title=None, automargin=True, categoryorder="array",
                     categoryarray=list(dict.fromkeys(esc(y) for y in rows["row"]))[::-1])
    return layout(fig, _("{title}: {n} reports in {k} marks, one per quantity, grade and bound").format(
        title=_(title), n=labels.integer(bins["reports"].sum()), k=labels.integer(len(bins))),
        height=150 + 46 * rows["row"].nunique())
