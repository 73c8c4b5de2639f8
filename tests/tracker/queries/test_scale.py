"""Issue 10, in SQL and in tracker.queries.scale: the cells give what every row gives; bins keep
their bounds and stay within the mark budget at 100,000 rows; pages cut the rows right; a
streamed CSV is the whole table's CSV, neutralised; the rows read back by rowid and the counts
read from the cells are the definitions' they replaced."""
from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd
import pytest

from tests.conftest import FIXTURE_DATA, ROOT, build_db
from tests.scale_db import HOSTILE, make_big_db
from tracker import db, labels, paging, queries, ui
from tracker.exports.csv_safety import to_csv_bytes
from tracker.queries import scale
from tracker.filter_sql import call
from tracker.filters import Filters

ROWS = 100_000
FILTERS = [Filters(), Filters(grade="M"), Filters(companies=("bytedance",)), Filters(known=dt.date(2026, 3, 1)),
           Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 6, 30)), Filters(chips=("h20",)),
           Filters(companies=("alibaba", "tencent"), grade="H")]

# The pipeline headline over every row, as derived_pipeline read it before the cells (issue 10):
# the oracle the cells must agree with.
EVERY_ROW_PIPELINE = """
WITH ranked AS (
    SELECT f.*, count(*) OVER (PARTITION BY f.stage) AS reports,
           count(f.value) OVER same AS same_reports, min(f.value) OVER same AS same_low,
           max(coalesce(f.value_high, f.value)) OVER same AS same_high,
           row_number() OVER (PARTITION BY f.stage ORDER BY headline_key(
               f.value, f.unit_kind, f.bound, f.as_of_date, f.published_date,
               (SELECT grade_order FROM grades g WHERE g.grade = f.grade), f.figure_id)) AS pick
    FROM ({rows}) f
    JOIN stages st USING (stage)
    WHERE st.in_pipeline AND list_contains(chips_with_role('pipeline'), f.chip_id)
    WINDOW same AS (PARTITION BY f.chip_id, f.stage, f.unit, f.companies, coalesce(f.measure, ''))
)
SELECT * EXCLUDE (pick), headline_rule() AS headline_rule, TRUE AS derived
FROM ranked WHERE pick = 1 ORDER BY stage_order
"""


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scale")
    fixture = build_db(FIXTURE_DATA, tmp / "fixture.duckdb")
    return {"fixture": fixture, "curated": build_db(ROOT / "data", tmp / "curated.duckdb"),
            "big": make_big_db(fixture, tmp / "big.duckdb", ROWS)}


def sql(path, statement, params=None) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(statement, params or {}).df()


@pytest.mark.parametrize("f", FILTERS, ids=lambda f: "-".join(f.describe()) or "none")
@pytest.mark.parametrize("name", ["fixture", "curated", "big"])
def test_headlines_from_the_cells_equal_every_row(databases, name, f):
    rows, params = call("filtered_figures", f)
    oracle = sql(databases[name], EVERY_ROW_PIPELINE.format(rows=rows), params)
    cells = sql(databases[name], *call("derived_pipeline", f))
    assert list(cells.columns) == list(oracle.columns)
    assert cells.astype(str).equals(oracle.astype(str))
    if name != "fixture" and not f.describe():
        assert len(cells) > 3  # not vacuous


@pytest.mark.parametrize("f", FILTERS[:4], ids=lambda f: "-".join(f.describe()) or "none")
@pytest.mark.parametrize("name", ["curated", "big"])
def test_report_groups_count_what_every_report_lists(databases, name, f):
    every = sql(databases[name], *call("derived_figure_reports", f))
    groups = sql(databases[name], *call("derived_figure_report_groups", f))
    assert int(groups["reports"].sum()) == len(every)
    assert sorted(groups["headline_id"]) == sorted(every.loc[every["headline"], "figure_id"])
    if not f.describe():
        assert len(groups) > 1


def test_cells_hold_every_row_once(databases):
    for path in databases.values():
        n = sql(path, "SELECT (SELECT count(*) FROM trade_figures) AS rows, "
                      "(SELECT sum(reports) FROM figure_cells) AS cells").iloc[0]
        assert n["rows"] == n["cells"]


