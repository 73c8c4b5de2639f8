"""Pure chart builders: a DataFrame in, a plotly Figure out; no Streamlit, no database.

Honesty rules drawn into every chart: a bound is shown as a symbol in the label and a marker
shape (≥ open-ended triangle, ≤ down triangle, ≈ diamond, range as an error bar); a figure the
source says did not happen is written out, never drawn as a 0 bar; a figure shared by several
companies says so. Plotly renders some HTML in text, so every data string is escaped first.
"""
from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tracker import chart_keys, chart_layout, i18n, labels
from tracker.i18n import N_, _, ngettext

BOUND_SYMBOL = {"at_least": "triangle-right", "at_most": "triangle-left", "about": "diamond",
                "exact": "circle", "range": "line-ns-open"}
TIME_SYMBOL = {"at_least": "triangle-up", "at_most": "triangle-down", "about": "diamond",
               "exact": "circle", "range": "circle"}
# Stage and event-category labels and colours come with the rows (stage_label, stage_colour,
# category_label, category_colour: data/stages.csv and categories.csv), kept apart so both can
# share the timeline.


def esc(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) \
        else html.escape(str(value))


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    """Title (a builder's default is an N_ constant, translated here), size, legend, and the
    number separators of the run's language for the axes."""
    fig.update_layout(separators=labels.separators(), hoverlabel=dict(align="left"))
    return chart_layout.fit(fig, esc(_(title)), height)  # any screen: legend under, long text wrapped


def _hover(row: pd.Series) -> str:
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
    return _layout(fig, title, height=220)


def picks(kind: str, ids) -> list[list[str]]:
    """customdata [kind, id] per mark: what a click on it narrows to (tracker/drill.py)."""
    return [[kind, str(i)] for i in ids]


def _selected(ids, selected: str | None) -> list[int] | None:
    """selectedpoints for a drilled bar: the others are dimmed (None: nothing drilled)."""
    return [i for i, v in enumerate(ids) if v == selected] if selected is not None else None


def pipeline(df: pd.DataFrame, title: str = N_("H200 pipeline: headline figure per stage"),
             selected: str | None = None) -> go.Figure:
    """Horizontal bars in chips; a stage with no chip count is written out in its row. Each bar
    carries its stage (customdata); `selected` (a stage) is drawn as the selection."""
    if df.empty:
        return empty(title, N_("No figure matches the filters."))
    rows = df.iloc[::-1]  # first stage at the top
    y = list(rows["stage_label"])
    counted = rows["unit"].eq("chips") & rows["value"].notna()
    fig = go.Figure()
    bars = rows[counted]
    text, where = chart_layout.bar_labels(  # any screen: qualifiers on lines, long bars labelled inside
        [esc(labels.short(r)) for _i, r in bars.iterrows()], [float(v) for v in bars["value"]],
        ["\u2007" * 4 if b in ("at_least", "at_most") else "" for b in bars["bound"]])
    fig.add_bar(
        y=list(bars["stage_label"]), x=bars["value"], orientation="h",
        marker_color=list(bars["stage_colour"]),
        text=text, textposition=where, insidetextanchor="start", constraintext="inside",
        cliponaxis=False, hovertext=[_hover(r) for _i, r in bars.iterrows()],
        hoverinfo="text", name=_("reported quantity"), showlegend=False,
        customdata=picks("stage", bars["stage"]), selectedpoints=_selected(list(bars["stage"]), selected),
        error_x=dict(type="data", symmetric=False, array=(bars["value_high"] - bars["value"])
                     .fillna(0).tolist(), visible=bool(bars["value_high"].notna().any())),
    )
    for bound, name in (("at_least", _("▶ more than (lower bound)")), ("at_most", _("◀ up to (upper bound)"))):
        part = bars[bars["bound"] == bound]
        if not part.empty:
            fig.add_scatter(y=list(part["stage_label"]), x=part["value"], customdata=picks("stage", part["stage"]),
                            mode="markers", name=name, hoverinfo="skip",
                            marker=dict(symbol=BOUND_SYMBOL[bound], size=16, color="#444",
                                        line=dict(width=1, color="#fff")))
    top = float(bars["value"].max()) if not bars.empty else 1.0
    for r in rows[~counted].to_dict("records"):
        fig.add_annotation(y=r["stage_label"], x=0, xanchor="left", showarrow=False,
                           text="<i>" + esc(labels.short(r)) + "</i>", hovertext=_hover(r))
    fig.update_yaxes(categoryorder="array", categoryarray=y, title=None)
    outside = any(w == "outside" for w in where)  # short bars' labels need room on the right
    fig.update_xaxes(title=_("H200 chips (as reported; labels keep the source's bound)"),
                     range=[0, top * (1.5 if outside else 1.15)], tickformat=",")
    return _layout(fig, title, height=120 + 42 * len(rows))


