"""Every SQL statement the dashboard runs, each a named function of (filters, build version).

The numbers themselves are defined once, in etl/views.sql (filtered_* and derived_* table
macros), and read alike by these functions and by the Explore SQL page; the filters reach them
through the one compiler in tracker/filter_sql.py. Values go in only as bound parameters.
Results are small aggregates, cached per (filters, build version) so a new build shows on the
next rerun.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

import pandas as pd
import streamlit as st

from tracker import changes, db, i18n, labels
from tracker.i18n import N_, _
from tracker.filter_sql import call, without_companies
from tracker.filters import Filters, Options
from tracker.vocabulary import Vocabulary

_CACHE = dict(ttl=600, max_entries=512, show_spinner=False)
_VOCAB_TABLES = {  # Vocabulary field -> (table, key, order)
    "stages": ("stages", "stage", "stage_order"), "bounds": ("bounds", "bound", "bound_order"),
    "units": ("units", "unit", "unit"), "categories": ("categories", "category", "category"),
    "grades": ("grades", "grade", "grade_order"),
    "spec_metrics": ("spec_metrics", "metric", "metric_order"),
    "term_metrics": ("term_metrics", "metric", "metric"),
}
_VOCAB_SQL = {  # fixed statements: table names are code, never input
    "stages": "SELECT * FROM stages ORDER BY stage_order",
    "bounds": "SELECT * FROM bounds ORDER BY bound_order",
    "units": "SELECT * FROM units ORDER BY unit",
    "categories": "SELECT * FROM categories ORDER BY category",
    "grades": "SELECT * FROM grades ORDER BY grade_order",
    "spec_metrics": "SELECT * FROM spec_metrics ORDER BY metric_order",
    "term_metrics": "SELECT * FROM term_metrics ORDER BY metric",
}


def _cached(fn):
    """st.cache_data keyed by the run's language as well as the arguments: the results carry
    words (stage and bound labels, `reported`, `revised`) in that language."""
    def keyed(lang: str, *args, **kwargs):
        return fn(*args, **kwargs)

    keyed.__module__, keyed.__qualname__ = fn.__module__, fn.__qualname__  # the cache's own key
    cached = st.cache_data(**_CACHE)(keyed)

    @functools.wraps(fn)
    def call_in_language(*args, **kwargs):
        return cached(i18n.lang(), *args, **kwargs)
    call_in_language.clear = cached.clear
    return call_in_language


# Vocabulary words the views carry in rows (etl/views.sql joins them in), translated through
# the catalog (the data's CSVs stay English; babel.cfg extracts their words).
LABEL_COLUMNS = ("stage_label", "bound_label", "category_label", "grade_label", "metric_label",
                 "unit_suffix", "unit_prefix", "label")
VOCAB_WORDS = ("label", "definition", "filter_label", "source_words", "shown_as", "suffix", "prefix")
# The few phrases etl/views.sql writes itself (headline_rule(), ratio_note(), source_rows'
# "X, as relayed by Y"): English there, like the CSVs; translated here by exact text or pattern.
SQL_PHRASES = (N_("a chip count first, then another number, then “none reported”, then reports without a "
                  "number; among those the latest as-of date, then the latest publication, then the best "
                  "source grade"),
               N_("best source grade, then first id"), N_("exact inputs"),
               N_("ratio of approximate values: approximate"))
SQL_PATTERNS = {  # column -> (pattern of the SQL's English, the message it becomes)
    "ratio_note": (re.compile(r"^inputs carry bounds \((?P<a>.*) / (?P<b>.*)\): the ratio has no bound of its own$"),
                   N_("inputs carry bounds ({a} / {b}): the ratio has no bound of its own")),
    **dict.fromkeys(("publisher", "publishers", "ref_publisher"),
                    (re.compile(r"(?P<original>[^;]*?), as relayed by (?P<reader>[^;]*)"),
                     N_("{original}, as relayed by {reader}"))),
}
TEXT_COLUMNS = ("headline_rule", "ratio_note")
PUBLISHER = re.compile(r"publishers?$")  # publisher, latest_publisher, ref_publisher, publishers, ...


def _phrase(column: str, value):
    if not isinstance(value, str):
        return value
    if column in SQL_PATTERNS or PUBLISHER.search(column):
        pattern, message = SQL_PATTERNS.get(column, SQL_PATTERNS["publisher"])
        value = pattern.sub(lambda m: _(message).format(**m.groupdict()), value)
        if PUBLISHER.search(column) and value.startswith("DERIVED: "):  # spec_rows' derived specs
            value = _("DERIVED: {publishers}").format(publishers=value[len("DERIVED: "):])
    return _(value) if column in TEXT_COLUMNS else value


def _word(value):
    """A vocabulary word translated, its padding kept (unit suffixes read " chips")."""
    if not isinstance(value, str) or not value.strip():
        return value
    word = value.strip()
    return value.replace(word, _(word), 1)


def _localised(df: pd.DataFrame) -> pd.DataFrame:
    """A query's rows with their vocabulary words in the run's language (English: as stored)."""
    if i18n.lang() == i18n.DEFAULT:
        return df
    for col in LABEL_COLUMNS:
        if col in df.columns and (pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object):
            words = {v: _word(v) for v in df[col].dropna().unique() if isinstance(v, str)}
            df[col] = df[col].map(lambda v: words.get(v, v))
    for col in [c for c in df.columns if c in SQL_PATTERNS or c in TEXT_COLUMNS or PUBLISHER.search(c)]:
        if col in df.columns and (pd.api.types.is_string_dtype(df[col]) or df[col].dtype == object):
            words = {v: _phrase(col, v) for v in df[col].dropna().unique()}
            df[col] = df[col].map(lambda v: words.get(v, v))
    return df


def _query(sql: str, params=None, *, version: db.Version) -> pd.DataFrame:
    return _localised(db.query(sql, params, version=version))


def _with_reported(df: pd.DataFrame, after: str = "metric", say=labels.value) -> pd.DataFrame:
    """Add `reported`, the number as a reader says it ("≥ 400,000 chips", "none reported",
    "≈ 6×"), after column `after`: the raw value column alone shows an empty cell for
    none_reported and no bound."""
    df.insert(df.columns.get_loc(after) + 1, "reported",
              pd.Series([say(r) for r in df.to_dict("records")], index=df.index, dtype="str"))
    return df


def _run(macro: str, f: Filters, version: db.Version, order: str = "", **extra) -> pd.DataFrame:
    sql, params = call(macro, f, **extra)
    return _with_revised(_query(sql + order, params, version=version), version)


@_cached
def vocabulary(version: db.Version) -> Vocabulary:
    """Stages, bounds, units, categories, grades, metrics and chip roles, as the data defines them."""
    parts = {}
    for name, (_table, key, _order) in _VOCAB_TABLES.items():
        frame = db.query(_VOCAB_SQL[name], version=version)
        parts[name] = {row[key]: {k: (None if pd.isna(v) else _word(v) if k in VOCAB_WORDS else v)
                                  if not isinstance(v, (list, dict)) else v
                                  for k, v in row.items()} for row in frame.to_dict("records")}
    roles = db.query("SELECT role, list(chip_id ORDER BY chip_id) AS chips FROM chip_roles GROUP BY role",
                     version=version)
    return Vocabulary(**parts, roles={r: tuple(c) for r, c in zip(roles.role, roles.chips)})


@_cached
def options(version: db.Version) -> Options:
    companies = _query("SELECT company_id, name FROM companies ORDER BY name", version=version)
    chips = _query("SELECT chip_id, name FROM chips ORDER BY vendor, name", version=version)
    grades = _query("SELECT grade, filter_label FROM grades ORDER BY grade_order", version=version)
    span = _query("""
        SELECT min(d) AS first, max(d) AS last FROM (   -- figure_cells: every figure's date, any size
            SELECT as_of_date AS d FROM figure_cells UNION ALL SELECT date FROM events)
    """, version=version).iloc[0]
    today = dt.date.today()
    return Options(dict(zip(companies.company_id, companies.name)),
                   dict(zip(chips.chip_id, chips.name)),
                   span["first"].date() if pd.notna(span["first"]) else today,
                   span["last"].date() if pd.notna(span["last"]) else today,
                   dict(zip(grades.grade, map(_word, grades.filter_label))))


@_cached
def build_info(version: db.Version) -> dict:
    row = _query("""
        SELECT any_value(build_id) AS build_id, max(built_at) AS built_at,
               (SELECT max(as_of_date) FROM figure_cells) AS latest_as_of,
               (SELECT max(date) FROM events) AS latest_event
        FROM build_info
    """, version=version).iloc[0]
    return row.to_dict()


@_cached
def build_files(version: db.Version) -> pd.DataFrame:
    return _query("SELECT table_name, file_name, row_count, sha256 FROM build_info "
                    "ORDER BY table_name", version=version)


@_cached
def figures(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every trade figure the filters let through, with its parties and source."""
    return _with_reported(_run("filtered_figures", f, version,
                               " ORDER BY as_of_date, stage, figure_id"))


