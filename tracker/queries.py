"""Every SQL statement the dashboard runs, each a named function of (filters, build version).

Values reach SQL only as bound parameters ($name); the one identifier a user can choose (the
spec metric) goes through an allow-list. Results are small aggregates, cached per
(filters, build version) so a new build shows on the next rerun.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from tracker import db, labels
from tracker.filters import Filters, Options

PIPELINE_STAGES = ("interest", "ordered", "inventory", "cn_approved", "us_licensed", "us_cap",
                   "planned_shipment", "shipped", "delivered")
SPEC_METRICS = {  # allow-list: metric id -> label with unit
    "fp16_bf16_tflops": "FP16/BF16 tensor (TFLOPS)", "fp8_tflops": "FP8 tensor (TFLOPS)",
    "fp4_tflops": "FP4 tensor (TFLOPS)", "int8_tops": "INT8 (TOPS)",
    "tf32_tflops": "TF32 tensor (TFLOPS)", "fp32_tflops": "FP32 (TFLOPS)",
    "memory_gb": "Memory (GB)", "memory_bandwidth_tbs": "Memory bandwidth (TB/s)",
    "interconnect_gbs": "Interconnect (GB/s)", "tdp_w": "Power, TDP (W)",
    "tpp": "Total processing performance (TPP)",
}
_CACHE = dict(ttl=600, max_entries=512, show_spinner=False)

# Filters shared by figures, events and specs; each query binds the same names.
_FIGURES = """
WITH parties AS (
    SELECT fc.figure_id, list(fc.company_id ORDER BY fc.company_id) AS company_ids,
           string_agg(co.name, ' + ' ORDER BY co.name) AS companies, count(*) AS n_companies
    FROM figure_companies fc JOIN companies co USING (company_id)
    GROUP BY fc.figure_id
)
SELECT tf.figure_id, tf.chip_id, c.name AS chip, tf.stage, tf.metric, tf.measure, tf.value, tf.value_high,
       tf.unit, tf.bound, tf.as_of_date, tf.as_of_precision, tf.published_date,
       coalesce(p.companies, '') AS companies, coalesce(p.n_companies, 0) AS n_companies,
       coalesce(p.n_companies, 0) > 1 AS shared,
       s.publisher, s.grade, s.title AS source_title,
       CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url,
       tf.quote, tf.notes, tf.source_id
FROM trade_figures tf
JOIN sources s USING (source_id)
JOIN chips c USING (chip_id)
LEFT JOIN parties p USING (figure_id)
WHERE (len($chips::VARCHAR[]) = 0 OR list_contains($chips::VARCHAR[], tf.chip_id))
  AND ($start::DATE IS NULL OR tf.as_of_date >= $start::DATE)
  AND ($end::DATE IS NULL OR tf.as_of_date <= $end::DATE)
  AND list_contains($grades::VARCHAR[], s.grade)
  AND ($known::DATE IS NULL OR coalesce(tf.published_date, tf.as_of_date) <= $known::DATE)
  AND (len($companies::VARCHAR[]) = 0
       OR list_has_any(coalesce(p.company_ids, []::VARCHAR[]), $companies::VARCHAR[]))
"""

# How a headline is chosen among several reports of a stage (said on every card): a number
# never loses to a later report without one; then the latest, then the best graded.
# headline_class() is a macro in etl/views.sql, shared with the derived_pipeline_latest view.
_HEADLINE_ORDER = ("headline_class(value, unit, bound), as_of_date DESC, published_date DESC NULLS LAST, "
                   "list_position(['H','M','L'], grade), figure_id")
HEADLINE_RULE = ("a chip count first, then another number, then “none reported”, then reports "
                 "without a number; among those the latest as-of date, then the latest "
                 "publication, then the best source grade")
# The H200 pipeline also takes Nvidia's filing category that covers the H200 (and the H20).
PIPELINE_CHIPS = ("h200", "hopper_dc")


def _with_reported(df: pd.DataFrame, after: str = "metric", say=labels.value) -> pd.DataFrame:
    """Add `reported`, the number as a reader says it ("≥ 400,000 chips", "none reported",
    "≈ 6×"), after column `after`: the raw value column alone shows an empty cell for
    none_reported and no bound."""
    df.insert(df.columns.get_loc(after) + 1, "reported",
              pd.Series([say(r) for r in df.to_dict("records")], index=df.index, dtype="str"))
    return df


def _params(f: Filters) -> dict:
    return {"chips": list(f.chips), "companies": list(f.companies), "start": f.start,
            "end": f.end, "grades": f.grades, "known": f.known}


@st.cache_data(**_CACHE)
def options(version: db.Version) -> Options:
    companies = db.query("SELECT company_id, name FROM companies ORDER BY name", version=version)
    chips = db.query("SELECT chip_id, name FROM chips ORDER BY vendor, name", version=version)
    span = db.query("""
        SELECT min(d) AS first, max(d) AS last FROM (
            SELECT as_of_date AS d FROM trade_figures UNION ALL SELECT date FROM events)
    """, version=version).iloc[0]
    today = dt.date.today()
    return Options(dict(zip(companies.company_id, companies.name)),
                   dict(zip(chips.chip_id, chips.name)),
                   span["first"].date() if pd.notna(span["first"]) else today,
                   span["last"].date() if pd.notna(span["last"]) else today)


@st.cache_data(**_CACHE)
def build_info(version: db.Version) -> dict:
    row = db.query("""
        SELECT any_value(build_id) AS build_id, max(built_at) AS built_at,
               (SELECT max(as_of_date) FROM trade_figures) AS latest_as_of,
               (SELECT max(date) FROM events) AS latest_event
        FROM build_info
    """, version=version).iloc[0]
    return row.to_dict()


@st.cache_data(**_CACHE)
def build_files(version: db.Version) -> pd.DataFrame:
    return db.query("SELECT table_name, file_name, row_count, sha256 FROM build_info "
                    "ORDER BY table_name", version=version)


@st.cache_data(**_CACHE)
def figures(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every trade figure the filters let through, with its parties and source."""
    return _with_reported(db.query(_FIGURES + " ORDER BY tf.as_of_date, tf.stage, tf.figure_id",
                                   _params(f), version=version))


