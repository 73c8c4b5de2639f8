"""The pages' rows and derived numbers under the filters: figures, the pipeline, events, specs,
ratios, policy terms, sources, conflicting reports, and the drill-down behind one bar."""
from __future__ import annotations

import pandas as pd

from tracker import db, labels
from tracker.filter_sql import call, without_companies
from tracker.filters import Filters
from tracker.queries.common import cached, query, run, with_reported, with_revised

@cached
def figures(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every trade figure the filters let through, with its parties and source."""
    return with_reported(run("filtered_figures", f, version,
                             " ORDER BY as_of_date, stage, figure_id"))


@cached
def hidden_market_wide(f: Filters, version: db.Version) -> int:
    """How many figures name no company and so drop out when a company filter is set."""
    if not f.companies:
        return 0
    sql, params = call("filtered_figure_count", without_companies(f))  # the cells: any size
    return int(query(sql, params, version=version).market_wide.iloc[0])


@cached
def pipeline(f: Filters, version: db.Version) -> pd.DataFrame:
    """The pipeline: per stage the headline figure (derived_pipeline) plus how many reports
    of that stage the filters let through."""
    return with_reported(run("derived_pipeline", f, version))


@cached
def events(f: Filters, version: db.Version) -> pd.DataFrame:
    """Events in the date range; policy context (no company named) stays under a company filter."""
    return run("filtered_events", f, version, " ORDER BY date, event_id")


@cached
def specs(f: Filters, version: db.Version) -> pd.DataFrame:
    """Spec values of the chosen chips (and the reference chip's, always), DERIVED rows included."""
    return run("filtered_specs", f, version, " ORDER BY vendor, chip, metric, derived, spec_id")


@cached
def normalised(f: Filters, metric: str, sparsity: str, version: db.Version) -> pd.DataFrame:
    """DERIVED: each value of `metric` divided by the reference chip's (derived_ratio_to_reference)."""
    return run("derived_ratio_to_reference", f, version, of_metric=metric, of_sparsity=sparsity)


@cached
def reported_ratios(f: Filters, version: db.Version) -> pd.DataFrame:
    """Ratios the sources state themselves ("roughly six times the H20"), with their basis
    (the metric named, or not_stated) and source; data, unlike the DERIVED ratios."""
    return with_reported(run("filtered_ratios", f, version), after="basis", say=labels.ratio)


@cached
def policy_terms(f: Filters, version: db.Version) -> pd.DataFrame:
    return run("filtered_terms", f, version)


@cached
def thresholds(f: Filters, version: db.Version) -> pd.DataFrame:
    """The export-rule terms that limit a chip spec (term_metrics.spec_metric), with sources."""
    terms = policy_terms(f, version)
    return terms[terms["spec_metric"].notna()].sort_values(["metric", "term_id"], ignore_index=True)


@cached
def sources(f: Filters, version: db.Version) -> pd.DataFrame:
    """Every source with its grade, link, the original it relays, and how many rows cite it."""
    return run("filtered_sources", f, version)


@cached
def figure_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Quantities reported more than once: every report, the headline, the DERIVED spread."""
    return with_reported(run("derived_figure_reports", f, version))


@cached
def spec_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Chip metrics reported by more than one source, with spread and the value ratios use."""
    return run("derived_spec_reports", f, version)


@cached
def subject_vs_reference(f: Filters, version: db.Version) -> pd.DataFrame:
    """DERIVED: the subject chip ÷ the reference chip, one ratio per metric and sparsity."""
    return run("derived_subject_vs_reference", f, version)


# --- Drill-down (tracker/drill.py): the reports behind one bar --------------------------------
# kind -> (macro, the narrowing, order); code, never input: the id is a bound parameter.
_DRILL = {
    "stage": ("filtered_figures", " WHERE stage = $drill_id AND list_contains(chips_with_role('pipeline'), chip_id)",
              " ORDER BY as_of_date, stage, figure_id"),
    "chip": ("filtered_specs", " WHERE chip_id = $drill_id", " ORDER BY vendor, chip, metric, derived, spec_id"),
    "company": ("filtered_figures", " WHERE figure_id IN (SELECT figure_id FROM figure_companies "
                "WHERE company_id = $drill_id)", " ORDER BY as_of_date, stage, figure_id"),
}


@cached
def company_reports(f: Filters, version: db.Version) -> pd.DataFrame:
    """Per company (of the selected ones, if any): how many filtered reports name it, of which
    shared with other companies. A count of reports, never a sum of their quantities. Read
    from the filtered cells (a cell's reports all name its companies): any size (issue 10)."""
    sql, params = call("filtered_figure_cells", f)
    return query("SELECT fc.company_id, co.name AS company, sum(fc.reports)::BIGINT AS reports, "
                 "coalesce(sum(fc.reports) FILTER (WHERE fc.n_companies > 1), 0)::BIGINT AS shared_reports "
                 "FROM (SELECT unnest(c.company_ids) AS company_id, c.reports, c.n_companies "
                 "FROM (" + sql + ") c) fc JOIN companies co USING (company_id) "
                 "WHERE len($companies::VARCHAR[]) = 0 OR list_contains($companies::VARCHAR[], fc.company_id) "
                 "GROUP BY ALL ORDER BY reports DESC, company", params, version=version)


@cached
def drill_reports(f: Filters, kind: str, ident: str, version: db.Version) -> pd.DataFrame:
    """The reports a drilled bar stands for under the filters: a pipeline stage's reports of
    the pipeline chips (as many as its `reports`), or a chip's spec reports."""
    macro, where, order = _DRILL[kind]
    sql, params = call(macro, f)
    frame = with_revised(query(sql + where + order, {**params, "drill_id": ident}, version=version), version)
    return frame if kind == "chip" else with_reported(frame)