@_cached
def hidden_market_wide(f: Filters, version: db.Version) -> int:
    """How many figures name no company and so drop out when a company filter is set."""
    if not f.companies:
        return 0
    sql, params = call("filtered_figure_count", without_companies(f))  # the cells: any size
    return int(_query(sql, params, version=version).market_wide.iloc[0])


@_cached
def pipeline(f: Filters, version: db.Version) -> pd.DataFrame:
    """The pipeline: per stage the headline figure (derived_pipeline) plus how many reports
    of that stage the filters let through."""
    return _with_reported(_run("derived_pipeline", f, version))


@_cached
def events(f: Filters, version: db.Version) -> pd.DataFrame:
    """Events in the date range; policy context (no company named) stays under a company filter."""
    return _run("filtered_events", f, version, " ORDER BY date, event_id")


@_cached
def specs(f: Filters, version: db.Version) -> pd.DataFrame:
    """Spec values of the chosen chips (and the reference chip's, always), DERIVED rows included."""
    return _run("filtered_specs", f, version, " ORDER BY vendor, chip, metric, derived, spec_id")


@_cached
def normalised(f: Filters, metric: str, sparsity: str, version: db.Version) -> pd.DataFrame:
    """DERIVED: each value of `metric` divided by the reference chip's (derived_ratio_to_reference)."""
    return _run("derived_ratio_to_reference", f, version, of_metric=metric, of_sparsity=sparsity)