@st.cache_data(**_CACHE)
def hidden_market_wide(f: Filters, version: db.Version) -> int:
    """How many figures name no company and so drop out when a company filter is set."""
    if not f.companies:
        return 0
    wide = Filters((), f.chips, f.start, f.end, f.grade, f.known)
    sql = "SELECT count(*) AS n FROM (" + _FIGURES + ") WHERE n_companies = 0"
    return int(db.query(sql, _params(wide), version=version).n.iloc[0])


@st.cache_data(**_CACHE)
def pipeline(f: Filters, version: db.Version) -> pd.DataFrame:
    """The H200 pipeline: per stage the headline figure (HEADLINE_RULE) plus how many reports
    of that stage the filters let through."""
    sql = ("WITH f AS (" + _FIGURES + "), ranked AS ("
           "SELECT *, count(*) OVER (PARTITION BY stage) AS reports, "
           "row_number() OVER (PARTITION BY stage ORDER BY " + _HEADLINE_ORDER + ") AS pick "
           "FROM f WHERE list_contains($pipeline_chips::VARCHAR[], chip_id) "
           "AND list_contains($stages::VARCHAR[], stage)) "
           "SELECT * EXCLUDE (pick), $rule AS headline_rule FROM ranked WHERE pick = 1 "
           "ORDER BY list_position($stages::VARCHAR[], stage)")
    return _with_reported(db.query(sql, {**_params(f), "stages": list(PIPELINE_STAGES), "rule": HEADLINE_RULE,
                                         "pipeline_chips": list(PIPELINE_CHIPS)}, version=version))


@st.cache_data(**_CACHE)
def events(f: Filters, version: db.Version) -> pd.DataFrame:
    """Events in the date range. Events that name no company are policy context and stay
    when a company filter is set; events that name companies must name a selected one."""
    sql = """
    WITH parties AS (
        SELECT ec.event_id, list(ec.company_id) AS company_ids,
               string_agg(co.name, ' + ' ORDER BY co.name) AS companies
        FROM event_companies ec JOIN companies co USING (company_id) GROUP BY ec.event_id
    )
    SELECT e.event_id, e.date, e.date_precision, e.category, e.title, e.description,
           coalesce(p.companies, '') AS companies, s.publisher, s.grade,
           CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url, e.source_id
    FROM events e JOIN sources s USING (source_id) LEFT JOIN parties p USING (event_id)
    WHERE ($start::DATE IS NULL OR e.date >= $start::DATE)
      AND ($end::DATE IS NULL OR e.date <= $end::DATE)
      AND list_contains($grades::VARCHAR[], s.grade)
      AND ($known::DATE IS NULL OR coalesce(s.published_date, e.date) <= $known::DATE)
      AND (len($companies::VARCHAR[]) = 0 OR p.company_ids IS NULL
           OR list_has_any(p.company_ids, $companies::VARCHAR[]))
    ORDER BY e.date, e.event_id
    """
    params = {k: v for k, v in _params(f).items() if k != "chips"}
    return db.query(sql, params, version=version)


