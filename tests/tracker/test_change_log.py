"""Issue 10, the paths that read what the build aggregated or a few rows by rowid: each gives
exactly what the definition it replaced gives (kept here as the oracle), on the fixture, the
curated data and the fixture plus 3,000 rows (more changes than change_newest keeps).

- the change log: changes_since (the newest lines from change_newest), change_counts (from
  change_day_counts), change_keys, data_currency;
- the figures read back by rowid: filtered_chip_count_choices, filtered_figure_page;
- counts read from figure_cells: company_reports, filtered_sources' figures, the date span.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from tests.conftest import FIXTURE_DATA, ROOT, build_db
from tests.scale_db import make_big_db
from tracker import db, queries
from tracker.filter_sql import call
from tracker.filters import Filters

# The definitions these paths replaced (etl/views.sql before issue 10's last round).
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
OLD_CHOICES = """WITH f AS (SELECT * FROM ({rows}) WHERE unit_kind = 'chip_count' AND value IS NOT NULL),
picked AS (
    (SELECT figure_id FROM f ORDER BY as_of_date DESC, stage DESC, figure_id DESC LIMIT $n)
    UNION
    (SELECT figure_id FROM f WHERE is_subject ORDER BY as_of_date DESC, figure_id DESC LIMIT 1)
)
SELECT * FROM ({rows}) WHERE figure_id IN (SELECT figure_id FROM picked) ORDER BY as_of_date, stage, figure_id"""
OLD_COMPANIES = """SELECT fc.company_id, co.name AS company, count(*)::BIGINT AS reports,
       count(*) FILTER (WHERE f.shared)::BIGINT AS shared_reports FROM ({rows}) f
JOIN figure_companies fc USING (figure_id) JOIN companies co USING (company_id)
WHERE len($companies::VARCHAR[]) = 0 OR list_contains($companies::VARCHAR[], fc.company_id)
GROUP BY ALL ORDER BY reports DESC, company"""
FILTERS = [Filters(), Filters(grade="M"), Filters(companies=("bytedance",)), Filters(known=dt.date(2026, 1, 20)),
           Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)), Filters(chips=("h20",))]


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


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: "-".join(f.describe()) or "none")
@pytest.mark.parametrize("name", ["fixture", "curated", "big"])
def test_figures_read_back_by_rowid_are_the_old_definitions_rows(databases, name, f):
    path = databases[name]
    rows, params = call("filtered_figures", f)
    for n in (1, 5, 200):
        new = sql(path, *call("filtered_chip_count_choices", f, n=n))
        assert same(new, sql(path, OLD_CHOICES.format(rows=rows), {**params, "n": n})), n
    every = sql(path, rows + " ORDER BY as_of_date, stage, figure_id", params)
    for offset in (0, 3, 50, max(len(every) - 7, 0)):
        page = sql(path, *call("filtered_figure_page", f, page_offset=offset, page_size=50))
        assert list(page.columns[:-1]) == list(every.columns)
        assert same(page.drop(columns="row_number").reset_index(drop=True),
                    every.iloc[offset:offset + 50].reset_index(drop=True)), offset
        assert list(page["row_number"]) == list(range(offset + 1, offset + 1 + len(page)))
    if name != "fixture" and not f.describe():
        assert len(every) > 50 and len(new) > 5  # not vacuous


@pytest.fixture
def version(databases, monkeypatch):
    def use(name):
        monkeypatch.setenv("H200_DB", str(databases[name]))
        return db.current_version()
    return use


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: "-".join(f.describe()) or "none")
@pytest.mark.parametrize("name", ["fixture", "curated", "big"])
def test_counts_from_the_cells_are_the_counts_of_every_row(version, name, f):
    v = version(name)
    rows, params = call("filtered_figures", f)
    old = sql(v.path, OLD_COMPANIES.format(rows=rows), params)
    assert same(queries.company_reports(f, v), old)
    sources = sql(v.path, *call("filtered_sources", f))
    cited = sql(v.path, "SELECT source_id, count(*) AS n FROM trade_figures GROUP BY ALL")
    assert sources.set_index("source_id")["figures"].to_dict() == {
        s: int(dict(zip(cited.source_id, cited.n)).get(s, 0)) for s in sources.source_id}
    span = sql(v.path, "SELECT min(d) AS first, max(d) AS last FROM ("
                       "SELECT as_of_date AS d FROM trade_figures UNION ALL SELECT date FROM events)").iloc[0]
    opts = queries.options(v)
    assert (opts.first, opts.last) == (span["first"].date(), span["last"].date())