@_cached
def reported_ratios(f: Filters, version: db.Version) -> pd.DataFrame:
    """Ratios the sources state themselves ("roughly six times the H20"), with their basis
    (the metric named, or not_stated) and source; data, unlike the DERIVED ratios."""
    return _with_reported(_run("filtered_ratios", f, version), after="basis", say=labels.ratio)


@_cached
def policy_terms(f: Filters, version: db.Version) -> pd.DataFrame:
    return _run("filtered_terms", f, version)


@_cached
def thresholds(f: Filters, version: db.Version) -> pd.DataFrame:
    """The export-rule terms that limit a chip spec (term_metrics.spec_metric), with sources."""
    terms = policy_terms(f, version)
    return terms[terms["spec_metric"].notna()].sort_values(["metric", "term_id"], ignore_index=True)


@_cached
def sources(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every source with its grade, link, the original it relays, and how many rows cite it."""
    return _run("filtered_sources", f, version)


@_cached
def figure_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Quantities reported more than once: every report, the headline, the DERIVED spread."""
    return _with_reported(_run("derived_figure_reports", f, version))


@_cached
def spec_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Chip metrics reported by more than one source, with spread and the value ratios use."""
    return _run("derived_spec_reports", f, version)


@_cached
def subject_vs_reference(f: Filters, version: db.Version) -> pd.DataFrame:
    """DERIVED: the subject chip ÷ the reference chip, one ratio per metric and sparsity."""
    return _run("derived_subject_vs_reference", f, version)


# --- What changed, and what is not known yet (design.md rules 9 and 10) ---------------------------
@_cached
def revision_notes(version: db.Version) -> dict[tuple[str, str], dict]:
    """(table, row id) -> the row's latest revision day, its revision count and the fields
    revised that day with their old values (views.sql row_revision_notes)."""
    rows = _query("SELECT table_name, row_id, revised_on, revisions, changes FROM row_revision_notes",
                    version=version)
    return {(r["table_name"], r["row_id"]): {"revised_on": r["revised_on"], "revisions": int(r["revisions"]),
                                             "changes": [dict(c) for c in r["changes"]]}
            for r in rows.to_dict("records")}


def _with_revised(df: pd.DataFrame, version: db.Version) -> pd.DataFrame:
    """A page's rows with `revised`: "revised 2026-12-01, was ≥ 75,000 chips", or empty."""
    return changes.annotate(df, revision_notes(version), vocabulary(version).bounds)


@_cached
def change_log(since: dt.date | None, row: str | None, version: db.Version,
               limit: int | None = None) -> pd.DataFrame:
    """Every addition, revision and withdrawal on or after `since` (of one row id, if given),
    newest first (views.sql changes_since); the newest `limit` of them when given (up to
    views.sql change_newest_kept() of every row's, read from what the build kept: any size)."""
    return _query("SELECT * FROM changes_since(since_date := $since, only_row := $row, max_rows := $limit)",
                  {"since": since, "row": row, "limit": limit}, version=version)


@_cached
def change_counts(since: dt.date | None, row: str | None, version: db.Version) -> pd.DataFrame:
    """How many changes change_log holds, per day and kind (changed_on, change, n), newest first."""
    return _query("SELECT * FROM change_counts(since_date := $since, only_row := $row)",
                  {"since": since, "row": row}, version=version)


@_cached
def currency(version: db.Version) -> dict:
    """The newest report, the latest change, What's new's default window and the build time."""
    row = _query("SELECT * FROM data_currency", version=version).iloc[0].to_dict()
    return {k: (None if pd.isna(v) else (v.date() if k != "built_at" and hasattr(v, "date") else v))
            for k, v in row.items()}


@_cached
def stage_currency(f: Filters, version: db.Version) -> pd.DataFrame:
    """Per stage, the date of the latest report the filters let through."""
    return _run("filtered_stage_currency", f, version)


@_cached
def expected_reports(version: db.Version) -> pd.DataFrame:
    """Reports expected or overdue and not yet in the data (data/expected_reports.csv)."""
    return _query("SELECT * FROM expected_report_rows", version=version)


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
    "figures": ("filtered_figure_page", "", lambda df: _with_reported(df)),
    "named_figures": ("filtered_figure_page", "", lambda df: _with_reported(df)),
    "events": ("filtered_events", " ORDER BY date, event_id", lambda df: df),
    "specs": ("filtered_specs", " ORDER BY vendor, chip, metric, derived, spec_id", lambda df: df),
    "ratios": ("filtered_ratios", "", lambda df: _with_reported(df, after="basis", say=labels.ratio)),
    "terms": ("filtered_terms", "", lambda df: df),
}


