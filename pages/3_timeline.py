"""Timeline: events by category on a time axis, with the reported figures above them."""
import streamlit as st

from tracker import cards, marks_view, queries, ui
from tracker.i18n import N_, _

page = ui.start(N_("Timeline"),
                N_("US and Chinese policy, company and diplomatic events, with reported H200-era "
                   "quantities on the same time axis."))
events = queries.events(page.filters, page.version)
if events.empty and not queries.row_count("figures", page.filters, page.version):
    ui.no_match(_("event or figure"))
    ui.finish(page, {})  # an embedded view says it is not here
    st.stop()
tables = marks_view.timeline(page, events)  # one mark per report within the budget, else bins
ui.note(_("Events that name no company (policy, diplomacy) stay visible under a company filter "
          "as context; events that name companies show only for the selected ones."))

ui.heading(_("The events, latest first ({n})").format(n=len(events)))
if events.empty:
    ui.no_match(_("event"))
else:
    ui.table(cards.event_rows(events))
ui.finish(page, tables)
