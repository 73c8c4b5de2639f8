"""Charts of every report at any size (issue 10): each draws one mark per report while the
reports fit the mark budget, and bins (etl/views.sql derived_figure_time_bins,
derived_figure_report_bins) above it, saying on the chart how many reports a mark stands for.
The chart's CSV is the rows it draws (the bins, when binned); the rows a binned chart stands
for are one click away, written on click.

Below the budget nothing changes: the chart, its table and CSV are what they were (for the
over-time chart, every filtered figure while there are at most MARK_BUDGET of them).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from tracker import alt_text, charts, labels, paging, queries, ui
from tracker.i18n import N_, _

BIN_COLUMNS = ["stage", "stage_label", "bound", "reported", "grain", "bin_start", "bin_end", "reports",
               "value_min", "value_max", "unit", "first_as_of", "last_as_of", "chips", "sources",
               "publishers", "grades", "shared_reports", "revised_reports", "derived"]
REPORT_BIN_COLUMNS = ["chip", "stage", "stage_label", "measure", "unit", "companies", "quantity_reports",
                      "spread", "grade", "bound", "reported", "reports", "value_min", "value_max",
                      "first_as_of", "last_as_of", "sources", "headline", "headline_id", "headline_rule",
                      "derived"]
TIMELINE_BIN_COLUMNS = ["kind", "id", "date", "what", "category", "reported", "reports", "value_min",
                        "value_max", "unit", "bound", "companies", "publisher", "grade", "url", "quote",
                        "source_id"]


def bins_note(grain: dict, what: str = N_("reports")) -> str:
    return _("{n} {what}, more than the {budget} marks a chart draws one by one: each mark stands for "
             "the reports of one stage and bound in one {grain} (×n on the mark, and in its hover with "
             "the sources). A mark of lower bounds sits at the largest (≥), of upper bounds at the "
             "smallest (≤); its bar spans every value it stands for. Nothing is summed. The CSV holds "
             "the marks; the rows button, every report.").format(
                 n=labels.integer(grain["reports"]), what=_(what), budget=labels.integer(grain["budget"]),
                 grain=_(grain["grain"]))


def over_time(page: ui.Page, events: pd.DataFrame, name: str = "figures-over-time") -> ui.Tables:
    """Every report over time: all filtered figures while they fit the budget (as ever), their
    chip counts one by one while those fit, else bins per stage, bound and period."""
    f, version = page.filters, page.version
    total = queries.row_count("figures", f, version)
    if total <= queries.MARK_BUDGET:
        figs = queries.figures(f, version)
        return ui.chart_block(lambda: charts.over_time(figs, events), figs, name, page, ui.FIGURE_COLUMNS,
                              alt=lambda: alt_text.over_time(figs, events))
    every = paging.streamed("figures", page, ui.FIGURE_COLUMNS)
    grain = queries.figure_grain(f, version)
    if grain["grain"] == "report":
        counts = queries.chip_counts(f, version)
        return ui.chart_block(lambda: charts.over_time(counts, events), counts, name, page, ui.FIGURE_COLUMNS,
                              note=_("The {n} chip counts among {total} figures, one mark each.").format(
                                  n=labels.integer(len(counts)), total=labels.integer(total)),
                              underlying=every, alt=lambda: alt_text.over_time(counts, events))
    bins = queries.figure_time_bins(f, grain["grain"], version)
    return ui.chart_block(lambda: charts.over_time_bins(bins, events, grain), bins, name, page, BIN_COLUMNS,
                          date_col=None, note=bins_note(grain), underlying=every,
                          alt=lambda: alt_text.over_time_bins(bins, events, grain))


def timeline(page: ui.Page, events: pd.DataFrame, name: str = "timeline") -> ui.Tables:
    """Events with the chip counts above them: one mark per report within the budget, else bins."""
    f, version = page.filters, page.version
    grain = queries.figure_grain(f, version)
    if grain["grain"] == "report":
        counts = queries.chip_counts(f, version)
        rows = charts.timeline_rows(events, counts)
        return ui.chart_block(lambda: charts.timeline(events, counts), rows, name, page, list(rows.columns),
                              date_col="date", alt=lambda: alt_text.timeline(events, counts))
    bins = queries.figure_time_bins(f, grain["grain"], version)
    rows = timeline_bin_rows(events, bins)
    return ui.chart_block(lambda: charts.timeline_bins(events, bins, grain), rows, name, page, TIMELINE_BIN_COLUMNS,
                          date_col="date", note=bins_note(grain, N_("chip counts")),
                          underlying=paging.streamed("figures", page, ui.FIGURE_COLUMNS),
                          alt=lambda: alt_text.timeline_bins(events, bins, grain))


def timeline_bin_rows(events: pd.DataFrame, bins: pd.DataFrame) -> pd.DataFrame:
    """Exactly what the binned timeline draws: every event, and every bin (DERIVED)."""
    ev = events.assign(kind="event", id=events["event_id"], what=events["title"])
    bn = bins.assign(kind="bin (DERIVED)", id=[f"{r['stage']}/{r['bound']}/{r['bin_start']:%Y-%m-%d}"
                                               for r in bins.to_dict("records")],
                     date=bins["bin_start"], what=bins["stage_label"], publisher=bins["publishers"],
                     grade=bins["grades"])
    both = pd.concat([ev.reindex(columns=TIMELINE_BIN_COLUMNS), bn.reindex(columns=TIMELINE_BIN_COLUMNS)],
                     ignore_index=True)
    both["date"] = pd.to_datetime(both["date"])
    return both.sort_values(["date", "kind", "id"], ignore_index=True)


def conflicts(page: ui.Page, group: list[str], title: str, axis: str, columns: list[str],
              caption: str, name: str = "conflicting-reports") -> ui.Tables | None:
    """Quantities reported more than once: every report while they fit REPORT_BUDGET (as ever,
    under `caption`), else per quantity, grade and bound. None when no quantity is reported
    twice."""
    f, version = page.filters, page.version
    groups = queries.report_groups(f, version)
    if groups.empty:
        return None
    total = int(groups["reports"].sum())
    if total <= queries.REPORT_BUDGET:
        ui.note(caption)  # the page's words, not the chart's (none in an embed)
        reports = queries.figure_reports(f, version)
        return ui.chart_block(lambda: charts.reports(reports, group, labels.value, title, axis, log=True),
                              reports, name, page, columns, alt=lambda: alt_text.reports(reports, group))
    bins = queries.report_bins(f, version)
    headlines = queries.report_headlines(f, version)
    note = _("{n} reports of {k} quantities, more than the {budget} this chart draws one by one: each "
             "mark stands for one quantity's reports of one grade and bound (×n), at the largest of lower "
             "bounds or the smallest of upper bounds, its bar over every value; the ring is the headline "
             "report itself. The CSV holds the marks; the rows button, every filtered figure.").format(
                 n=labels.integer(total), k=labels.integer(len(groups)), budget=labels.integer(queries.REPORT_BUDGET))
    return ui.chart_block(lambda: charts.report_bins(bins, headlines, group, title, axis), bins, name, page,
                          REPORT_BIN_COLUMNS, date_col=None, note=note,
                          underlying=paging.streamed("figures", page, ui.FIGURE_COLUMNS),
                          alt=lambda: alt_text.report_bins(bins, group))
