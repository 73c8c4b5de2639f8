"""A database at scale for the tests of issue 10: the fixture, built by the real ETL, plus N
generated trade figures inserted with DuckDB (the schema's keys and checks apply), then the
tables etl/views.sql derives from the rows (figure_cells) built again, as the scale benchmark
grows its databases (benchmarks/bench_scale.py).

The generated rows are chosen so the tests know the answers:
- stage `ordered` in January 2025 is all lower bounds (at_least), values 1 … 999 and one
  hostile quote per thousand ("=HYPERLINK(...)"), grade H (reuters_20260114_orders);
- stage `shipped` alternates exact / about / at_most / range in March 2025, grade M;
- every 7th row names ByteDance (figure_companies), the rest no company.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from tests.conftest import FIXTURE_DATA, build_db

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '=HYPERLINK("http://evil.example","x")'


def derived_tables() -> list[tuple[str, str]]:
    text = (ROOT / "etl" / "views.sql").read_text(encoding="utf-8")
    return [(m.group(1), m.group(0)) for m in
            re.finditer(r"^CREATE TABLE (\w+) AS\n.*?;$", text, flags=re.S | re.M)]


def make_big_db(base: Path, out: Path, rows: int) -> Path:
    """base (a fixture build) copied to out with `rows` more trade figures."""
    shutil.copy(base, out)
    con = duckdb.connect(str(out))
    con.execute("""
        INSERT INTO trade_figures
        WITH g AS (
            SELECT i, CASE WHEN i % 2 = 0 THEN 'at_least'
                           ELSE ['exact', 'about', 'at_most', 'range'][(i // 2) % 4 + 1] END AS bound
            FROM range($n) t(i)
        )
        SELECT 'syn_' || lpad(i::VARCHAR, 7, '0') AS figure_id,
               CASE WHEN i % 5 = 0 THEN 'h20' ELSE 'h200' END AS chip_id,
               CASE WHEN i % 2 = 0 THEN 'ordered' ELSE 'shipped' END AS stage,
               'synthetic figure' AS metric, NULL AS measure,
               (1 + i % 999)::DOUBLE AS value,
               CASE WHEN bound = 'range' THEN (1 + i % 999 + 10)::DOUBLE END AS value_high,
               'chips' AS unit, bound,
               CASE WHEN i % 2 = 0 THEN DATE '2025-01-01' + (i % 28)::INTEGER
                    ELSE DATE '2025-03-01' + (i % 28)::INTEGER END AS as_of_date,
               'day' AS as_of_precision, NULL AS published_date,
               CASE WHEN i % 2 = 0 THEN 'reuters_20260114_orders' ELSE 'heise_20251222_shipments' END AS source_id,
               CASE WHEN i % 1000 = 0 THEN $hostile ELSE 'synthetic quote ' || i END AS quote,
               NULL AS notes, DATE '2025-04-01' AS added_on
        FROM g
    """, {"n": rows, "hostile": HOSTILE})
    con.execute("INSERT INTO figure_companies SELECT figure_id, 'bytedance', DATE '2025-04-01' "
                "FROM trade_figures WHERE starts_with(figure_id, 'syn_') "
                "AND substr(figure_id, 5)::INTEGER % 7 = 0")
    for name, create in derived_tables():  # our own views.sql's table names
        con.execute(f"DROP TABLE {name}")
        con.execute(create)
    con.execute("CHECKPOINT")
    con.close()
    return out


def fixture_build(tmp: Path) -> Path:
    return build_db(FIXTURE_DATA, tmp / "fixture.duckdb")
