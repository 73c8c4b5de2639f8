"""Compute equivalence and scenarios: our arithmetic on sourced inputs, labelled as such."""
import streamlit as st

from tracker import compute_view, queries, ui

page = ui.start("Compute equivalence and scenarios",
                "DERIVED numbers: our arithmetic on the sourced figures and specs, with every "
                "input's source and the bounds carried through.")
vocab = queries.vocabulary(page.version)
specs = queries.specs(page.filters, page.version)
figs = queries.chip_count_choices(page.filters, page.version)  # bounded at any size (issue 10)

st.subheader("Compute equivalence")
compute_view.calculator(specs, figs, page.options.chips, vocab)
if (n := queries.chip_count_total(page.filters, page.version)) > len(figs):
    st.caption(f"The figure list offers the {queries.CHOICES} latest of {n:,} chip counts (and the "
               "subject chip's latest): narrow the dates, chips or companies to pick an older one.")

st.subheader("What is “about six times” measuring?")
st.caption("As reported: ratios the sources state themselves, and the metric each names "
           "(Reuters names none).")
tables = compute_view.reported_ratios(queries.reported_ratios(page.filters, page.version), page)
chips = page.options.chips
st.caption(f"Our arithmetic: {chips.get(vocab.chip('subject'), 'the chip')} ÷ "
           f"{chips.get(vocab.chip('reference'), 'the reference chip')} by each metric (DERIVED, "
           "best-graded report of each). “About six times” fits a ratio from 5.5 to 7.5.")
ui.table(compute_view.six_times(queries.subject_vs_reference(page.filters, page.version), vocab))

st.subheader("Scenario: how long to fill the orders?")
compute_view.scenario(queries.pipeline(page.filters, page.version), page)
ui.finish(page, tables)
