"""Compute equivalence and scenarios: our arithmetic on sourced inputs, labelled as such."""
import streamlit as st

from tracker import code_view, compute_view, labels, queries, snippets, ui
from tracker.i18n import N_, _

page = ui.start(N_("Compute equivalence and scenarios"),
                N_("DERIVED numbers: our arithmetic on the sourced figures and specs, with every "
                   "input's source and the bounds carried through."))
vocab = queries.vocabulary(page.version)
specs = queries.specs(page.filters, page.version)
figs = queries.chip_count_choices(page.filters, page.version)  # bounded at any size (issue 10)

ui.heading(_("Compute equivalence"))
if page.full:  # an embedded view (tracker/embed.py) is one table alone: no calculator
    compute_view.calculator(specs, figs, page.options.chips, vocab)
if (n := queries.chip_count_total(page.filters, page.version)) > len(figs) and page.full:
    st.caption(_("The figure list offers the {k} latest of {n} chip counts (and the subject chip's "
                 "latest): narrow the dates, chips or companies to pick an older one.").format(
                     k=queries.CHOICES, n=labels.integer(n)))

ui.heading(_("What is “about six times” measuring?"))
ui.note(_("As reported: ratios the sources state themselves, and the metric each names "
          "(Reuters names none)."))
tables = compute_view.reported_ratios(queries.reported_ratios(page.filters, page.version), page)
chips = page.options.chips
ui.note(_("Our arithmetic: {chip} ÷ {reference} by each metric (DERIVED, best-graded report of "
          "each). “About six times” fits a ratio from {low} to {high}.").format(
                 chip=chips.get(vocab.chip("subject"), _("the chip")),
                 reference=chips.get(vocab.chip("reference"), _("the reference chip")),
                 low=labels.decimal(compute_view.SIX_TIMES[0]), high=labels.decimal(compute_view.SIX_TIMES[1])))
ui.table(compute_view.six_times(queries.subject_vs_reference(page.filters, page.version), vocab))

if page.full:  # the scenario runs on inputs typed on the page, not in a link: not a view to embed
    st.subheader(_("Scenario: how long to fill the orders?"))
    compute_view.scenario(queries.pipeline(page.filters, page.version), page)
    code_view.section(page, {"reported-ratios": snippets.VIEWS["ratios"]})
ui.finish(page, tables)
