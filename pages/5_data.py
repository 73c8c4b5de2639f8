"""Data: all filtered rows, table by table, each with its CSV download."""
import streamlit as st

from tracker import queries, ui

page = ui.start("Data", "The rows behind every chart, after the filters, with their sources.")
data = {
    "Trade figures": (queries.figures(page.filters, page.version), ui.FIGURE_COLUMNS),
    "Chip specs": (queries.specs(page.filters, page.version), ui.SPEC_TABLE_COLUMNS),
    "Events": (queries.events(page.filters, page.version), ui.EVENT_COLUMNS),
    "Reported ratios": (queries.reported_ratios(page.filters, page.version), ui.RATIO_COLUMNS),
    "Policy terms": (queries.policy_terms(page.filters, page.version), ui.TERM_COLUMNS),
}
tables: ui.Tables = {}
for tab, (name, (frame, columns)) in zip(st.tabs([f"{n} ({len(f)})" for n, (f, _) in data.items()]),
                                         data.items()):
    with tab:
        if frame.empty:
            ui.no_match(name.lower()[:-1])
            continue
        tables |= ui.download_table(frame, columns, name.lower().replace(" ", "-"), page)
ui.finish(page, tables)
