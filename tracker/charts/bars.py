"""Bar charts: the pipeline per stage, ratios to the reference chip, values against a rule's
threshold, reports per company, and the months-to-fill scenario."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from tracker import chart_keys, chart_layout, labels
from tracker.charts.common import (BOUND_SYMBOL, empty, esc, graded, hover, layout, picks, revised,
                                   selected_points)
from tracker.i18n import N_, _, ngettext



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
        cliponaxis=False, hovertext=[hover(r) for _i, r in bars.iterrows()],
        hoverinfo="text", name=_("reported quantity"), showlegend=False,
        customdata=picks("stage", bars["stage"]), selectedpoints=selected_points(list(bars["stage"]), selected),
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
                           text="<i>" + esc(labels.short(r)) + "</i>", hovertext=hover(r))
    fig.update_yaxes(categoryorder="array", categoryarray=y, title=None)
    outside = any(w == "outside" for w in where)  # short bars' labels need room on the right
    fig.update_xaxes(title=_("H200 chips (as reported; labels keep the source's bound)"),
                     range=[0, top * (1.5 if outside else 1.15)], tickformat=",")
    fig = layout(fig, title, height=120 + 42 * len(rows))
    return fig.update_layout(margin=dict(r=40))  # the last x tick's label overhangs: room made before the draw


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
        customdata=picks("chip", rows["chip_id"]), selectedpoints=selected_points(list(rows["chip_id"]), selected),
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
    return layout(fig, title, height=140 + 34 * len(rows))


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
    layout(fig, title, height=190 + 34 * len(rows))
    return fig.update_layout(margin=dict(t=fig.layout.margin.t + 35))  # the threshold's label sits under the title


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
        customdata=picks("company", rows["company_id"]), selectedpoints=selected_points(list(rows["company_id"]), selected),
        text=[ngettext("{n} report ({k} shared)", "{n} reports ({k} shared)", int(r["reports"])).format(
                  n=labels.integer(r["reports"]), k=labels.integer(r["shared_reports"])) for r in rows.to_dict("records")], textposition="outside", cliponaxis=False, hoverinfo="text",
        hovertext=[ngettext("{company}: {n} report names it, {k} of them shared with other companies (combined, "
                            "not split)", "{company}: {n} reports name it, {k} of them shared with other companies "
                            "(combined, not split)", int(r["reports"])).format(company=esc(r["company"]), n=labels.integer(r["reports"]),
                                          k=labels.integer(r["shared_reports"])) for r in rows.to_dict("records")]))
    fig.update_xaxes(title=_("reports (a count of reports, not of chips)"), rangemode="tozero",
                     range=[0, float(rows["reports"].max()) * 1.5], dtick=1 if rows["reports"].max() < 10 else None)
    fig.update_yaxes(title=None, automargin=True)
    return layout(fig, _(title), height=140 + 34 * len(rows))


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
    return layout(fig, _("SCENARIO, not data: months to fill the orders — {verdict}").format(verdict=verdict),
                   height=420)
