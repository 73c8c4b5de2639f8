"""tracker.queries.figures: the pages' rows over a database built by the ETL from the fixture dataset."""
import datetime as dt

import pytest

from tracker import db, queries
from tracker.filters import Filters


@pytest.fixture
def version(use_fixture_db):
    return db.current_version()


def ids(frame, col="figure_id"):
    return sorted(frame[col])


def test_no_filter_returns_every_figure_with_parties_and_sources(version, fixture_db):
    import duckdb
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        expected = sorted(r[0] for r in con.execute("SELECT figure_id FROM trade_figures").fetchall())
    got = queries.figures(Filters(), version)
    assert ids(got) == expected
    a01 = got.set_index("figure_id").loc["a01"]
    assert a01["shared"] and a01["n_companies"] == 3 and a01["bound"] == "at_least"
    assert a01["companies"] == "Alibaba Group + ByteDance + Tencent"
    assert got["url"].str.startswith("http").all() and got["quote"].str.len().gt(0).all()


def test_company_filter_keeps_combined_figures_whole(version):
    got = queries.figures(Filters(companies=("tencent",)), version)
    assert ids(got) == ["a01"]  # the shared figure, not a per-company share of it
    assert got["value"].iloc[0] == 400000
    assert queries.hidden_market_wide(Filters(companies=("tencent",)), version) == 4


def test_date_grade_and_chip_filters(version):
    assert ids(queries.figures(Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)), version)) == ["a01", "a20"]
    assert "a11" not in ids(queries.figures(Filters(grade="H"), version))  # heise is grade M
    assert queries.figures(Filters(chips=("h20",)), version).empty


def test_known_on_hides_later_publications(version):
    before = queries.figures(Filters(known=dt.date(2026, 1, 20)), version)
    assert "a01" not in ids(before) and "a04" in ids(before)
    pipe = queries.pipeline(Filters(known=dt.date(2026, 1, 20)), version)
    assert "cn_approved" not in set(pipe["stage"])
    assert "cn_approved" in set(queries.pipeline(Filters(known=dt.date(2026, 1, 29)), version)["stage"])


def test_pipeline_picks_latest_per_stage_and_counts_reports(version):
    pipe = queries.pipeline(Filters(), version).set_index("stage")
    order = queries.vocabulary(version).pipeline_stages()  # data/stages.csv, in_pipeline
    assert list(pipe.index) == [s for s in order if s in pipe.index] and pipe["derived"].all()
    assert pipe.loc["ordered", "figure_id"] == "a04" and pipe.loc["ordered", "reports"] == 2
    assert pipe.loc["shipped", "bound"] == "none_reported" and pipe["value"].isna().loc["shipped"]


def test_events_keep_policy_context_under_a_company_filter(version):
    got = queries.events(Filters(companies=("nvidia",)), version)
    assert ids(got, "event_id") == ["bis_rule_20260113"]


def test_normalised_is_derived_and_names_its_reference(version):
    got = queries.normalised(Filters(), "fp16_bf16_tflops", "dense", version).set_index("chip_id")
    assert got.loc["h200", "ratio_to_reference"] == pytest.approx(989 / 148)
    assert got.loc["h200", "ref_spec_id"] == "h20_fp16_dense" and got["ratio_is_derived"].all()
    assert got.loc["h20", "is_reference"] and got.loc["h200", "ref_chip"] == "Nvidia H20"


def test_a_hostile_metric_is_a_bound_value_not_sql(version):
    assert queries.normalised(Filters(), "value'; DROP TABLE x; --", "dense", version).empty
    assert not queries.figures(Filters(), version).empty  # nothing was dropped


def test_thresholds_and_sources(version):
    terms = queries.thresholds(Filters(), version).set_index("metric")
    assert terms.loc["tpp", "value"] == 21000 and terms.loc["tpp", "bound"] == "less_than"
    assert set(queries.sources(Filters(grade="H"), version)["grade"]) == {"H"}


def test_every_figure_says_its_value_in_words_next_to_the_metric(version):
    for frame in (queries.figures(Filters(), version), queries.pipeline(Filters(), version)):
        cols = list(frame.columns)
        assert cols.index("reported") == cols.index("metric") + 1
        by_id = frame.set_index("figure_id")["reported"]
        assert by_id["a01"] == "≥ 400,000 chips"
        assert by_id["a20"] == "none reported"  # words, never an empty cell or a 0
