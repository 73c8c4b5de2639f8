"""Chip performance: reported specs with sources, a metric relative to the H20, and the
January 2026 rule's thresholds."""
import streamlit as st

from tracker import charts, queries, specs_view, ui

page = ui.start("Chip performance",
                "Reported specifications, one value per source; conflicting reports side by "
                "side. Ratios are our arithmetic and are marked DERIVED.")
specs = queries.specs(page.filters, page.version)
if specs.empty:
    ui.no_match("chip specification")
    st.stop()

st.subheader("Specifications as reported")
specs_view.pivot(specs)

st.subheader("Conflicting reports")
specs_view.conflicts(queries.spec_reports(page.filters, page.version), page)

st.subheader("Relative to the H20")
metric, sparsity = specs_view.metric_picker(specs)
ratios = queries.normalised(page.filters, metric, sparsity, page.version)
ui.chart_block(charts.normalised(ratios, queries.SPEC_METRICS[metric]), ratios,
               f"relative-to-h20-{metric}-{sparsity}", page, specs_view.RATIO_COLUMNS, date_col=None)

st.subheader("Against the export thresholds of the January 2026 rule")
terms = queries.thresholds(page.filters, page.version)
specs_view.thresholds(specs, terms, page)
ui.finish(page)
