"""Chip performance: reported specs with sources, a metric relative to the reference chip
(chip_roles: the H20), and the export rules' thresholds."""
import streamlit as st

from tracker import charts, queries, specs_view, ui

page = ui.start("Chip performance",
                "Reported specifications, one value per source; conflicting reports side by "
                "side. Ratios are our arithmetic and are marked DERIVED.")
vocab = queries.vocabulary(page.version)
reference = page.options.chips.get(vocab.chip("reference") or "", "the reference chip")
specs = queries.specs(page.filters, page.version)
if specs.empty:
    ui.no_match("chip specification")
    st.stop()

st.subheader("Specifications as reported")
specs_view.pivot(specs)

st.subheader("Conflicting reports")
tables: ui.Tables = specs_view.conflicts(queries.spec_reports(page.filters, page.version), page)

st.subheader(f"Relative to the {reference}")
metric, sparsity = specs_view.metric_picker(specs, vocab)
ratios = queries.normalised(page.filters, metric, sparsity, page.version)
tables |= ui.chart_block(lambda: charts.normalised(ratios, vocab.label("spec_metrics", metric), reference), ratios,
                         f"relative-to-{vocab.chip('reference')}-{metric}-{sparsity}", page,
                         specs_view.RATIO_COLUMNS, date_col=None)

st.subheader("Against the export thresholds")
terms = queries.thresholds(page.filters, page.version)
tables |= specs_view.thresholds(specs, terms, page, vocab)
ui.finish(page, tables)
