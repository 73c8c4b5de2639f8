"""The Chip performance page's parts: the spec pivot, the metric picker, threshold charts."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import alt_text, charts, embed, i18n, labels, ui
from tracker.i18n import _
from tracker.vocabulary import Vocabulary

SPEC_COLUMNS = ["spec_id", "chip", "metric", "value", "value_high", "unit", "bound", "revised",
                "sparsity", "notes"]
RATIO_COLUMNS = ["spec_id", "chip", "metric", "sparsity", "value", "bound", "ref_spec_id",
                 "ref_value", "ref_bound", "ref_publisher", "ratio_to_reference", "ratio_is_derived", "derived", "ratio_note"]


@st.cache_data(ttl=600, max_entries=64, show_spinner=False)
def _pivot(specs: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, int]:
    """The chip × metric table and how many chip metrics have several reports (made once per
    set of specs, not on every rerun)."""
    cells = specs.assign(
        label=[labels.spec_value(r) + (_(" (DERIVED)") if r["derived"] else "") for r in specs.to_dict("records")])
    wide = (cells.groupby(["chip", "metric_label"])["label"].agg(" | ".join)
            .unstack("metric_label").fillna(_("not found")))
    conflicts = cells.groupby(["chip_id", "metric", "sparsity"])["value"].nunique()
    return wide, int((conflicts > 1).sum())


def pivot(specs: pd.DataFrame) -> None:
    """Chip × metric; several reports of one value are joined with ' | ' (a conflict)."""
    wide, n = _pivot(specs, i18n.lang())  # cached per language: its cells are words
    st.dataframe(wide, width="stretch")
    st.caption(_("“not found”: no curated source gives the value (not zero). {n} chip metrics "
                 "have several reports, shown as “a | b”; sources are in the table below. DERIVED: "
                 "a value taken from another chip's on a source's word (see the notes).").format(n=n))
    box = st.expander(_("All {n} spec values with sources").format(n=len(specs)), key="specs_all", on_change="rerun")
    if box.open:  # lazy: the rows reach the browser only when asked for (issue 10)
        with box:
            ui.table(specs[SPEC_COLUMNS + ui.SOURCE_COLUMNS])


def conflicts(reports: pd.DataFrame, page: ui.Page) -> ui.Tables:
    """Every chip metric reported by more than one source, side by side; returns its table."""
    if reports.empty:
        ui.no_match(_("spec reported by more than one source"))
        return {}
    n = reports.groupby(["chip_id", "metric", "sparsity"]).ngroups
    disagree = int((reports.groupby(["chip_id", "metric", "sparsity"])["spread"].first() > 1).sum())
    only = True if not page.full else st.toggle(  # embedded: the default, as a link gives it
        _("Only the {n} metrics whose reports disagree").format(n=disagree), value=True,
        key="w_disagree_only", help=_("{n} more metrics have several reports that agree.").format(n=n - disagree))
    ui.note(_("{n} chip metrics have several reports; {k} disagree. The ringed value is the one the "
                 "ratio charts use (best grade, then first id). Spread = largest ÷ smallest (DERIVED).").format(
                     n=n, k=disagree))
    shown = reports[reports["spread"] > 1] if only else reports
    frame = shown
    return ui.chart_block(  # built once per (filters, build, toggle)
        lambda: charts.reports(frame, ["chip", "metric_label", "sparsity"], labels.spec_value,
                               _("Spec values reported by more than one source"),
                               _("reported value (unit in the row name; log scale)"), log=True),
        frame, "spec-conflicts", page, SPEC_COLUMNS + ["reports", "spread", "headline", "headline_rule"],
        date_col=None, key=(only,),
        alt=lambda: alt_text.reports(frame, ["chip", "metric_label", "sparsity"]))


def ratio_name(vocab: Vocabulary, metric: str, sparsity: str) -> str:
    """The ratio chart's name (its key, CSV name and embed view) for a metric and sparsity."""
    return f"relative-to-{vocab.chip('reference')}-{metric}-{sparsity}"


def _kinds(specs: pd.DataFrame, metric: str) -> list[str]:
    return sorted(set(specs.loc[specs["metric"] == metric, "sparsity"]),
                  key=["dense", "n/a", "not_stated", "sparse"].index)


def metric_picker(specs: pd.DataFrame, vocab: Vocabulary) -> tuple[str, str]:
    """A metric (in the vocabulary's order; the first one reported is the default) and a sparsity.
    An embedded view (tracker/embed.py) takes them from the chart it asks for, without widgets."""
    available = [m for m in vocab.spec_metrics if m in set(specs["metric"])]
    emb = embed.state()
    if emb is not None:
        pairs = [(m, k) for m in available for k in _kinds(specs, m)]
        return next((p for p in pairs if ratio_name(vocab, *p) == emb.view), pairs[0])
    left, right = st.columns([2, 1])
    metric = left.selectbox(_("Metric"), available, key="w_metric",
                            format_func=lambda m: vocab.label("spec_metrics", m))
    kinds = _kinds(specs, metric)
    sparsity = right.radio(_("Sparsity"), kinds, horizontal=True, key=f"w_sparsity_{metric}",
                           format_func=lambda k: _(k.replace("_", " ")),
                           help=_("Dense = without 2:4 structured sparsity. Nvidia's marketing "
                                  "figures are usually sparse (2× dense)."))
    return metric, sparsity


def thresholds(specs: pd.DataFrame, terms: pd.DataFrame, page: ui.Page, vocab: Vocabulary) -> ui.Tables:
    """Each spec an export rule limits (term_metrics.spec_metric), per reported value, against
    the rule's threshold; returns the charts' tables."""
    tables: ui.Tables = {}
    limited = list(dict.fromkeys(terms["spec_metric"].dropna()))  # in the rules' own order
    for metric in limited:
        term = terms[terms["spec_metric"] == metric].iloc[0]
        scale, unit = float(term["spec_scale"]), vocab.spec_metrics[metric]["unit"]
        rows = specs[specs["metric"] == metric]
        if rows.empty:
            ui.no_match(_("{metric} value").format(metric=term["metric_label"]))
            continue
        axis = term["metric_label"] + " " + (
            _("({unit}; {spec_unit} × {scale}, a unit conversion)").format(
                unit=term["unit"], spec_unit=unit, scale=labels.decimal(scale, "#,##0.#####"))
            if scale != 1 else f"({term['unit']})")
        title = _("{metric} against the rule's limit").format(metric=term["metric_label"])
        title = title[:1].upper() + title[1:]
        tables |= ui.chart_block(
            lambda rows=rows, term=term, title=title, axis=axis, scale=scale:
                charts.against_threshold(rows, term, title, axis, scale=scale),
            rows, f"{metric}-vs-threshold", page, SPEC_COLUMNS, date_col=None,
            alt=lambda rows=rows, term=term, scale=scale:
                alt_text.against_threshold(rows, term, term["metric_label"], scale=scale))
    if not terms.empty:
        ui.note(_("Thresholds: {list}").format(list="; ".join(
            f"{ui.md(t['rule'])}: {ui.md(t['metric_label'])} "
            f"{ui.md(labels.symbol(t))}{ui.md(labels.decimal(t['value'], '#,##0'))} {ui.md(t['unit'])} "
            f"({ui.md(t['publisher'])})" for t in terms.to_dict("records"))))
    return tables
