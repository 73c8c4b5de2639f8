"""Orders vs approvals vs stock: the pipeline by stage, every report over time, per company."""
import streamlit as st

from tracker import cards, charts, marks_view, paging, queries, ui

page = ui.start("Orders vs approvals vs stock",
                "Every reported H200 quantity by stage. The headline per stage is the latest "
                "report; all the others stay visible below.")
tables: ui.Tables = {}
hidden = queries.hidden_market_wide(page.filters, page.version)
if hidden:
    st.info(f"{hidden} market-wide figures name no company and are hidden by the company "
            "filter. Clear it to see them.", icon=":material/info:")

st.subheader("Pipeline by stage (headline per stage)")
pipe = queries.pipeline(page.filters, page.version)
if pipe.empty:
    ui.no_match("H200 figure")
else:
    tables |= ui.chart_block(lambda: charts.pipeline(pipe), pipe, "pipeline-by-stage", page, cards.PIPE_COLUMNS)

st.subheader("Every report over time")
if not queries.row_count("figures", page.filters, page.version):
    ui.no_match("figure")
else:  # one mark per report within the mark budget, else bins (tracker/marks_view.py)
    tables |= marks_view.over_time(page, queries.events(page.filters, page.version))

st.subheader("Conflicting and repeated reports")
shown = marks_view.conflicts(
    page, ["chip", "stage_label", "measure", "companies", "unit"],
    "Every report of quantities reported more than once", "reported value (see unit in the row name)",
    ui.FIGURE_COLUMNS + ["reports", "spread", "headline", "headline_rule"],
    caption="Each report of the same quantity (same chip, stage, measure, unit and parties) as its "
            "own point. The ringed one is the headline: latest as-of date, then latest "
            "publication, then best grade. Spread = largest ÷ smallest value (DERIVED; "
            "bounded values make it indicative only).")
if shown is None:
    ui.no_match("quantity reported by more than one source")
else:
    tables |= shown

st.subheader("Per company")
if not (n_named := queries.row_count("named_figures", page.filters, page.version)):
    ui.no_match("company-level figure")
else:
    st.caption("A figure shared by several companies appears once, labelled shared; no "
               "source gives a per-company split of it.")
    box = st.expander(f"The {n_named:,} figures that name a company", key="per_company_open",
                      on_change="rerun", icon=":material/table_view:")
    if box.open:  # lazy (issue 10): below the fold, its rows reach the browser when asked for
        with box:
            paging.paged_table("named_figures", "per-company", page, ui.FIGURE_COLUMNS, with_download=False)
ui.finish(page, tables)
