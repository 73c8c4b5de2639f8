"""Pure chart builders: a DataFrame in, a plotly Figure out; no Streamlit, no database.

Honesty rules drawn into every chart: a bound is shown as a symbol in the label and a marker
shape (≥ open-ended triangle, ≤ down triangle, ≈ diamond, range as an error bar); a figure the
source says did not happen is written out, never drawn as a 0 bar; a figure shared by several
companies says so. Plotly renders some HTML in text, so every data string is escaped first.

By family: common (escaping, layout, hover, symbols), bars, timelines (one mark per report),
reports (conflicting reports), bins (above the mark budget). Callers use `tracker.charts.<name>`.
"""
from tracker.charts.bars import against_threshold, company_reports, normalised, pipeline, scenario, vline
from tracker.charts.bins import (GRAINS, LABELLED_MARKS, bin_hover, marks_note, over_time_bins,
                                 timeline_bins)
from tracker.charts.common import (BOUND_SYMBOL, GRADE_COLOR, LOG_TICKS, TIME_SYMBOL, empty, esc, graded,
                                   picks, revised)
from tracker.charts.reports import report_bins, reports
from tracker.charts.timelines import add_event_lines, other_chip_labels, over_time, timeline, timeline_rows

__all__ = ["BOUND_SYMBOL", "GRADE_COLOR", "GRAINS", "LABELLED_MARKS", "LOG_TICKS", "TIME_SYMBOL",
           "add_event_lines", "against_threshold", "bin_hover", "company_reports", "empty", "esc", "graded",
           "marks_note", "normalised", "other_chip_labels", "over_time", "over_time_bins", "picks", "pipeline",
           "report_bins", "reports", "revised", "scenario", "timeline", "timeline_bins", "timeline_rows", "vline"]
