"""Orders vs approvals vs stock: the pipeline by stage, every report over time, per company."""
import streamlit as st

from tracker import cards, charts, labels, queries, ui

page = ui.start("Orders vs approvals vs stock",
                "Every reported H200 quantity by stage. The headline per stage is the latest "
                "report; all the others stay visible below.")
tables: ui.Tables = {}
figs = queries.figures(page.filters, page.version)
hidden = queries.hidden_market_wide(page.filters, page.version)
if hidden:
    st.info(f"{hidden} market-wide figures name no company and are hidden by the company "
            "filter. Clear it to see them.", icon=":material/info:")

st.subheader("Pipeline by stage (headline per stage)")
pipe = queries.pipeline(page.filters, page.version)
if pipe.empty:
    ui.no_match("H200 figure")
else:
    tables |= ui.chart_block(charts.pipeline(pipe), pipe, "pipeline-by-stage", page, cards.PIPE_COLUMNS)

st.subheader("Every report over time")
if figs.empty:
    ui.no_match("figure")
else:
    events = queries.events(page.filters, page.version)
    tables |= ui.chart_block(charts.over_time(figs, events), figs, "figures-over-time", page, ui.FIGURE_COLUMNS)

st.subheader("Conflicting and repeated reports")
reports = queries.figure_reports(page.filters, page.version)
if reports.empty:
    ui.no_match("quantity reported by more than one source")
else:
    st.caption("Each report of the same quantity (same chip, stage, measure, unit and parties) as its "
               "own point. The ringed one is the headline: latest as-of date, then latest "
               "publication, then best grade. Spread = largest ÷ smallest value (DERIVED; "
               "bounded values make it indicative only).")
    fig = charts.reports(reports,
                         ["chip", "stage_label", "measure", "companies", "unit"], labels.value,
                         "Every report of quantities reported more than once",
                         "reported value (see unit in the row name)", log=True)
    tables |= ui.chart_block(fig, reports, "conflicting-reports", page, ui.FIGURE_COLUMNS + ["reports", "spread", "headline", "headline_rule"])

st.subheader("Per company")
named = figs[figs["n_companies"] > 0]
if named.empty:
    ui.no_match("company-level figure")
else:
    st.caption("A figure shared by several companies appears once, labelled shared; no "
               "source gives a per-company split of it.")
    ui.table(named[ui.FIGURE_COLUMNS + ui.SOURCE_COLUMNS])
ui.finish(page, tables)