def over_time(df: pd.DataFrame, events: pd.DataFrame | None = None,
              title: str = N_("Reported quantities by as-of date")) -> go.Figure:
    """Chip counts on a log axis by as-of date; marker shape = bound; events as shaded lines."""
    counted = df[df["unit"].eq("chips") & df["value"].notna()]
    if counted.empty:
        return empty(title, N_("No chip-count figure matches the filters."))
    fig = go.Figure()
    for _stage, part in _by_stage(counted):
        fig.add_scatter(
            x=part["as_of_date"], y=part["value"], mode="markers+text", name=esc(part["stage_label"].iloc[0]),
            text=chart_keys.stage_labels(part, other_chip_labels(part), len(counted) <= chart_keys.LABEL_EVERY),
            textposition="middle right", textfont=dict(size=11),  # the stage in words, not colour alone
            marker=dict(size=13, color=part["stage_colour"].iloc[0],
                        symbol=[TIME_SYMBOL[b] for b in part["bound"]], line=dict(width=1, color="#fff")),
            error_y=dict(type="data", symmetric=False, visible=bool(part["value_high"].notna().any()),
                         array=(part["value_high"] - part["value"]).fillna(0).tolist()),
            hovertext=[_hover(r) for _i, r in part.iterrows()], hoverinfo="text")
    chart_keys.bound_legend(fig, counted["bound"])
    add_event_lines(fig, events)
    _log_axis(fig)
    _room_for_labels(fig, counted["as_of_date"])
    fig.update_xaxes(title=_("as-of date (▲ lower bound, ▼ upper bound, ◆ about, ● exact, "
                             "bar = range; ticks on top = events)"))
    return _layout(fig, title, height=460)


def other_chip_labels(part: pd.DataFrame) -> list[str]:
    """Points of another chip than the subject (chip_roles; the H20's 2024 sales, say) carry
    its name, so a context figure is never read as one of the subject chip's."""
    if "is_subject" not in part:
        return [""] * len(part)
    return ["" if subject else esc(n) for subject, n in zip(part["is_subject"], part["chip"])]


def _by_stage(frame: pd.DataFrame):
    """Groups per stage in the stages table's order (the legend reads demand → delivery)."""
    keys = ["stage_order", "stage"] if "stage_order" in frame else ["stage"]
    return frame.groupby(keys, sort=True)


def _room_for_labels(fig: go.Figure, dates: pd.Series) -> None:
    """Widen the date axis on the right so a point's chip name is not cut at the edge."""
    dates = pd.to_datetime(dates.dropna())
    if len(dates):
        lo, hi = dates.min(), dates.max()
        span = max(hi - lo, pd.Timedelta(days=30))
        fig.update_xaxes(range=[lo - span * 0.03, hi + span * 0.12])
        _date_ticks(fig, lo - span * 0.03, hi + span * 0.12)


def _date_ticks(fig: go.Figure, lo: pd.Timestamp, hi: pd.Timestamp, most: int = 8) -> None:
    """Month ticks named in the run's language (plotly.js names months in English only);
    English keeps plotly's own ticks."""
    if i18n.lang() == i18n.DEFAULT:
        return
    months = pd.date_range(lo.to_period("M").to_timestamp(), hi, freq="MS")
    ticks = months[::max(1, math.ceil(len(months) / most))]
    fig.update_xaxes(tickvals=list(ticks), ticktext=[labels.day(t, "month") for t in ticks])


LOG_TICKS = [m * 10 ** e for e in range(0, 10) for m in (1, 2, 5)]


