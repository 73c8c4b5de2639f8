"""Every SQL statement the dashboard runs, each a named function of (filters, build version).

The numbers themselves are defined once, in etl/views.sql (filtered_* and derived_* table
macros), and read alike by these functions and by the Explore SQL page; the filters reach them
through the one compiler in tracker/filter_sql.py. Values go in only as bound parameters.
Results are small aggregates, cached per (filters, build version) so a new build shows on the
next rerun.

By page area: common (the cache, the run's words, vocabulary, options, build info, revision
notes), figures (the pages' rows and derived numbers, the drill-down), changelog (what changed,
how current the data is, what is expected), scale (marks within a budget, tables a page at a
time, CSVs in batches, the chip-count choices). Callers keep `queries.<name>`.
"""
from tracker.filters import Filters  # noqa: F401  (callers build filters from here too)
from tracker.queries.changelog import change_counts, change_log, currency, expected_reports, stage_currency
from tracker.queries.common import (build_files, build_info, localised, options, revision_notes,
                                    vocabulary)
from tracker.queries.figures import (company_reports, drill_reports, events, figure_reports, figures,
                                     hidden_market_wide, normalised, pipeline, policy_terms, reported_ratios,
                                     sources, spec_reports, specs, subject_vs_reference, thresholds)
from tracker.queries.scale import (BATCH_ROWS, CHOICES, MARK_BUDGET, PAGE_SIZE, REPORT_BUDGET, chip_count_choices,
                                   chip_count_total, chip_counts, cited_sources, figure_grain, figure_time_bins,
                                   report_bins, report_groups, report_headlines, row_batches, row_count, rows_page)

__all__ = [
    "BATCH_ROWS", "CHOICES", "MARK_BUDGET", "PAGE_SIZE", "REPORT_BUDGET", "Filters", "build_files", "build_info",
    "change_counts", "change_log", "chip_count_choices", "chip_count_total", "chip_counts", "cited_sources",
    "company_reports", "currency", "drill_reports", "events", "expected_reports", "figure_grain", "figure_reports",
    "figure_time_bins", "figures", "hidden_market_wide", "localised", "normalised", "options", "pipeline",
    "policy_terms", "report_bins", "report_groups", "report_headlines", "reported_ratios", "revision_notes",
    "row_batches", "row_count", "rows_page", "sources", "spec_reports", "specs", "stage_currency",
    "subject_vs_reference", "thresholds", "vocabulary",
]
