"""Overview (the home page): headline cards per stage, the pipeline chart, latest events.

Classic multipage mode: this file and each file in pages/ is a whole page script that draws
the shared filters itself through tracker.ui.start (see tracker/ui.py for why)."""
import streamlit as st

from tracker import alt_text, charts, cards, code_view, drill, gaps, queries, snippets, ui, whats_new
from tracker.i18n import N_, _

page = ui.start(N_("Nvidia H200 exports to China"),
                N_("Orders, Chinese approvals, US licences, Nvidia's stock and shipments, each as "
                   "reported, with its bound, date and source."))
tables: ui.Tables = {}
stages = drill.pipeline_stages(page)
drilled = drill.current({"stage": stages})  # ?drill=stage:<id>, validated
pipe = queries.pipeline(page.filters, page.version)
if page.full:  # an embedded view (tracker/embed.py) is one chart or table alone
    cards.headlines(pipe, queries.vocabulary(page.version))
    whats_new.overview_link(page.version)

ui.heading(_("The pipeline, from demand to delivery"))
if pipe.empty:
    ui.no_match(_("H200 figure"))
else:
    tables |= drill.chart(page, drilled, "stage", stages, lambda stage: charts.pipeline(pipe, selected=stage),
                          pipe, "overview-pipeline", cards.PIPE_COLUMNS, ui.FIGURE_COLUMNS,
                          alt=lambda: alt_text.pipeline(pipe))

if page.full:
    st.subheader(_("Latest events"))
    events = queries.events(page.filters, page.version)
    if events.empty:
        ui.no_match(_("event"))
    else:
        cards.latest_events(events.tail(6).iloc[::-1])
    gaps.section(page.filters, page.version, compact=True)
    code_view.section(page, {"overview-pipeline": snippets.VIEWS["pipeline"]})
ui.finish(page, tables)