def _log_axis(fig: go.Figure, **where) -> None:
    fig.update_yaxes(type="log", title=_("chips (log scale)"), tickvals=LOG_TICKS, tickformat=",", **where)


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
    for _stage, part in _by_stage(counted):
        fig.add_scatter(x=part["as_of_date"], y=part["value"], mode="markers+text",
                        name=esc(part["stage_label"].iloc[0]), legendgroup="figures",
                        text=chart_keys.stage_labels(part, other_chip_labels(part),
                                                     len(counted) <= chart_keys.LABEL_EVERY),
                        textposition="middle right",
                        textfont=dict(size=11),
                        marker=dict(size=11, color=part["stage_colour"].iloc[0],
                                    symbol=[TIME_SYMBOL[b] for b in part["bound"]]),
                        hovertext=[_hover(r) for _i, r in part.iterrows()], hoverinfo="text",
                        row=1, col=1)
    chart_keys.bound_legend(fig, counted["bound"], row=1, col=1)
    _add_event_rows(fig, events)  # one drawing of the event rows, binned or not
    _log_axis(fig, row=1, col=1)
    _room_for_labels(fig, pd.concat([counted["as_of_date"], events["date"]]))
    fig.update_yaxes(title=None, row=2, col=1)
    fig.update_xaxes(title=_("date (open circle: date known only approximately)"), row=2, col=1)
    return _layout(fig, title, height=680)


def vline(fig: go.Figure, x: float, line: dict, text: str, xanchor: str, yshift: int) -> None:
    """A full-height labelled line. Plain shape + annotation: fig.add_vline resolves axis
    spans through plotly's generic update path, about 15 ms a line, on every rerun."""
    fig.add_shape(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=line)
    fig.add_annotation(x=x, xref="x", y=1, yref="paper", text=text, showarrow=False,
                       xanchor=xanchor, yanchor="bottom", yshift=yshift)


def normalised(df: pd.DataFrame, metric_label: str, reference: str = N_("the reference chip"),
               selected: str | None = None) -> go.Figure:
    """DERIVED ratios to the reference chip (chip_roles), one bar per reported value
    (conflicts side by side); `reference` names it when no row does. Each bar carries its chip
    (customdata); `selected` (a chip) is drawn as the selection."""
    ref = df["ref_chip"].iloc[0] if not df.empty else _(reference)
    title = _("DERIVED: {metric} relative to {chip} = 1").format(metric=metric_label, chip=ref)
    if df.empty:
        return empty(title, _("No value of this metric for the chosen chips, or no {chip} reference.").format(chip=ref))
    rows = df.iloc[::-1]
    names = [f"{esc(r['chip'])} · {esc(r['publisher'])} [{esc(r['spec_id'])}]" for _i, r in rows.iterrows()]
    fig = go.Figure(go.Bar(
        y=names, x=rows["ratio_to_reference"], orientation="h",
        marker_color=["#dc3912" if is_ref else "#3366cc" for is_ref in rows["is_reference"]],
        customdata=picks("chip", rows["chip_id"]), selectedpoints=_selected(list(rows["chip_id"]), selected),
        text=[f"{labels.symbol(r)}{labels.decimal(r['ratio_to_reference'], '0.00')}×" for _i, r in rows.iterrows()],
        textposition="outside", cliponaxis=False,
        hovertext=[f"{esc(r['chip'])}: {esc(labels.spec_value(r))}<br>÷ {esc(ref)} {esc(labels.decimal(r['ref_value']))} "
                   f"[{esc(r['ref_spec_id'])}]<br>= "
                   + _("{ratio}× (DERIVED)").format(ratio=labels.decimal(r["ratio_to_reference"], "0.00"))
                   + f"<br>{esc(r['ratio_note'])}<br>{graded(r)}" + revised(r)
                   for _i, r in rows.iterrows()], hoverinfo="text"))
    vline(fig, 1, dict(dash="dash", color="#dc3912"), esc(f"{ref} = 1"), "center", yshift=12)
    fig.update_xaxes(title=_("ratio to the {chip} (×, derived)").format(chip=esc(ref)),
                     range=[0, float(rows["ratio_to_reference"].max()) * 1.2])
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, title, height=140 + 34 * len(rows))


