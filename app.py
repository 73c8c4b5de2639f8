"""Overview (the home page): headline cards per stage, the pipeline chart, latest events.

Classic multipage mode: this file and each file in pages/ is a whole page script that draws
the shared filters itself through tracker.ui.start (see tracker/ui.py for why)."""
import streamlit as st

from tracker import charts, cards, gaps, queries, ui, whats_new

page = ui.start("Nvidia H200 exports to China",
                "Orders, Chinese approvals, US licences, Nvidia's stock and shipments, each as "
                "reported, with its bound, date and source.")
tables: ui.Tables = {}
pipe = queries.pipeline(page.filters, page.version)
cards.headlines(pipe, queries.vocabulary(page.version))
whats_new.overview_link(page.version)

st.subheader("The pipeline, from demand to delivery")
if pipe.empty:
    ui.no_match("H200 figure")
else:
    tables |= ui.chart_block(lambda: charts.pipeline(pipe), pipe, "overview-pipeline", page, cards.PIPE_COLUMNS)

st.subheader("Latest events")
events = queries.events(page.filters, page.version)
if events.empty:
    ui.no_match("event")
else:
    cards.latest_events(events.tail(6).iloc[::-1])
gaps.section(page.filters, page.version, compact=True)
ui.finish(page, tables)
