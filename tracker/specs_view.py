"""The Chip performance page's parts: the spec pivot, the metric picker, threshold charts."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import charts, labels, queries, ui

SPEC_COLUMNS = ["spec_id", "chip", "metric", "value", "value_high", "unit", "bound", "sparsity",
                "notes"]
TERM_LABELS = {"tpp": "TPP", "memory_bandwidth_gbs": "memory bandwidth"}
RATIO_COLUMNS = ["spec_id", "chip", "metric", "sparsity", "value", "bound", "ref_spec_id",
                 "ref_value", "ref_bound", "ref_publisher", "ratio_to_h20", "ratio_is_derived", "derived", "ratio_note"]


def pivot(specs: pd.DataFrame) -> None:
    """Chip × metric; several reports of one value are joined with ' | ' (a conflict)."""
    cells = specs.assign(
        label=[labels.spec_value(r) + (" (DERIVED)" if r["derived"] else "") for _, r in specs.iterrows()],
        metric_label=specs["metric"].map(queries.SPEC_METRICS))
    wide = (cells.groupby(["chip", "metric_label"])["label"].agg(" | ".join)
            .unstack("metric_label").fillna("not found"))
    conflicts = cells.groupby(["chip_id", "metric", "sparsity"])["value"].nunique()
    st.dataframe(wide, width="stretch")
    n = int((conflicts > 1).sum())
    st.caption(f"“not found”: no curated source gives the value (not zero). {n} chip metrics "
               "have several reports, shown as “a | b”; sources are in the table below. DERIVED: "
               "the H200's compute is taken from the H100's (Baseten: “the same compute”).")
    with st.expander(f"All {len(specs)} spec values with sources"):
        ui.table(specs[SPEC_COLUMNS + ui.SOURCE_COLUMNS])


def conflicts(reports: pd.DataFrame, page: ui.Page) -> None:
    """Every chip metric reported by more than one source, side by side."""
    if reports.empty:
        ui.no_match("spec reported by more than one source")
        return
    n = reports.groupby(["chip_id", "metric", "sparsity"]).ngroups
    disagree = int((reports.groupby(["chip_id", "metric", "sparsity"])["spread"].first() > 1).sum())
    only = st.toggle(f"Only the {disagree} metrics whose reports disagree", value=True,
                     key="w_disagree_only", help=f"{n - disagree} more metrics have several "
                     "reports that agree.")
    st.caption(f"{n} chip metrics have several reports; {disagree} disagree. The ringed value "
               "is the one the ratio charts use (best grade, then first id). Spread = largest ÷ "
               "smallest (DERIVED).")
    shown = reports[reports["spread"] > 1] if only else reports
    frame = shown.assign(metric_label=shown["metric"].map(queries.SPEC_METRICS))
    fig = charts.reports(frame, ["chip", "metric_label", "sparsity"], labels.spec_value,
                         "Spec values reported by more than one source",
                         "reported value (unit in the row name; log scale)", log=True)
    ui.chart_block(fig, frame, "spec-conflicts", page,
                   SPEC_COLUMNS + ["reports", "spread", "headline", "headline_rule"], date_col=None)


def metric_picker(specs: pd.DataFrame) -> tuple[str, str]:
    available = [m for m in queries.SPEC_METRICS if m in set(specs["metric"])]
    left, right = st.columns([2, 1])
    metric = left.selectbox("Metric", available, format_func=queries.SPEC_METRICS.get,
                            index=available.index("fp16_bf16_tflops") if "fp16_bf16_tflops" in available else 0,
                            key="w_metric")
    kinds = sorted(set(specs.loc[specs["metric"] == metric, "sparsity"]),
                   key=["dense", "n/a", "not_stated", "sparse"].index)
    sparsity = right.radio("Sparsity", kinds, horizontal=True, key=f"w_sparsity_{metric}",
                           help="Dense = without 2:4 structured sparsity. Nvidia's marketing "
                                "figures are usually sparse (2× dense).")
    return metric, sparsity


def thresholds(specs: pd.DataFrame, terms: pd.DataFrame, page: ui.Page) -> None:
    """TPP and memory bandwidth per reported value, each against the rule's threshold."""
    def term(metric: str) -> pd.Series | None:
        rows = terms[terms["metric"] == metric]
        return rows.iloc[0] if not rows.empty else None

    panels = [("tpp", "tpp", "TPP against the rule's limit", "total processing performance (TPP)", 1.0),
              ("memory_bandwidth_tbs", "memory_bandwidth_gbs", "Memory bandwidth against the rule's limit",
               "memory bandwidth (GB/s; TB/s × 1,000, a unit conversion)", 1000.0)]
    for metric, term_metric, title, axis, scale in panels:
        rows = specs[specs["metric"] == metric]
        if rows.empty:
            ui.no_match(f"{TERM_LABELS[term_metric]} value")
            continue
        fig = charts.against_threshold(rows, term(term_metric), title, axis, scale=scale)
        ui.chart_block(fig, rows, f"{metric}-vs-threshold", page, SPEC_COLUMNS, date_col=None)
    if not terms.empty:
        st.caption("Thresholds: " + "; ".join(
            f"{ui.md(t['rule'])}: {ui.md(TERM_LABELS.get(t['metric'], t['metric']))} "
            f"{ui.md(labels.SYMBOL.get(t['bound'], ''))}{t['value']:,.0f} {ui.md(t['unit'])} "
            f"({ui.md(t['publisher'])})" for _, t in terms.iterrows()))
