"""Chip performance: reported specs with sources, then as tabs (only the open one runs,
tracker/sections.py) the export rules' thresholds, a metric relative to the reference chip
(chip_roles: the H20) and the conflicting reports."""
import streamlit as st

from tracker import alt_text, charts, code_view, drill, queries, sections, snippets, specs_view, ui
from tracker.i18n import N_, _

page = ui.start(N_("Chip performance"),
                N_("Reported specifications, one value per source; conflicting reports side by "
                   "side. Ratios are our arithmetic and are marked DERIVED."))
vocab = queries.vocabulary(page.version)
reference = page.options.chips.get(vocab.chip("reference") or "", _("the reference chip"))
specs = queries.specs(page.filters, page.version)
if specs.empty:
    ui.no_match(_("chip specification"))
    ui.finish(page, {})  # an embedded view says it is not here
    st.stop()

ui.heading(_("Specifications as reported"))
if page.full:  # an embedded view (tracker/embed.py) is one chart or table alone
    specs_view.pivot(specs)

# the charts are tabs: a filter change redraws the open one's charts, not all four
ui.heading(_("The specifications charted"))
chip_drill = drill.current({"chip": page.options.chips})
tab = sections.tabs(page.name, {"thresholds": _("Export thresholds"),  # short labels: three fit a phone
                                "relative": _("Ratios (DERIVED)"),
                                "conflicts": _("Conflicting reports")},
                    follow=(chip_drill.param, "relative") if chip_drill else None)
tables: ui.Tables = {}
code: dict = {}
if tab["thresholds"]:
    with tab["thresholds"]:
        terms = queries.thresholds(page.filters, page.version)
        tables |= specs_view.thresholds(specs, terms, page, vocab)

if tab["relative"]:
    with tab["relative"]:
        metric, sparsity = specs_view.metric_picker(specs, vocab)
        ratios = queries.normalised(page.filters, metric, sparsity, page.version)
        ratio_chart = specs_view.ratio_name(vocab, metric, sparsity)
        tables |= drill.chart(page, chip_drill, "chip", page.options.chips,
                              lambda chip: charts.normalised(ratios, vocab.label("spec_metrics", metric), reference,
                                                             selected=chip),
                              ratios, ratio_chart, specs_view.RATIO_COLUMNS, ui.SPEC_TABLE_COLUMNS, date_col=None,
                              alt=lambda: alt_text.normalised(ratios, vocab.label("spec_metrics", metric), reference))
        code = {ratio_chart: snippets.normalised(metric, sparsity)}

if tab["conflicts"]:
    with tab["conflicts"]:
        tables |= specs_view.conflicts(queries.spec_reports(page.filters, page.version), page)
if page.full:
    code_view.section(page, code)
ui.finish(page, tables)
