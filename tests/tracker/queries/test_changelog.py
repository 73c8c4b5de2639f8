"""The change log at any size (issue 10; tracker.queries.changelog reads it): changes_since (the
newest lines from change_newest), change_counts (from change_day_counts), change_keys and
data_currency give exactly what the definitions they replaced give (kept here as the oracle),
on the fixture, the curated data and the fixture plus 3,000 rows (more changes than
change_newest keeps)."""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from tests.conftest import FIXTURE_DATA, ROOT, build_db
from tests.scale_db import make_big_db

# The definitions these paths replaced (etl/views.sql before this round).
OLD_ORDER = """ORDER BY c.changed_on DESC, CASE c.change WHEN 'withdrawn' THEN 0 WHEN 'revised' THEN 1 ELSE 2 END,
         coalesce(list_position(['trade_figures', 'policy_terms', 'reported_ratios', 'chip_specs',
                                 'events', 'sources'], c.table_name), 99),
         c.table_name, c.row_id, c.revision_id"""
OLD_CHANGES = """SELECT * FROM change_rows c
WHERE ($since::DATE IS NULL OR c.changed_on >= $since::DATE) AND ($row::VARCHAR IS NULL OR c.row_id = $row::VARCHAR)
""" + OLD_ORDER + " LIMIT $limit"
OLD_COUNTS = """SELECT changed_on, change, count(*) AS n FROM (""" + OLD_CHANGES.replace(" LIMIT $limit", "") + """)
GROUP BY changed_on, change ORDER BY changed_on DESC, change"""
OLD_CURRENCY = """
WITH latest AS (
    SELECT greatest((SELECT max(added_on) FROM trade_figures), (SELECT max(added_on) FROM chip_specs),
                    (SELECT max(added_on) FROM reported_ratios), (SELECT max(added_on) FROM policy_terms),
                    (SELECT max(added_on) FROM events), (SELECT max(revised_on) FROM revisions)) AS day
)
SELECT greatest((SELECT max(coalesce(published_date, as_of_date)) FROM trade_figures),
                (SELECT max(known_from) FROM event_rows)) AS newest_report,
       (SELECT day FROM latest) AS latest_change,
       (SELECT day FROM latest) - INTERVAL 30 DAY AS default_since,
       (SELECT max(built_at) FROM build_info) AS built_at"""



@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("change_log")
    fixture = build_db(FIXTURE_DATA, tmp / "fixture.duckdb")
    return {"fixture": fixture, "curated": build_db(ROOT / "data", tmp / "curated.duckdb"),
            "big": make_big_db(fixture, tmp / "big.duckdb", 3000)}


def sql(path, statement, params=None) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(statement, params or {}).df()


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return list(a.columns) == list(b.columns) and a.astype(str).equals(b.astype(str))


@pytest.mark.parametrize("name", ["fixture", "curated", "big"])
def test_the_change_log_reads_what_the_build_kept_and_says_the_same(databases, name):
    path = databases[name]
    kept = int(sql(path, "SELECT change_newest_kept() AS n").n.iloc[0])
    total = int(sql(path, "SELECT count(*) AS n FROM change_rows").n.iloc[0])
    default = sql(path, "SELECT default_since FROM data_currency").default_since.iloc[0].date()
    revised = sql(path, "SELECT row_id FROM revisions ORDER BY revision_id LIMIT 1").row_id.iloc[0]
    if name == "big":
        assert total > kept + 1000  # the kept lines are a strict prefix of the log
    for since in (None, default, dt.date(2025, 4, 1), dt.date(2035, 1, 1)):
        for row in (None, revised, "a01"):
            params = {"since": since, "row": row}
            for limit in (None, 1, 300, kept, kept + 1):
                new = sql(path, "SELECT * FROM changes_since(since_date := $since, only_row := $row, "
                                "max_rows := $limit)", {**params, "limit": limit})
                assert same(new, sql(path, OLD_CHANGES, {**params, "limit": limit})), (since, row, limit)
            counts = sql(path, "SELECT * FROM change_counts(since_date := $since, only_row := $row)", params)
            assert same(counts, sql(path, OLD_COUNTS, params)), (since, row)
    keys = "changed_on, change, table_name, row_id, revision_id"
    every = f"SELECT {keys} FROM change_rows ORDER BY ALL"
    assert same(sql(path, f"SELECT {keys} FROM change_keys ORDER BY ALL"), sql(path, every))
    assert same(sql(path, "SELECT * FROM data_currency"), sql(path, OLD_CURRENCY))
