"""Example queries shown beside the editor. Each answers a question analysts actually ask,
through the same views and table macros the pages read (etl/views.sql), so an example's
numbers are the pages' numbers; the filters are the macros' named parameters."""
from __future__ import annotations

from tracker.i18n import N_

PIPELINE = """-- The pipeline as the Overview shows it: the headline figure per stage (DERIVED)
SELECT stage_label, reported_value, bound, as_of_date, publisher, reports
FROM (SELECT *, coalesce(value::VARCHAR, bound) AS reported_value FROM derived_pipeline())
ORDER BY stage_order"""

FILTERED = """-- The same, filtered as the sidebar would: H and M sources, as known on 1 March 2026
SELECT stage_label, value, bound, as_of_date, publisher, reports
FROM derived_pipeline(min_grade := 'M', known_on := DATE '2026-03-01')
ORDER BY stage_order"""

BY_GRADE = """-- Figures per source grade (order and meaning: the grades table)
SELECT g.grade, g.label, count(f.figure_id) AS figures, count(DISTINCT f.source_id) AS sources
FROM grades g LEFT JOIN sources s USING (grade) LEFT JOIN trade_figures f USING (source_id)
GROUP BY g.grade, g.label, g.grade_order
ORDER BY g.grade_order"""

VS_REFERENCE = """-- DERIVED: each spec divided by the reference chip's (chip_roles) for the same metric
SELECT chip, metric_label, sparsity, value, ref_chip, ref_value,
       round(ratio_to_reference, 2) AS ratio, ratio_note
FROM derived_ratio_to_reference()
ORDER BY metric_order, ratio DESC"""

EVENTS = """-- The latest events
SELECT date, category_label, title, publisher FROM filtered_events() ORDER BY date DESC LIMIT 20"""


NEEDS = {  # label (N_: shown through _) -> (the table or view it needs, SQL)
    N_("Pipeline by stage"): ("derived_pipeline_latest", PIPELINE),
    N_("Pipeline, filtered"): ("derived_pipeline_latest", FILTERED),
    N_("Figures per source grade"): ("grades", BY_GRADE),
    N_("Specs relative to the reference chip"): ("derived_chip_metrics_vs_reference", VS_REFERENCE),
    N_("Latest events"): ("event_rows", EVENTS),
}
NEEDED = frozenset(needed for needed, _ in NEEDS.values())


def examples(tables: set[str] | frozenset[str]) -> dict[str, str]:
    """Label -> SQL; examples whose objects the database lacks (an older build) are left out."""
    return {label: sql for label, (needed, sql) in NEEDS.items() if needed in tables}
