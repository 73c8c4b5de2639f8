"""Orders vs approvals vs stock: the pipeline by stage, then every report over time, conflicting
reports and per company as tabs (only the open one runs, tracker/sections.py)."""
import streamlit as st

from tracker import alt_text, cards, charts, code_view, drill, labels, marks_view, paging, queries, sections, snippets, ui
from tracker.i18n import N_, _, ngettext

page = ui.start(N_("Orders vs approvals vs stock"),
                N_("Every reported H200 quantity by stage. The headline per stage is the latest "
                   "report; all the others stay visible below."))
tables: ui.Tables = {}
stages = drill.pipeline_stages(page)
drilled = drill.current({"stage": stages, "company": page.options.companies})  # ?drill=, validated
hidden = queries.hidden_market_wide(page.filters, page.version)
if hidden and page.full:  # an embedded view (tracker/embed.py) is one chart or table alone
    st.info(ngettext("{n} market-wide figure names no company and is hidden by the company filter. "
                     "Clear it to see it.",
                     "{n} market-wide figures name no company and are hidden by the company filter. "
                     "Clear it to see them.", hidden).format(n=hidden), icon=":material/info:")

ui.heading(_("Pipeline by stage (headline per stage)"))
pipe = queries.pipeline(page.filters, page.version)
if pipe.empty:
    ui.no_match(_("H200 figure"))
else:
    tables |= drill.chart(page, drilled, "stage", stages, lambda stage: charts.pipeline(pipe, selected=stage),
                          pipe, "pipeline-by-stage", cards.PIPE_COLUMNS, ui.FIGURE_COLUMNS,
                          alt=lambda: alt_text.pipeline(pipe))

# the later sections are tabs: a filter change redraws the open one's chart, not all three
ui.heading(_("Every report behind the headlines"))
tab = sections.tabs(page.name, {"over-time": _("Over time"),  # short labels: three fit a phone's width
                                "conflicts": _("Conflicting reports"),
                                "per-company": _("Per company")},
                    follow=(drilled.param, "per-company") if drilled and drilled.kind == "company" else None)
if tab["over-time"]:
    with tab["over-time"]:
        if not queries.row_count("figures", page.filters, page.version):
            ui.no_match(_("figure"))
        else:  # one mark per report within the mark budget, else bins (tracker/marks_view.py)
            tables |= marks_view.over_time(page, queries.events(page.filters, page.version))

if tab["conflicts"]:
    with tab["conflicts"]:
        shown = marks_view.conflicts(
            page, ["chip", "stage_label", "measure", "companies", "unit"],
            _("Every report of quantities reported more than once"), _("reported value (see unit in the row name)"),
            ui.FIGURE_COLUMNS + ["reports", "spread", "headline", "headline_rule"],
            caption=_("Each report of the same quantity (same chip, stage, measure, unit and parties) as its "
                      "own point. The ringed one is the headline: latest as-of date, then latest "
                      "publication, then best grade. Spread = largest ÷ smallest value (DERIVED; "
                      "bounded values make it indicative only)."))
        if shown is None:
            ui.no_match(_("quantity reported by more than one source"))
        else:
            tables |= shown

if tab["per-company"]:
    with tab["per-company"]:
        if not (n_named := queries.row_count("named_figures", page.filters, page.version)):
            ui.no_match(_("company-level figure"))
        else:
            tables |= drill.company_chart(page, drilled)
            ui.note(_("A figure shared by several companies appears once, labelled shared; no "
                      "source gives a per-company split of it."))
            if page.full:  # the figures' table is not a view an embed shows
                box = st.expander(ngettext("The {n} figure that names a company",
                                           "The {n} figures that name a company",
                                           n_named).format(n=labels.integer(n_named)), key="per_company_open",
                                  on_change="rerun", icon=":material/table_view:")
                if box.open:  # lazy (issue 10): its rows reach the browser when asked for
                    with box:
                        paging.paged_table("named_figures", "per-company", page, ui.FIGURE_COLUMNS,
                                           with_download=False)
if page.full:
    code_view.section(page, {"pipeline-by-stage": snippets.VIEWS["pipeline"]})
ui.finish(page, tables)
