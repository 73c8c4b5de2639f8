"""At any size (issue 10): charts within a mark budget (bins above it), tables a page at a time,
CSVs in batches, and the Compute page's bounded chip-count choices."""
from __future__ import annotations

import pandas as pd

from tracker import db, labels
from tracker.filter_sql import call
from tracker.filters import Filters
from tracker.queries.common import cached, query, run, with_reported, with_revised

# --- At any size (issue 10): marks within a budget, tables a page at a time, CSVs in batches ----
# A chart draws at most MARK_BUDGET marks (REPORT_BUDGET reports one by one in the conflict
# chart); above that it draws the bins etl/views.sql makes from figure_cells. A table sends
# PAGE_SIZE rows to the browser; its CSV is written BATCH_ROWS at a time.
MARK_BUDGET = 500
REPORT_BUDGET = 300
PAGE_SIZE = 50
BATCH_ROWS = 50_000

# Tables shown a page at a time: name -> (macro, ORDER BY, how the full query's rows are
# finished). Names and orders are code, never input; figures page through their own macro.
_PAGED = {
    "figures": ("filtered_figure_page", "", lambda df: with_reported(df)),
    "named_figures": ("filtered_figure_page", "", lambda df: with_reported(df)),
    "events": ("filtered_events", " ORDER BY date, event_id", lambda df: df),
    "specs": ("filtered_specs", " ORDER BY vendor, chip, metric, derived, spec_id", lambda df: df),
    "ratios": ("filtered_ratios", "", lambda df: with_reported(df, after="basis", say=labels.ratio)),
    "terms": ("filtered_terms", "", lambda df: df),
}


@cached
def row_count(name: str, f: Filters, version: db.Version) -> int:
    """How many rows table `name` (_PAGED) has under the filters; figures count their cells."""
    macro, _order, _finish = _PAGED[name]
    if macro == "filtered_figure_page":
        sql, params = call("filtered_figure_count", f, named_only=name == "named_figures")
        return int(query(sql, params, version=version).figures.iloc[0])
    sql, params = call(macro, f)
    return int(query("SELECT count(*) AS n FROM (" + sql + ")", params, version=version).n.iloc[0])


def _page(name: str, f: Filters, version: db.Version, offset: int, size: int) -> pd.DataFrame:
    macro, order, finish = _PAGED[name]
    if macro == "filtered_figure_page":
        sql, params = call(macro, f, page_offset=int(offset), page_size=int(size),
                           named_only=name == "named_figures")
        frame = query(sql, params, version=version).drop(columns="row_number")
    else:
        sql, params = call(macro, f)
        frame = query(sql + order + " LIMIT $page_size OFFSET $page_offset",
                      {**params, "page_size": int(size), "page_offset": int(offset)}, version=version)
    return finish(with_revised(frame, version))


@cached
def rows_page(name: str, f: Filters, version: db.Version, offset: int, size: int = PAGE_SIZE) -> pd.DataFrame:
    """Rows offset+1 … offset+size of table `name`, in its order, finished as the full query's
    rows are (reported, revised): what the screen shows of a table."""
    return _page(name, f, version, offset, size)


def row_batches(name: str, f: Filters, version: db.Version, size: int | None = None):
    """Every row of table `name`, BATCH_ROWS at a time, in its order: what its CSV is written
    from. Not cached (a million rows would stay in the cache); always yields at least one
    frame, so an empty table still has its header."""
    total, offset, size = row_count(name, f, version), 0, size or BATCH_ROWS
    while True:
        frame = _page(name, f, version, offset, size)
        yield frame
        offset += len(frame)
        if frame.empty or offset >= total:
            return


@cached
def cited_sources(name: str, f: Filters, version: db.Version) -> pd.DataFrame:
    """The sources table `name`'s rows cite (source_id, publisher, grade): for its citation,
    without reading every row (figures read their cells)."""
    macro, _order, _finish = _PAGED[name]
    if macro == "filtered_figure_page":
        sql, params = call("filtered_figure_cells", f)
        if name == "named_figures":
            sql += " WHERE n_companies > 0"
    else:
        sql, params = call(macro, f)
    return query("SELECT s.source_id, s.publisher, s.grade FROM source_rows s WHERE s.source_id IN "
                 "(SELECT source_id FROM (" + sql + ")) ORDER BY s.source_id", params, version=version)


@cached
def figure_grain(f: Filters, version: db.Version, budget: int = MARK_BUDGET) -> dict:
    """How the "every report over time" charts draw the filtered chip counts within `budget`
    marks: {'reports', 'grain' ('report' or month/quarter/year), 'marks', 'budget'}."""
    sql, params = call("derived_figure_grain", f, budget=int(budget))
    return query(sql, params, version=version).iloc[0].to_dict()


@cached
def chip_counts(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every filtered figure with a chip count, as the over-time charts draw them one by one
    (only asked for when figure_grain says 'report')."""
    return with_reported(run("filtered_figures", f, version,
                             " WHERE unit = 'chips' AND value IS NOT NULL"
                             " ORDER BY as_of_date, stage, figure_id"))


def _with_bin_words(frame: pd.DataFrame) -> pd.DataFrame:
    """A bins frame with `reported`, each bin's claim in words, after its bound symbol."""
    frame.insert(frame.columns.get_loc("bound_symbol") + 1, "reported",
                 pd.Series([labels.bin_value(r) for r in frame.to_dict("records")], index=frame.index,
                           dtype="str"))
    return frame


@cached
def figure_time_bins(f: Filters, grain: str, version: db.Version) -> pd.DataFrame:
    """DERIVED: the filtered chip counts per stage, bound and month/quarter/year, each bin with
    how many reports it stands for and the range of their values (views.sql
    derived_figure_time_bins); `reported` says the bin's claim in words."""
    sql, params = call("derived_figure_time_bins", f, grain=grain)
    return _with_bin_words(query(sql, params, version=version))


@cached
def report_groups(f: Filters, version: db.Version) -> pd.DataFrame:
    """Quantities reported more than once, one row each, with how many reports (cells)."""
    sql, params = call("derived_figure_report_groups", f)
    return query(sql, params, version=version)


@cached
def report_bins(f: Filters, version: db.Version) -> pd.DataFrame:
    """DERIVED: those reports per quantity, grade and bound, with their count and range."""
    sql, params = call("derived_figure_report_bins", f)
    return _with_bin_words(query(sql, params, version=version))


@cached
def report_headlines(f: Filters, version: db.Version) -> pd.DataFrame:
    """The headline report of each quantity reported more than once, in full."""
    rows, params = call("filtered_figures", f)
    groups, _params = call("derived_figure_report_groups", f)
    return with_reported(with_revised(query(
        rows + " WHERE figure_id IN (SELECT headline_id FROM (" + groups + ")) ORDER BY stage_order, figure_id",
        params, version=version), version))


CHOICES = 200  # chip counts the Compute page offers to pick from


@cached
def chip_count_choices(f: Filters, version: db.Version, n: int = CHOICES) -> pd.DataFrame:
    """The chip counts an analyst picks from: the n latest, and the subject chip's latest."""
    return with_reported(run("filtered_chip_count_choices", f, version, n=int(n)))


@cached
def chip_count_total(f: Filters, version: db.Version) -> int:
    """How many filtered figures are chip counts (of which chip_count_choices offers n)."""
    sql, params = call("filtered_figure_cells", f)
    return int(query("SELECT coalesce(sum(valued), 0)::BIGINT AS n FROM (" + sql + ") "
                     "WHERE unit_kind = 'chip_count'", params, version=version).n.iloc[0])
