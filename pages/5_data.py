"""Data: all filtered rows, table by table, each with its CSV download. Each table shows one
page of rows (tracker/paging.py); its CSV holds every row, written on click."""
import streamlit as st

from tracker import paging, queries, ui

page = ui.start("Data", "The rows behind every chart, after the filters, with their sources.")
data = {  # tab -> (queries table, the columns its table and CSV show)
    "Trade figures": ("figures", ui.FIGURE_COLUMNS),
    "Chip specs": ("specs", ui.SPEC_TABLE_COLUMNS),
    "Events": ("events", ui.EVENT_COLUMNS),
    "Reported ratios": ("ratios", ui.RATIO_COLUMNS),
    "Policy terms": ("terms", ui.TERM_COLUMNS),
}
counts = {n: queries.row_count(t, page.filters, page.version) for n, (t, _) in data.items()}
tables: ui.Tables = {}
for tab, (name, (table, columns)) in zip(st.tabs([f"{n} ({counts[n]:,})" for n in data]), data.items()):
    with tab:
        if not counts[name]:
            ui.no_match(name.lower()[:-1])
            continue
        tables |= paging.paged_table(table, name.lower().replace(" ", "-"), page, columns)
ui.finish(page, tables)