@_cached
def row_count(name: str, f: Filters, version: db.Version) -> int:
    """How many rows table `name` (_PAGED) has under the filters; figures count their cells."""
    macro, _order, _finish = _PAGED[name]
    if macro == "filtered_figure_page":
        sql, params = call("filtered_figure_count", f, named_only=name == "named_figures")
        return int(_query(sql, params, version=version).figures.iloc[0])
    sql, params = call(macro, f)
    return int(_query("SELECT count(*) AS n FROM (" + sql + ")", params, version=version).n.iloc[0])


def _page(name: str, f: Filters, version: db.Version, offset: int, size: int) -> pd.DataFrame:
    macro, order, finish = _PAGED[name]
    if macro == "filtered_figure_page":
        sql, params = call(macro, f, page_offset=int(offset), page_size=int(size),
                           named_only=name == "named_figures")
        frame = _query(sql, params, version=version).drop(columns="row_number")
    else:
        sql, params = call(macro, f)
        frame = _query(sql + order + " LIMIT $page_size OFFSET $page_offset",
                         {**params, "page_size": int(size), "page_offset": int(offset)}, version=version)
    return finish(_with_revised(frame, version))


@_cached
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


@_cached
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
    return _query("SELECT s.source_id, s.publisher, s.grade FROM source_rows s WHERE s.source_id IN "
                    "(SELECT source_id FROM (" + sql + ")) ORDER BY s.source_id", params, version=version)


@_cached
def figure_grain(f: Filters, version: db.Version, budget: int = MARK_BUDGET) -> dict:
    """How the "every report over time" charts draw the filtered chip counts within `budget`
    marks: {'reports', 'grain' ('report' or month/quarter/year), 'marks', 'budget'}."""
    sql, params = call("derived_figure_grain", f, budget=int(budget))
    return _query(sql, params, version=version).iloc[0].to_dict()