def against_threshold(df: pd.DataFrame, threshold: pd.Series | None, title: str,
                      axis: str, scale: float = 1.0) -> go.Figure:
    """One bar per reported value, with the rule's threshold drawn as a labelled line."""
    if df.empty:
        return empty(title, N_("No reported value for the chosen chips."))
    rows = df.iloc[::-1]
    values = rows["value"] * scale
    below = threshold is None or values.lt(float(threshold["value"]))
    fig = go.Figure(go.Bar(
        y=[f"{esc(r['chip'])} · {esc(r['publisher'])} [{esc(r['spec_id'])}]" for _i, r in rows.iterrows()],
        x=values, orientation="h", cliponaxis=False, textposition="outside",
        text=[f"{labels.symbol(r)}{labels.decimal(v, '#,##0')}" for r, v in zip(rows.to_dict("records"), values)],
        marker_color=["#3366cc" if b else "#dc3912" for b in (below if threshold is not None else [True] * len(rows))],
        hovertext=[f"{esc(r['chip'])}: {esc(labels.spec_value(r))}<br>{graded(r)}" + revised(r)
                   for _i, r in rows.iterrows()], hoverinfo="text"))
    if threshold is not None:
        chart_keys.mark_over(fig, [not b for b in below])  # hatched and labelled, not red alone
        vline(fig, float(threshold["value"]), dict(color="#dc3912", dash="dash", width=2),
              esc(_("{value} · {rule}, effective {day} · {publisher}").format(
                  value=f"{labels.symbol(threshold)}{labels.decimal(threshold['value'], '#,##0')}",
                  rule=threshold["rule"], day=labels.day(threshold["effective_date"]),
                  publisher=threshold["publisher"])),
              "right", yshift=14)
    top = max(float(values.max()), float(threshold["value"]) if threshold is not None else 0)
    fig.update_xaxes(title=axis, tickformat=",", range=[0, top * 1.18])
    fig.update_yaxes(title=None, automargin=True)
    _layout(fig, title, height=190 + 34 * len(rows))
    return fig.update_layout(margin=dict(t=fig.layout.margin.t + 35))  # the threshold's label sits under the title


GRADE_COLOR = {"H": "#1f4e79", "M": "#4f8fd6", "L": "#a9c8ee"}


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
    return _layout(fig, title, height=150 + 46 * rows["row"].nunique())


def scenario(frame: pd.DataFrame, filled: int | None) -> go.Figure:
    """SCENARIO, not data: cumulative supply against the orders line, by month."""
    months = len(frame)
    verdict = (_("orders met in month {n}").format(n=filled) if filled is not None
               else _("orders not met in {n} months").format(n=months))
    fig = go.Figure()
    fig.add_scatter(x=frame["month"], y=frame["cumulative_supply"], mode="lines+markers",
                    name=_("cumulative supply (scenario)"), line=dict(color="#3366cc", width=3))
    fig.add_scatter(x=frame["month"], y=frame["orders"], mode="lines", name=_("orders"),
                    line=dict(color="#dc3912", dash="dash"))
    if frame["cap_total"].notna().any():
        fig.add_scatter(x=frame["month"], y=frame["cap_total"], mode="lines", name=_("US cap (all customers)"),
                        line=dict(color="#990099", dash="dot"))
    fig.update_xaxes(title=_("months from the start of the scenario"))
    fig.update_yaxes(title=_("H200 chips (cumulative)"), tickformat=",", rangemode="tozero")
    return _layout(fig, _("SCENARIO, not data: months to fill the orders — {verdict}").format(verdict=verdict),
                   height=420)


# --- At any size (issue 10): bins instead of one mark per report ---------------------------------
# Above the mark budget the time charts draw one mark per stage, bound and period, and the
# conflict chart one per quantity, grade and bound (etl/views.sql derived_figure_time_bins,
# derived_figure_report_bins). A mark sits where its bound makes the strongest claim (lower
# bounds at their largest value, upper bounds at their smallest: labels.bin_anchor), its bar
# spans every value it stands for, and its label and hover say how many reports it stands for.
GRAIN_PRECISION = {"month": "month", "quarter": "quarter", "year": "year"}
LABELLED_MARKS = 80  # at most this many marks carry their count as text


def _mark_size(n: int, base: int = 9) -> float:
    return min(base + 3.5 * math.log10(max(int(n), 1)), base + 14)


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


def _middle(bins: pd.DataFrame) -> pd.Series:
    start, end = pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])
    return start + (end - start) / 2


