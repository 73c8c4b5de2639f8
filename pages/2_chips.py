"""Chip performance: reported specs with sources, a metric relative to the reference chip
(chip_roles: the H20), and the export rules' thresholds."""
import streamlit as st

from tracker import alt_text, charts, code_view, drill, queries, snippets, specs_view, ui
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

ui.heading(_("Conflicting reports"))
tables: ui.Tables = specs_view.conflicts(queries.spec_reports(page.filters, page.version), page)

ui.heading(_("Relative to the {chip}").format(chip=reference))
metric, sparsity = specs_view.metric_picker(specs, vocab)
ratios = queries.normalised(page.filters, metric, sparsity, page.version)
ratio_chart = specs_view.ratio_name(vocab, metric, sparsity)
tables |= drill.chart(page, drill.current({"chip": page.options.chips}), "chip", page.options.chips,
                      lambda chip: charts.normalised(ratios, vocab.label("spec_metrics", metric), reference, selected=chip),
                      ratios, ratio_chart, specs_view.RATIO_COLUMNS, ui.SPEC_TABLE_COLUMNS, date_col=None,
                      alt=lambda: alt_text.normalised(ratios, vocab.label("spec_metrics", metric), reference))

ui.heading(_("Against the export thresholds"))
terms = queries.thresholds(page.filters, page.version)
tables |= specs_view.thresholds(specs, terms, page, vocab)
if page.full:
    code_view.section(page, {ratio_chart: snippets.normalised(metric, sparsity)})
ui.finish(page, tables)
