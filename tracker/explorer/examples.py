"""Example queries shown beside the editor. Each answers a question analysts actually ask;
where a derived_ view exists it is used (one definition of the arithmetic), else plain SQL."""
from __future__ import annotations

STAGES = ("['interest', 'ordered', 'inventory', 'cn_approved', 'us_licensed', 'us_cap', "
          "'planned_shipment', 'shipped', 'delivered', 'price', 'revenue', 'inventory_charge']")

PIPELINE = f"""-- The pipeline by stage: how many figures, the latest as-of date, the largest value
SELECT stage, unit, count(*) AS figures, max(as_of_date) AS latest_as_of,
       max(value) AS largest_value,
       count(*) FILTER (WHERE bound = 'none_reported') AS none_reported
FROM trade_figures
GROUP BY stage, unit
ORDER BY list_position({STAGES}, stage), unit"""

BY_GRADE = """-- Figures per source grade (H wire/primary, M secondary, L blog/aggregator)
SELECT s.grade, count(*) AS figures, count(DISTINCT f.source_id) AS sources
FROM trade_figures f JOIN sources s USING (source_id)
GROUP BY s.grade
ORDER BY list_position(['H', 'M', 'L'], s.grade)"""

VS_H20 = """-- DERIVED: each spec divided by the H20's value for the same metric and sparsity
SELECT c.chip_id, c.metric, c.sparsity, c.value, h.value AS h20_value,
       round(c.value / h.value, 2) AS ratio_vs_h20
FROM chip_specs c
JOIN chip_specs h ON h.chip_id = 'h20' AND h.metric = c.metric
                 AND h.sparsity = c.sparsity AND h.value > 0
ORDER BY c.metric, ratio_vs_h20 DESC"""

EVENTS = """-- The latest events
SELECT date, category, title FROM events ORDER BY date DESC LIMIT 20"""


def examples(tables: set[str] | frozenset[str]) -> dict[str, str]:
    """Label -> SQL, given the names of the tables and views in the database."""
    pipeline = ("-- The pipeline by stage (derived view)\nSELECT * FROM derived_pipeline_latest"
                if "derived_pipeline_latest" in tables else PIPELINE)
    vs_h20 = ("-- DERIVED: specs normalised to H20 = 1\nSELECT * FROM derived_chip_metrics_vs_h20"
              if "derived_chip_metrics_vs_h20" in tables else VS_H20)
    return {"Pipeline by stage": pipeline, "Figures per source grade": BY_GRADE,
            "Specs normalised to H20": vs_h20, "Latest events": EVENTS}