@_cached
def chip_counts(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every filtered figure with a chip count, as the over-time charts draw them one by one
    (only asked for when figure_grain says 'report')."""
    return _with_reported(_run("filtered_figures", f, version,
                               " WHERE unit = 'chips' AND value IS NOT NULL"
                               " ORDER BY as_of_date, stage, figure_id"))


@_cached
def figure_time_bins(f: Filters, grain: str, version: db.Version) -> pd.DataFrame:
    """DERIVED: the filtered chip counts per stage, bound and month/quarter/year, each bin with
    how many reports it stands for and the range of their values (views.sql
    derived_figure_time_bins); `reported` says the bin's claim in words."""
    sql, params = call("derived_figure_time_bins", f, grain=grain)
    frame = _query(sql, params, version=version)
    frame.insert(frame.columns.get_loc("bound_symbol") + 1, "reported",
                 pd.Series([labels.bin_value(r) for r in frame.to_dict("records")], index=frame.index,
                           dtype="str"))
    return frame


@_cached
def report_groups(f: Filters, version: db.Version) -> pd.DataFrame:
    """Quantities reported more than once, one row each, with how many reports (cells)."""
    sql, params = call("derived_figure_report_groups", f)
    return _query(sql, params, version=version)


@_cached
def report_bins(f: Filters, version: db.Version) -> pd.DataFrame:
    """DERIVED: those reports per quantity, grade and bound, with their count and range."""
    sql, params = call("derived_figure_report_bins", f)
    frame = _query(sql, params, version=version)
    frame.insert(frame.columns.get_loc("bound_symbol") + 1, "reported",
                 pd.Series([labels.bin_value(r) for r in frame.to_dict("records")], index=frame.index,
                           dtype="str"))
    return frame


@_cached
def report_headlines(f: Filters, version: db.Version) -> pd.DataFrame:
    """The headline report of each quantity reported more than once, in full."""
    rows, params = call("filtered_figures", f)
    groups, _params = call("derived_figure_report_groups", f)
    return _with_reported(_with_revised(_query(
        rows + " WHERE figure_id IN (SELECT headline_id FROM (" + groups + ")) ORDER BY stage_order, figure_id",
        params, version=version), version))


CHOICES = 200  # chip counts the Compute page offers to pick from


@_cached
def chip_count_choices(f: Filters, version: db.Version, n: int = CHOICES) -> pd.DataFrame:
    """The chip counts an analyst picks from: the n latest, and the subject chip's latest."""
    return _with_reported(_run("filtered_chip_count_choices", f, version, n=int(n)))


@_cached
def chip_count_total(f: Filters, version: db.Version) -> int:
    """How many filtered figures are chip counts (of which chip_count_choices offers n)."""
    sql, params = call("filtered_figure_cells", f)
    return int(_query("SELECT coalesce(sum(valued), 0)::BIGINT AS n FROM (" + sql + ") "
                        "WHERE unit_kind = 'chip_count'", params, version=version).n.iloc[0])


# --- Drill-down (tracker/drill.py): the reports behind one bar --------------------------------
# kind -> (macro, the narrowing, order); code, never input: the id is a bound parameter.
_DRILL = {
    "stage": ("filtered_figures", " WHERE stage = $drill_id AND list_contains(chips_with_role('pipeline'), chip_id)",
              " ORDER BY as_of_date, stage, figure_id"),
    "chip": ("filtered_specs", " WHERE chip_id = $drill_id", " ORDER BY vendor, chip, metric, derived, spec_id"),
    "company": ("filtered_figures", " WHERE figure_id IN (SELECT figure_id FROM figure_companies "
                "WHERE company_id = $drill_id)", " ORDER BY as_of_date, stage, figure_id"),
}


@_cached
def company_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Per company (of the selected ones, if any): how many filtered reports name it, of which
    shared with other companies. A count of reports, never a sum of their quantities. Read
    from the filtered cells (a cell's reports all name its companies): any size (issue 10)."""
    sql, params = call("filtered_figure_cells", f)
    return _query("SELECT fc.company_id, co.name AS company, sum(fc.reports)::BIGINT AS reports, "
                  "coalesce(sum(fc.reports) FILTER (WHERE fc.n_companies > 1), 0)::BIGINT AS shared_reports "
                  "FROM (SELECT unnest(c.company_ids) AS company_id, c.reports, c.n_companies "
                  "FROM (" + sql + ") c) fc JOIN companies co USING (company_id) "
                  "WHERE len($companies::VARCHAR[]) = 0 OR list_contains($companies::VARCHAR[], fc.company_id) "
                  "GROUP BY ALL ORDER BY reports DESC, company", params, version=version)


@_cached
def drill_reports(f: Filters, kind: str, ident: str, version: db.Version) -> pd.DataFrame:
    """The reports a drilled bar stands for under the filters: a pipeline stage's reports of
    the pipeline chips (as many as its `reports`), or a chip's spec reports."""
    macro, where, order = _DRILL[kind]
    sql, params = call(macro, f)
    frame = _with_revised(_query(sql + where + order, {**params, "drill_id": ident}, version=version), version)
    return frame if kind == "chip" else _with_reported(frame)
