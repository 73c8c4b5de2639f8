"""Timeline: events by category on a time axis, with the reported figures above them."""
import streamlit as st

from tracker import cards, charts, queries, ui

page = ui.start("Timeline",
                "US and Chinese policy, company and diplomatic events, with reported H200-era "
                "quantities on the same time axis.")
events = queries.events(page.filters, page.version)
figs = queries.figures(page.filters, page.version)
if events.empty and figs.empty:
    ui.no_match("event or figure")
    st.stop()
rows = charts.timeline_rows(events, figs)
tables = ui.chart_block(charts.timeline(events, figs), rows, "timeline", page, list(rows.columns),
               date_col="date")
st.caption("Events that name no company (policy, diplomacy) stay visible under a company filter "
           "as context; events that name companies show only for the selected ones.")

st.subheader(f"The events, latest first ({len(events)})")
if events.empty:
    ui.no_match("event")
else:
    ui.table(cards.event_rows(events))
ui.finish(page, tables)