def _add_bins(fig: go.Figure, bins: pd.DataFrame, size: int = 9, **where) -> None:
    """One trace per stage: a mark per bin at its anchor, a bar over its values, its count."""
    text = len(bins) <= LABELLED_MARKS
    for _stage, part in _by_stage(bins):
        records = part.to_dict("records")
        anchor = [labels.bin_anchor(r) for r in records]
        fig.add_scatter(
            x=_middle(part), y=anchor, mode="markers+text" if text else "markers",
            name=esc(part["stage_label"].iloc[0]), legendgroup="figures",
            text=chart_keys.stage_labels(part, [("×" + labels.count(r["reports"])) if r["reports"] > 1 else ""
                                                for r in records], False, "bin_start") if text else None,
            textposition="middle right", textfont=dict(size=10),
            marker=dict(size=[_mark_size(r["reports"], size) for r in records],
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
    _add_bins(fig, bins, size=9)
    chart_keys.bound_legend(fig, bins["bound"])
    add_event_lines(fig, events)
    _log_axis(fig)
    _room_for_labels(fig, pd.concat([pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])]))
    fig.update_xaxes(title=_("as-of {grain} (▲ lower bounds at their largest, ▼ upper bounds at "
                             "their smallest, ◆ about, ● exact; bar = every value the mark stands for; "
                             "×n = reports)").format(grain=_(grain["grain"])))
    return _layout(fig, _("{title}: {note}").format(title=_(title), note=marks_note(grain)), height=460)


def timeline_bins(events: pd.DataFrame, bins: pd.DataFrame, grain: dict,
                  title: str = N_("Events by category, with reported chip quantities")) -> go.Figure:
    """timeline above the mark budget: the figures binned as in over_time_bins, events as ever."""
    if events.empty and bins.empty:
        return empty(title, N_("No event or figure matches the filters."))
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.5, 0.5], vertical_spacing=0.06)
    if not bins.empty:
        _add_bins(fig, bins, size=8, row=1, col=1)
        chart_keys.bound_legend(fig, bins["bound"], row=1, col=1)
    _add_event_rows(fig, events)
    _log_axis(fig, row=1, col=1)
    dates = [pd.to_datetime(events["date"])]
    if not bins.empty:
        dates += [pd.to_datetime(bins["bin_start"]), pd.to_datetime(bins["bin_end"])]
    _room_for_labels(fig, pd.concat(dates))
    fig.update_yaxes(title=None, row=2, col=1)
    fig.update_xaxes(title=_("date (open circle: date known only approximately; figures: one mark per "
                             "stage, bound and {grain}, ×n = reports)").format(grain=_(grain["grain"])), row=2, col=1)
    return _layout(fig, _("{title}: {note}").format(title=_(title), note=marks_note(grain)) if not bins.empty
                   else title, height=680)


def _add_event_rows(fig: go.Figure, events: pd.DataFrame) -> None:
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
            marker=dict(size=[_mark_size(r["reports"], 10) for r in records],
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
    return _layout(fig, _("{title}: {n} reports in {k} marks, one per quantity, grade and bound").format(
        title=_(title), n=labels.integer(bins["reports"].sum()), k=labels.integer(len(bins))),
        height=150 + 46 * rows["row"].nunique())


def company_reports(df: pd.DataFrame, title: str = N_("Reports naming each company"),
                    selected: str | None = None) -> go.Figure:
    """How many reports name each company: a count of reports, never a sum of their chips (a
    shared figure counts once for each company it names, and says so). Each bar carries its
    company (customdata); `selected` (a company) is drawn as the selection."""
    if df.empty:
        return empty(_(title), _("No figure that names a company matches the filters."))
    rows = df.iloc[::-1]  # most reports at the top
    fig = go.Figure(go.Bar(
        y=[esc(c) for c in rows["company"]], x=rows["reports"], orientation="h", marker_color="#4f8fd6",
        customdata=picks("company", rows["company_id"]), selectedpoints=_selected(list(rows["company_id"]), selected),
        text=[ngettext("{n} report ({k} shared)", "{n} reports ({k} shared)", int(r["reports"])).format(
                  n=labels.integer(r["reports"]), k=labels.integer(r["shared_reports"])) for r in rows.to_dict("records")], textposition="outside", cliponaxis=False, hoverinfo="text",
        hovertext=[ngettext("{company}: {n} report names it, {k} of them shared with other companies (combined, "
                            "not split)", "{company}: {n} reports name it, {k} of them shared with other companies "
                            "(combined, not split)", int(r["reports"])).format(company=esc(r["company"]), n=labels.integer(r["reports"]),
                                          k=labels.integer(r["shared_reports"])) for r in rows.to_dict("records")]))
    fig.update_xaxes(title=_("reports (a count of reports, not of chips)"), rangemode="tozero",
                     range=[0, float(rows["reports"].max()) * 1.5], dtick=1 if rows["reports"].max() < 10 else None)
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, _(title), height=140 + 34 * len(rows))