_SPECS = """
WITH every_spec AS (
    SELECT *, NULL::VARCHAR AS basis_source_id, FALSE AS derived FROM chip_specs
    UNION ALL BY NAME  -- the H200's compute, known only through the H100 (a DERIVED view)
    SELECT * EXCLUDE (input_spec_id) FROM derived_h200_compute_from_h100
)
SELECT sp.spec_id, sp.chip_id, c.name AS chip, c.vendor, sp.metric, sp.value, sp.value_high,
       sp.unit, sp.bound, sp.sparsity, sp.derived,
       CASE WHEN sp.derived THEN 'DERIVED: ' || s.publisher || ' + ' || b.publisher
            ELSE s.publisher END AS publisher,
       -- a derived row is only as reliable as the weaker of its two sources
       CASE WHEN sp.derived AND list_position(['H','M','L'], b.grade) > list_position(['H','M','L'], s.grade)
            THEN b.grade ELSE s.grade END AS grade,
       s.published_date,
       CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url,
       sp.quote, sp.notes, sp.source_id
FROM every_spec sp JOIN sources s USING (source_id) JOIN chips c USING (chip_id)
LEFT JOIN sources b ON b.source_id = sp.basis_source_id
WHERE (len($chips::VARCHAR[]) = 0 OR list_contains($chips::VARCHAR[], sp.chip_id)
       OR sp.chip_id = 'h20')
  AND list_contains($grades::VARCHAR[],
        CASE WHEN sp.derived AND list_position(['H','M','L'], b.grade) > list_position(['H','M','L'], s.grade)
             THEN b.grade ELSE s.grade END)
  AND ($known::DATE IS NULL OR s.published_date IS NULL OR s.published_date <= $known::DATE)
"""


@st.cache_data(**_CACHE)
def specs(f: Filters, version: db.Version) -> pd.DataFrame:
    """Spec values of the chosen chips (H20 always, as the reference). Specs have no as-of
    date, so the date range does not apply; undated sources stay under "as known on"."""
    params = {"chips": list(f.chips), "grades": f.grades, "known": f.known}
    return db.query(_SPECS + " ORDER BY c.vendor, c.name, sp.metric, sp.derived, sp.spec_id", params,
                    version=version)


@st.cache_data(**_CACHE)
def normalised(f: Filters, metric: str, sparsity: str, version: db.Version) -> pd.DataFrame:
    """DERIVED: each value of `metric` divided by the H20's. Where the H20 has several
    reported values, the best-graded, then first, is the reference and is named."""
    if metric not in SPEC_METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    sql = "WITH sp AS (" + _SPECS + """), ref AS (
        SELECT spec_id AS ref_spec_id, value AS ref_value, bound AS ref_bound,
               publisher AS ref_publisher
        FROM sp WHERE chip_id = 'h20' AND metric = $metric AND sparsity = $sparsity
        ORDER BY list_position(['H','M','L'], grade), spec_id LIMIT 1
    )
    SELECT sp.*, ref.*, sp.value / ref.ref_value AS ratio_to_h20, TRUE AS ratio_is_derived,
           CASE WHEN sp.bound = 'exact' AND ref.ref_bound = 'exact' THEN 'exact inputs'
                ELSE 'inputs carry bounds (' || sp.bound || ' / ' || ref.ref_bound
                     || '): the ratio has no bound of its own' END AS ratio_note
    FROM sp CROSS JOIN ref
    WHERE sp.metric = $metric AND sp.sparsity = $sparsity AND ref.ref_value > 0
    ORDER BY ratio_to_h20 DESC, sp.spec_id
    """
    params = {"chips": list(f.chips), "grades": f.grades, "known": f.known,
              "metric": metric, "sparsity": sparsity}
    return db.query(sql, params, version=version)


@st.cache_data(**_CACHE)
def reported_ratios(f: Filters, version: db.Version) -> pd.DataFrame:
    """Ratios the sources state themselves ("roughly six times the H20"), with their basis
    (the metric named, or not_stated) and source; data, unlike the DERIVED ratios."""
    sql = """
    SELECT r.ratio_id, r.chip_id, c.name AS chip, r.reference_chip_id, rc.name AS reference_chip,
           r.basis, r.value, r.value_high, r.bound, s.publisher, s.grade, s.published_date,
           CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url,
           r.quote, r.notes, r.source_id
    FROM reported_ratios r JOIN sources s USING (source_id)
    JOIN chips c ON c.chip_id = r.chip_id JOIN chips rc ON rc.chip_id = r.reference_chip_id
    WHERE (len($chips::VARCHAR[]) = 0 OR list_contains($chips::VARCHAR[], r.chip_id))
      AND list_contains($grades::VARCHAR[], s.grade)
      AND ($known::DATE IS NULL OR s.published_date IS NULL OR s.published_date <= $known::DATE)
    ORDER BY r.ratio_id
    """
    return _with_reported(db.query(sql, {"chips": list(f.chips), "grades": f.grades, "known": f.known},
                                   version=version), after="basis", say=labels.ratio)


