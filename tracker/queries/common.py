"""What every query shares: the cache (per language, filters and build version), the run's
words (vocabulary labels and the few phrases etl/views.sql writes, translated), the call of a
filtered macro with its `reported` and `revised` columns; and the vocabulary, filter options,
build info and revision notes every page reads."""
from __future__ import annotations

import datetime as dt
import functools
import re

import pandas as pd
import streamlit as st

from tracker import changes, db, i18n, labels
from tracker.i18n import N_, _
from tracker.filter_sql import call
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


def cached(fn):
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


def localised(df: pd.DataFrame) -> pd.DataFrame:
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


def query(sql: str, params=None, *, version: db.Version) -> pd.DataFrame:
    return localised(db.query(sql, params, version=version))


def with_reported(df: pd.DataFrame, after: str = "metric", say=labels.value) -> pd.DataFrame:
    """Add `reported`, the number as a reader says it ("≥ 400,000 chips", "none reported",
    "≈ 6×"), after column `after`: the raw value column alone shows an empty cell for
    none_reported and no bound."""
    df.insert(df.columns.get_loc(after) + 1, "reported",
              pd.Series([say(r) for r in df.to_dict("records")], index=df.index, dtype="str"))
    return df


def run(macro: str, f: Filters, version: db.Version, order: str = "", **extra) -> pd.DataFrame:
    sql, params = call(macro, f, **extra)
    return with_revised(query(sql + order, params, version=version), version)


@cached
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


@cached
def options(version: db.Version) -> Options:
    companies = query("SELECT company_id, name FROM companies ORDER BY name", version=version)
    chips = query("SELECT chip_id, name FROM chips ORDER BY vendor, name", version=version)
    grades = query("SELECT grade, filter_label FROM grades ORDER BY grade_order", version=version)
    span = query("""
        SELECT min(d) AS first, max(d) AS last FROM (   -- figure_cells: every figure's date, any size
            SELECT as_of_date AS d FROM figure_cells UNION ALL SELECT date FROM events)
    """, version=version).iloc[0]
    today = dt.date.today()
    return Options(dict(zip(companies.company_id, companies.name)),
                   dict(zip(chips.chip_id, chips.name)),
                   span["first"].date() if pd.notna(span["first"]) else today,
                   span["last"].date() if pd.notna(span["last"]) else today,
                   dict(zip(grades.grade, map(_word, grades.filter_label))))


@cached
def build_info(version: db.Version) -> dict:
    row = query("""
        SELECT any_value(build_id) AS build_id, max(built_at) AS built_at,
               (SELECT max(as_of_date) FROM figure_cells) AS latest_as_of,
               (SELECT max(date) FROM events) AS latest_event
        FROM build_info
    """, version=version).iloc[0]
    return row.to_dict()


@cached
def build_files(version: db.Version) -> pd.DataFrame:
    return query("SELECT table_name, file_name, row_count, sha256 FROM build_info "
                 "ORDER BY table_name", version=version)


@cached
def revision_notes(version: db.Version) -> dict[tuple[str, str], dict]:
    """(table, row id) -> the row's latest revision day, its revision count and the fields
    revised that day with their old values (views.sql row_revision_notes)."""
    rows = query("SELECT table_name, row_id, revised_on, revisions, changes FROM row_revision_notes",
                 version=version)
    return {(r["table_name"], r["row_id"]): {"revised_on": r["revised_on"], "revisions": int(r["revisions"]),
                                             "changes": [dict(c) for c in r["changes"]]}
            for r in rows.to_dict("records")}


def with_revised(df: pd.DataFrame, version: db.Version) -> pd.DataFrame:
    """A page's rows with `revised`: "revised 2026-12-01, was ≥ 75,000 chips", or empty."""
    return changes.annotate(df, revision_notes(version), vocabulary(version).bounds)
