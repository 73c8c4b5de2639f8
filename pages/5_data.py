"""Data: all filtered rows, table by table, each with its CSV download. Each table shows one
page of rows (tracker/paging.py); its CSV holds every row, written on click."""
import contextlib

import streamlit as st

from tracker import code_view, labels, paging, queries, snippets, ui
from tracker.i18n import N_, _

page = ui.start(N_("Data"), N_("The rows behind every chart, after the filters, with their sources."))
data = {  # tab (its CSV's file name) -> (tab label, what no_match names, queries table, the columns its table and CSV show)
    "Trade figures": (_("Trade figures"), _("trade figure"), "figures", ui.FIGURE_COLUMNS),
    "Chip specs": (_("Chip specs"), _("chip spec"), "specs", ui.SPEC_TABLE_COLUMNS),
    "Events": (_("Events"), _("event"), "events", ui.EVENT_COLUMNS),
    "Reported ratios": (_("Reported ratios"), _("reported ratio"), "ratios", ui.RATIO_COLUMNS),
    "Policy terms": (_("Policy terms"), _("policy term"), "terms", ui.TERM_COLUMNS),
}
counts = {n: queries.row_count(t, page.filters, page.version) for n, (_label, _what, t, _cols) in data.items()}
tables: ui.Tables = {}
tabs = st.tabs([_("{tab} ({n})").format(tab=label, n=labels.integer(counts[n])) for n, (label, *_rest) in data.items()]) \
    if page.full else [contextlib.nullcontext()] * len(data)  # an embedded view: one table, no tabs
for tab, (name, (_label, what, table, columns)) in zip(tabs, data.items()):
    with tab:
        if not counts[name]:
            ui.no_match(what)
            continue
        tables |= paging.paged_table(table, name.lower().replace(" ", "-"), page, columns)
if page.full:
    code_view.section(page, {n.lower().replace(" ", "-"): snippets.VIEWS[t] for n, (_l, _w, t, _c) in data.items() if counts[n]})
ui.finish(page, tables)
