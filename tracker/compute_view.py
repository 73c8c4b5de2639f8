"""The Compute page's parts: the equivalence calculator, the "about six times" explainer and
the supply scenario. Arithmetic lives in tracker.equivalence; this module only asks and shows."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import alt_text, charts, equivalence, labels, ui
from tracker.equivalence import Quantity
from tracker.i18n import _
from tracker.vocabulary import Vocabulary

# The metrics an equivalence is worth computing on, and the sparsity compared (dense: sparse
# marketing figures double the count).
METRICS = {"fp16_bf16_tflops": "dense", "fp8_tflops": "dense", "tpp": "n/a",
           "memory_bandwidth_tbs": "n/a", "memory_gb": "n/a"}
AGGREGATE = {"TFLOPS": ("PFLOPS", 1e-3), "TPP": ("TPP", 1.0), "TB/s": ("TB/s", 1.0),
             "GB": ("TB", 1e-3)}
SIX_TIMES = (5.5, 7.5)  # what "about six times" can honestly round from


def spec_rows(specs: pd.DataFrame, chip: str, metric: str, vocab: Vocabulary) -> pd.DataFrame:
    """A chip's reports of a metric, best grade first (grade order: the vocabulary's)."""
    rows = specs[(specs["chip_id"] == chip) & (specs["metric"] == metric)]
    if METRICS[metric] == "dense":  # dense only: sparse marketing figures double the count
        rows = rows[rows["sparsity"].isin(["dense"])]
    order = list(vocab.grades)
    return rows.sort_values(["grade", "spec_id"], key=lambda s: s.map(order.index)
                            if s.name == "grade" else s)


def _spec_label(r: pd.Series) -> str:
    derived = _(" · DERIVED") if r.get("derived") else ""
    return f"{labels.spec_value(r)} · {r['publisher']} ({r['grade']}){derived} [{r['spec_id']}]"


def _pick_spec(specs: pd.DataFrame, chip: str, metric: str, key: str, label: str, vocab: Vocabulary):
    rows = spec_rows(specs, chip, metric, vocab)
    if rows.empty:
        st.warning(_("No sourced {metric} value for {chip}: the equivalence cannot be computed (unknown "
                     "is not zero).").format(metric=vocab.label("spec_metrics", metric), chip=label),
                   icon=":material/help:")
        return None
    by_id = {r["spec_id"]: r for r in rows.to_dict("records")}
    chosen = st.selectbox(_("{chip}: which report").format(chip=label), list(by_id), key=key,
                          format_func=lambda i: _spec_label(by_id[i]))
    return by_id[chosen]


def quantity_input(figures: pd.DataFrame, vocab: Vocabulary) -> tuple[Quantity, pd.Series | None]:
    """A number typed by the analyst, or a sourced chip count with its bound (by default the
    subject chip's latest reported count)."""
    counted = figures[figures["unit_kind"].eq("chip_count") & figures["value"].notna()]
    modes = {"sourced": _("A sourced figure"), "typed": _("Type a number")}
    mode = st.radio(_("Quantity"), list(modes), format_func=modes.get, horizontal=True,
                    key="w_qty_mode", index=0 if not counted.empty else 1)
    if mode == "sourced" and not counted.empty:
        by_id = {r["figure_id"]: r for r in counted.to_dict("records")}
        ids = list(by_id)
        subject = counted[counted["is_subject"]]
        latest = subject.sort_values(["as_of_date", "figure_id"]).iloc[-1]["figure_id"] if not subject.empty else ids[0]
        pick = st.selectbox(_("Figure"), ids, index=ids.index(latest),
                            key="w_qty_figure", format_func=lambda i: (
                                f"{labels.value(by_id[i])} · {by_id[i]['stage_label']} · "
                                f"{by_id[i]['publisher']}, {labels.day(by_id[i]['as_of_date'])} [{i}]"))
        row = by_id[pick]
        return Quantity(float(row["value"]), row["bound"],
                        None if pd.isna(row["value_high"]) else float(row["value_high"])), row
    left, right = st.columns(2)
    n = left.number_input(_("Number of chips"), min_value=1, value=1, step=1000, key="w_qty")
    typed = [b for b, row in vocab.bounds.items() if row["has_value"] and b != "range" and row["in_specs"]]
    bound = right.selectbox(_("Its bound"), typed, key="w_qty_bound",
                            format_func=lambda b: vocab.label("bounds", b))
    return Quantity(float(n), bound), None


def calculator(specs: pd.DataFrame, figures: pd.DataFrame, chips: dict[str, str], vocab: Vocabulary) -> None:
    """N chips in reference-chip equivalents; the subject and reference chips (chip_roles) by default."""
    n, figure = quantity_input(figures, vocab)
    c1, c2, c3 = st.columns(3)
    ids = list(chips)

    def index(role: str) -> int:
        return ids.index(vocab.chip(role)) if vocab.chip(role) in ids else 0

    chip = c1.selectbox(_("Chip"), ids, index=index("subject"), format_func=chips.get, key="w_calc_chip")
    ref = c2.selectbox(_("Reference chip"), ids, index=index("reference"), format_func=chips.get,
                       key="w_calc_ref")
    metric = c3.selectbox(_("Metric"), list(METRICS), format_func=lambda m: vocab.label("spec_metrics", m),
                          key="w_calc_metric")
    a = _pick_spec(specs, chip, metric, "w_calc_a", chips[chip], vocab)
    b = _pick_spec(specs, ref, metric, "w_calc_b", chips[ref], vocab)
    if a is None or b is None:
        return
    qa = Quantity(float(a["value"]), a["bound"], None if pd.isna(a["value_high"]) else float(a["value_high"]))
    qb = Quantity(float(b["value"]), b["bound"], None if pd.isna(b["value_high"]) else float(b["value_high"]))
    equiv = equivalence.ratio_product(n, qa, qb)
    total = equivalence.product(n, qa)
    unit, scale = AGGREGATE[a["unit"]]
    left, right = st.columns(2)
    metric_label = vocab.label("spec_metrics", metric)
    left.metric(_("DERIVED: {chip}-equivalents").format(chip=chips[ref]), _fmt(equiv, 1.0, "", vocab),
                help=_("N × {chip} ÷ {reference}, by {metric}").format(
                    chip=chips[chip], reference=chips[ref], metric=metric_label))
    right.metric(_("DERIVED: aggregate {metric}").format(metric=metric_label.split(" (")[0]),
                 _fmt(total, scale, f" {unit}", vocab))
    st.caption(_("Bound: {bound} — {note}. This is our arithmetic on the sourced inputs below, not a "
                 "reported figure.").format(bound=vocab.bounds.get(equiv.bound, {}).get("label", _("no bound")),
                                            note=_(equiv.note)))
    inputs = [("quantity", figure) if figure is not None else None, ("chip value", a), ("reference value", b)]
    words = {"quantity": _("quantity"), "chip value": _("chip value"), "reference value": _("reference value")}
    table = pd.DataFrame([{_("input"): words[name], "id": r.get("figure_id", r.get("spec_id")),
                           _("value"): labels.value(r) if name == "quantity" else labels.spec_value(r),
                           _("publisher"): r["publisher"], _("grade"): r["grade"], "url": r["url"],
                           "quote": r["quote"]} for item in inputs if item for name, r in [item]])
    ui.table(table)


def _fmt(result: equivalence.Result, scale: float, unit: str, vocab: Vocabulary) -> str:
    if result.bound == "range":
        return f"{labels.decimal(result.value * scale, '#,##0')}–{labels.decimal(result.value_high * scale, '#,##0')}{unit}"
    symbol = "~ " if result.bound == "unbounded" else vocab.symbol(result.bound)
    return f"{symbol}{labels.decimal(result.value * scale, '#,##0')}{unit}"


def reported_ratios(ratios: pd.DataFrame, page: ui.Page) -> ui.Tables:
    """The ratios the sources state themselves, with the metric each names (basis); returns
    their table."""
    if ratios.empty:
        ui.no_match(_("ratio stated by a source"))
        return {}
    return ui.download_table(ratios, ui.RATIO_COLUMNS, "reported-ratios", page,  # compact on screen
                             shown=["chip", "reference_chip", "reported", "basis", "publisher", "grade", "quote", "url"])


def six_times(ratios: pd.DataFrame, vocab: Vocabulary) -> pd.DataFrame:
    """DERIVED (derived_subject_vs_reference): the subject ÷ the reference chip by each
    equivalence metric, best-graded report of each, and whether it gives "about six times"."""
    subject, reference = (vocab.chip("subject") or "subject"), (vocab.chip("reference") or "reference")
    out = []
    for metric, sparsity in METRICS.items():
        rows = ratios[(ratios["metric"] == metric) & (ratios["sparsity"] == sparsity)]
        r = rows.iloc[0] if not rows.empty else None
        ratio = None if r is None else float(r["ratio_to_reference"])
        verdict = (_("cannot tell: a value is missing") if ratio is None
                   else _("yes") if SIX_TIMES[0] <= ratio < SIX_TIMES[1] else _("no"))
        out.append({_("metric"): vocab.label("spec_metrics", metric),  # a shown table: words as headers
                    _("ratio (DERIVED)"): "—" if ratio is None else f"{labels.decimal(ratio, '0.00')}×",
                    _("gives “about six times”?"): verdict,
                    "chip": _("not found") if r is None else _spec_label(r),
                    "reference": _("not found") if r is None else
                    f"{labels.decimal(r['ref_value'], '#,##0.#####')} · {r['ref_publisher']} [{r['ref_spec_id']}]"})
    frame = pd.DataFrame(out)
    names = ratios.iloc[0] if not ratios.empty else None
    return frame.rename(columns={"chip": names["chip"] if names is not None else subject,
                                 "reference": names["ref_chip"] if names is not None else reference})


def scenario(pipe: pd.DataFrame, page: ui.Page) -> None:
    """SCENARIO, not data: cumulative supply against orders, month by month."""
    def sourced(stage: str) -> pd.Series | None:
        rows = pipe[(pipe["stage"] == stage) & pipe["value"].notna() & pipe["unit"].eq("chips")]
        return rows.iloc[0] if not rows.empty else None

    orders, stock, cap = sourced("ordered"), sourced("inventory"), sourced("us_cap")
    c1, c2, c3, c4 = st.columns(4)
    o = c1.number_input(_("Orders (chips)"), min_value=0, step=50_000, key="w_sc_orders",
                        value=int(orders["value"]) if orders is not None else 0)
    s = c2.number_input(_("Stock at start (chips)"), min_value=0, step=50_000, key="w_sc_stock",
                        value=int(stock["value"]) if stock is not None else 0)
    m = c3.number_input(_("Monthly output for China (chips)"), min_value=0, step=10_000, value=0,
                        key="w_sc_monthly", help=_("No source gives it: enter your assumption."))
    per = c4.number_input(_("US cap per customer (chips)"), min_value=0, step=5_000, key="w_sc_cap",
                          value=int(cap["value"]) if cap is not None else 0)
    # A number box, not a slider: a slider's value is drawn in the primary colour, under 4.5:1 on
    # the dark theme (axe color-contrast), and no primary colour serves both it and white button text.
    customers = st.number_input(_("Licensed customers under the cap"), 0, 30, 10, step=1, key="w_sc_customers",
                                help=_("About 10 firms were reported cleared by mid-May 2026 (TECH&SPACE, low grade)."))
    for label, row in ((_("Orders"), orders), (_("Stock"), stock), (_("Cap"), cap)):
        if row is not None:
            st.caption(_("{box} prefilled from {value}, {publisher} ({grade}), as of {day}").format(
                box=label, value=ui.md(labels.value(row)), publisher=ui.md(row["publisher"]),
                grade=ui.md(row["grade"]), day=ui.md(labels.day(row["as_of_date"]))))
        else:
            st.caption(_("{box}: no sourced chip count under these filters (unknown, not zero); the box "
                         "starts at 0 for your own assumption.").format(box=label))
    st.caption(_("Monthly output is not in any source (the FT reported China-bound production halted "
                 "in March 2026, Huang said it was restarting): 0 unless you assume otherwise."))
    if o <= 0:  # "met in month 0" would turn an unknown into an answer
        st.info(_("Enter the orders to fill: no sourced order count matches the filters."),
                icon=":material/edit:")
        return
    ceiling = per * customers if per and customers else None
    months, supply, filled = equivalence.months_to_fill(o, s, m, ceiling)
    frame = pd.DataFrame({"month": months, "cumulative_supply": supply, "orders": o,
                          "cap_total": ceiling, "scenario": True})
    st.plotly_chart(charts.scenario(frame, filled), key="chart_scenario", config={"displaylogo": False})
    ui.describe(alt_text.scenario(frame, filled), "scenario")
    ui.download(frame, "scenario-months-to-fill", page)