@st.cache_data(**_CACHE)
def thresholds(f: Filters, version: db.Version) -> pd.DataFrame:
    """The export-rule thresholds on TPP and memory bandwidth, with their sources."""
    sql = """
    SELECT pt.term_id, pt.rule, pt.metric, pt.value, pt.unit, pt.bound, pt.effective_date,
           s.publisher, s.grade, CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url,
           pt.quote, pt.source_id
    FROM policy_terms pt JOIN sources s USING (source_id)
    WHERE pt.metric IN ('tpp', 'memory_bandwidth_gbs') AND list_contains($grades::VARCHAR[], s.grade)
      AND ($known::DATE IS NULL OR coalesce(s.published_date, pt.effective_date) <= $known::DATE)
    ORDER BY pt.metric, pt.term_id
    """
    return db.query(sql, {"grades": f.grades, "known": f.known}, version=version)


@st.cache_data(**_CACHE)
def policy_terms(f: Filters, version: db.Version) -> pd.DataFrame:
    sql = """
    SELECT pt.term_id, pt.rule, pt.metric, pt.value, pt.unit, pt.bound, pt.effective_date,
           s.publisher, s.grade, CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url,
           pt.quote, pt.notes, pt.source_id
    FROM policy_terms pt JOIN sources s USING (source_id)
    WHERE list_contains($grades::VARCHAR[], s.grade)
      AND ($known::DATE IS NULL OR coalesce(s.published_date, pt.effective_date) <= $known::DATE)
    ORDER BY pt.effective_date NULLS LAST, pt.term_id
    """
    return db.query(sql, {"grades": f.grades, "known": f.known}, version=version)


@st.cache_data(**_CACHE)
def sources(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every source with its grade, link and how many rows cite it."""
    sql = """
    SELECT s.source_id, s.publisher, s.title, s.grade, s.published_date, s.via,
           CASE WHEN regexp_matches(s.url, '^https?://') THEN s.url END AS url,
           (SELECT count(*) FROM trade_figures t WHERE t.source_id = s.source_id) AS figures,
           (SELECT count(*) FROM chip_specs c WHERE c.source_id = s.source_id) AS specs,
           (SELECT count(*) FROM events e WHERE e.source_id = s.source_id) AS events,
           (SELECT count(*) FROM policy_terms p WHERE p.source_id = s.source_id) AS terms,
           s.notes
    FROM sources s
    WHERE list_contains($grades::VARCHAR[], s.grade)
    ORDER BY list_position(['H','M','L'], s.grade), s.publisher, s.source_id
    """
    return db.query(sql, {"grades": f.grades}, version=version)


@st.cache_data(**_CACHE)
def figure_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Quantities reported more than once (same chip, stage, unit, parties and measure): every report,
    which one the headline uses, and the DERIVED spread max ÷ min of the group."""
    sql = ("WITH f AS (" + _FIGURES + "), g AS (SELECT *, "
           "count(*) OVER w AS reports, max(value) OVER w / min(value) OVER w AS spread, "
           "row_number() OVER (w ORDER BY " + _HEADLINE_ORDER + ") = 1 AS headline "
           "FROM f WHERE value IS NOT NULL "
           "WINDOW w AS (PARTITION BY chip_id, stage, unit, companies, coalesce(measure, ''))) "
           "SELECT *, $rule AS headline_rule FROM g WHERE reports > 1 "
           "ORDER BY list_position($stages::VARCHAR[], stage), chip, companies, value")
    return _with_reported(db.query(sql, {**_params(f), "stages": list(PIPELINE_STAGES),
                                         "rule": HEADLINE_RULE}, version=version))


@st.cache_data(**_CACHE)
def spec_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Chip metrics reported by more than one source, with spread and the value the ratio
    charts use (best grade, then first id)."""
    sql = ("WITH s AS (" + _SPECS + "), g AS (SELECT *, "
           "count(*) OVER w AS reports, max(value) OVER w / min(value) OVER w AS spread, "
           "row_number() OVER (w ORDER BY list_position(['H','M','L'], grade), spec_id) = 1 "
           "AS headline FROM s WHERE NOT derived "
           "WINDOW w AS (PARTITION BY chip_id, metric, sparsity)) "
           "SELECT *, 'best source grade, then first id' AS headline_rule FROM g "
           "WHERE reports > 1 ORDER BY vendor, chip, metric, value")
    return db.query(sql, {"chips": list(f.chips), "grades": f.grades, "known": f.known},
                    version=version)