# --- bins keep their bounds and stay within the budget ---------------------------------------------
def test_a_bin_of_lower_bounds_is_a_lower_bound(databases):
    bins = sql(databases["big"], "SELECT * FROM derived_figure_time_bins(grain := 'month')")
    (ordered,) = bins[(bins["stage"] == "ordered") & (bins["bin_start"] == pd.Timestamp("2025-01-01"))
                      ].to_dict("records")
    assert ordered["bound"] == "at_least" and ordered["bound_symbol"] == "≥"
    assert ordered["reports"] == ROWS // 2 and (ordered["value_min"], ordered["value_max"]) == (1, 999)
    said = labels.bin_value(ordered)
    assert said.startswith("≥ 999 chips: 50,000 reports") and "from ≥ 1 chips to ≥ 999 chips" in said
    assert labels.bin_anchor(ordered) == 999  # the mark sits at the strongest lower bound


def test_a_bin_never_mixes_bounds_nor_sums_values(databases):
    bins = sql(databases["big"], "SELECT * FROM derived_figure_time_bins(grain := 'month')")
    march = bins[(bins["stage"] == "shipped") & (bins["bin_start"] == pd.Timestamp("2025-03-01"))]
    assert sorted(march["bound"]) == ["about", "at_most", "exact", "range"]  # one bin per bound
    assert (march["reports"] == ROWS // 8).all()
    assert march.set_index("bound").loc["range", "value_max"] == 1009  # a range's high end counts
    (upper,) = march[march["bound"] == "at_most"].to_dict("records")
    assert labels.bin_anchor(upper) == 1 and labels.bin_value(upper).startswith("≤ 1 chips")
    raw = sql(databases["big"], "SELECT max(coalesce(value_high, value)) AS top, sum(value) AS total "
                                "FROM trade_figures WHERE unit = 'chips'").iloc[0]
    assert bins["value_max"].max() <= raw["top"] < raw["total"]  # extremes, never a sum


def test_marks_stay_within_the_budget_at_100k_rows(databases):
    for budget in (500, 20, 5):
        grain = sql(databases["big"], "SELECT * FROM derived_figure_grain(budget := $b)", {"b": budget}).iloc[0]
        assert grain["reports"] > ROWS - 10 and grain["grain"] != "report"
        bins = sql(databases["big"], "SELECT * FROM derived_figure_time_bins(grain := $g)", {"g": grain["grain"]})
        assert len(bins) == grain["marks"]
        assert len(bins) <= budget or grain["grain"] == "year"  # year is the coarsest grain
        assert int(bins["reports"].sum()) == grain["reports"]   # every report in exactly one mark
    report_bins = sql(databases["big"], "SELECT * FROM derived_figure_report_bins()")
    assert len(report_bins) < 40 and int(report_bins.groupby(
        ["chip_id", "stage", "unit", "companies"])["quantity_reports"].first().sum()) > ROWS - 10
    assert report_bins.groupby(["chip_id", "stage", "unit", "companies"])["headline"].sum().eq(1).all()


def test_few_reports_are_drawn_one_by_one(databases):
    grain = sql(databases["fixture"], "SELECT * FROM derived_figure_grain()").iloc[0]
    assert grain["grain"] == "report" and grain["marks"] == grain["reports"] == 4  # a01 a04 a05 a15


# --- pages of rows -----------------------------------------------------------------------------
@pytest.fixture
def version(databases, monkeypatch):
    def use(name):
        monkeypatch.setenv("H200_DB", str(databases[name]))
        return db.current_version()
    return use


@pytest.mark.parametrize("f", [Filters(), Filters(grade="M"), Filters(companies=("bytedance",))],
                         ids=["none", "grade-M", "bytedance"])
def test_page_two_shows_rows_51_to_100(version, f):
    v = version("big")
    every = sql(v.path, *call("filtered_figures", f))
    every = every.sort_values(["as_of_date", "stage", "figure_id"], ignore_index=True)
    assert queries.row_count("figures", f, v) == len(every) > 5000
    page2 = queries.rows_page("figures", f, v, 50)
    assert list(page2["figure_id"]) == list(every["figure_id"][50:100])
    assert {"reported", "revised"} <= set(page2.columns)
    last = queries.rows_page("figures", f, v, len(every) - 7)
    assert list(last["figure_id"]) == list(every["figure_id"][-7:])
    assert queries.rows_page("figures", f, v, len(every)).empty


def test_pages_of_small_tables_and_named_figures(version):
    v = version("curated")
    f = Filters()
    events = queries.events(f, v)
    assert queries.row_count("events", f, v) == len(events) > 50
    assert list(queries.rows_page("events", f, v, 50)["event_id"]) == list(events["event_id"][50:100])
    named = queries.figures(f, v).query("n_companies > 0")
    assert queries.row_count("named_figures", f, v) == len(named)
    assert list(queries.rows_page("named_figures", f, v, 0, 10)["figure_id"]) == list(named["figure_id"][:10])


# --- streamed CSVs -----------------------------------------------------------------------------
class FakePage:
    def __init__(self, f, v):
        self.filters, self.version = f, v


@pytest.mark.parametrize("name", ["fixture", "curated"])
@pytest.mark.parametrize("table, columns, whole", [
    ("figures", ui.FIGURE_COLUMNS, queries.figures), ("events", ui.EVENT_COLUMNS, queries.events),
    ("specs", ui.SPEC_TABLE_COLUMNS, queries.specs), ("ratios", ui.RATIO_COLUMNS, queries.reported_ratios),
    ("terms", ui.TERM_COLUMNS, queries.policy_terms)])
def test_streamed_csv_is_the_whole_tables_csv(version, name, table, columns, whole, monkeypatch):
    v = version(name)
    monkeypatch.setattr(scale, "BATCH_ROWS", 7)  # row_batches reads its own module's
    f = Filters()
    streamed = paging.streamed(table, FakePage(f, v), columns)
    expected = to_csv_bytes(ui.chart_rows(whole(f, v), columns))
    frames = list(streamed.batches())
    assert len(frames) == max(1, -(-len(whole(f, v)) // 7))  # really in batches of 7
    assert streamed.csv_bytes() == expected
    assert streamed.rows == len(whole(f, v))


def test_a_hundred_thousand_rows_stream_whole_and_neutralised(version):
    v = version("big")
    f = Filters()
    streamed = paging.streamed("figures", FakePage(f, v), ui.FIGURE_COLUMNS)
    data = streamed.csv_bytes()
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    assert len(frame) == streamed.rows == queries.row_count("figures", f, v) > ROWS
    assert frame["figure_id"].is_unique
    hostile = frame[frame["quote"].str.contains("HYPERLINK")]
    assert len(hostile) == ROWS // 1000 and (hostile["quote"] == "'" + HOSTILE).all()
    assert data.count(b"\r\n") == len(frame) + 1  # one header, CRLF rows


def test_data_currency_reads_the_latest_change_without_every_change_row(databases):
    for path in databases.values():
        got = sql(path, "SELECT latest_change, default_since FROM data_currency").iloc[0]
        every = sql(path, "SELECT max(changed_on) AS day, max(changed_on) - INTERVAL 30 DAY AS since "
                          "FROM change_rows").iloc[0]
        assert pd.Timestamp(got["latest_change"]) == pd.Timestamp(every["day"])
        assert pd.Timestamp(got["default_since"]) == pd.Timestamp(every["since"])


def test_chip_count_choices_are_the_latest_and_the_subjects_latest(databases, version):
    v = version("big")
    f = Filters()
    choices = queries.chip_count_choices(f, v)
    every = sql(v.path, *call("filtered_figures", f))
    counts = every[(every["unit_kind"] == "chip_count") & every["value"].notna()]
    latest = counts.sort_values(["as_of_date", "stage", "figure_id"]).tail(queries.CHOICES)
    subject = counts[counts["is_subject"]].sort_values(["as_of_date", "figure_id"]).iloc[-1]["figure_id"]
    assert set(choices["figure_id"]) == set(latest["figure_id"]) | {subject}
    assert queries.chip_count_total(f, v) == len(counts) > ROWS // 2


def test_known_on_keeps_what_was_published_that_day_in_rows_and_cells(databases, version):
    v = version("curated")
    every = queries.figures(Filters(), v)
    day = pd.Timestamp(every["published_date"].dropna().max()).date()
    newest = set(every.loc[every["published_date"] == pd.Timestamp(day), "figure_id"])
    on = Filters(known=day)
    before = Filters(known=day - dt.timedelta(days=1))
    assert newest <= set(queries.figures(on, v)["figure_id"])          # published that day: known
    assert not newest & set(queries.figures(before, v)["figure_id"])   # the day before: not yet
    for f in (on, before):
        assert queries.row_count("figures", f, v) == len(queries.figures(f, v))  # cells agree


# --- the paths that read a few rows by rowid or count from the cells, against the definitions
# they replaced (etl/views.sql and company_reports before this round) ---------------------------
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


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return list(a.columns) == list(b.columns) and a.astype(str).equals(b.astype(str))


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
