"""The dashboard's questions answered on the real curated data (data/), through the app's
own queries: what an analyst sees as known on a date, headlines, H200 vs H20."""
import datetime as dt

import pytest

from tests.conftest import ROOT, build_db
from tracker import db, queries
from tracker.filters import Filters


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    return build_db(ROOT / "data", tmp_path_factory.mktemp("real") / "real.duckdb")


@pytest.fixture
def version(real_db, monkeypatch):
    monkeypatch.setenv("H200_DB", str(real_db))
    return db.current_version()


def stage(pipe, name):
    rows = pipe[pipe["stage"] == name]
    return None if rows.empty else rows.iloc[0]


def test_as_known_on_20_january_there_is_no_chinese_approval(version):
    pipe = queries.pipeline(Filters(known=dt.date(2026, 1, 20)), version)
    assert stage(pipe, "cn_approved") is None
    assert stage(pipe, "ordered")["value"] == 2_000_000  # the 31 Dec Reuters report was out


def test_as_known_on_29_january_more_than_400000_approved(version):
    row = stage(queries.pipeline(Filters(known=dt.date(2026, 1, 29)), version), "cn_approved")
    assert (row["value"], row["bound"], row["n_companies"]) == (400_000, "at_least", 3)


def test_latest_headlines_prefer_numbers_and_keep_bounds(version):
    pipe = queries.pipeline(Filters(), version)
    assert stage(pipe, "shipped")["figure_id"] == "n07" and stage(pipe, "shipped")["bound"] == "at_most"
    # the latest inventory report is the FT's ~500,000 built for China (Aug 2026), not Nvidia's
    inventory = stage(pipe, "inventory")
    assert (inventory["figure_id"], inventory["value"], inventory["bound"]) == ("p03_inventory", 500_000, "about")
    delivered = stage(pipe, "delivered")  # about 10,000 each to ByteDance and Tencent (FT)
    assert delivered["value"] == 10_000 and delivered["bound"] == "about"
    assert delivered["figure_id"] in {"p01_bytedance", "p01_tencent"}
    # as known on 1 June 2026: Nvidia's 700,000, and "not a single delivery": words, never a 0 bar
    june = queries.pipeline(Filters(known=dt.date(2026, 6, 1)), version)
    assert stage(june, "inventory")["value"] == 700_000
    delivered = stage(june, "delivered")
    assert delivered["bound"] == "none_reported" and delivered["figure_id"] in {"a23_delivered", "p06_delivered"}


def test_shared_approval_under_one_company(version):
    figs = queries.figures(Filters(companies=("tencent",)), version)
    a01 = figs.set_index("figure_id").loc["a01"]
    assert a01["shared"] and a01["n_companies"] == 3 and a01["value"] == 400_000
    assert set(a01["companies"].split(" + ")) == {"Alibaba", "ByteDance", "Tencent"}


def test_h200_is_about_six_times_h20_by_tpp_and_dense_bf16(version):
    for metric, sparsity in (("tpp", "n/a"), ("fp16_bf16_tflops", "dense")):
        ratios = queries.normalised(Filters(), metric, sparsity, version)
        h200 = ratios[ratios["chip_id"] == "h200"]["ratio_to_reference"]
        assert not h200.empty and h200.between(6.5, 6.8).all(), (metric, h200.tolist())
    bw = queries.normalised(Filters(), "memory_bandwidth_tbs", "n/a", version)
    assert bw[bw["chip_id"] == "h200"]["ratio_to_reference"].max() < 1.5


def test_conflicting_reports_are_all_kept(version):
    specs = queries.spec_reports(Filters(), version)
    b200_mem = specs[(specs["chip_id"] == "b200") & (specs["metric"] == "memory_gb")]
    assert sorted(b200_mem["value"]) == [179, 192] and b200_mem["headline"].sum() == 1


def test_conflict_view_compares_only_reports_of_the_same_quantity(version):
    reports = queries.figure_reports(Filters(), version)
    caps = reports[reports["stage"] == "us_cap"]
    # per-customer: Bloomberg's and Congero's 75,000 beside the FT's up to 100,000 (a conflict);
    # the million total is alone
    assert set(caps["figure_id"]) == {"a18", "a22_cap", "p02_ft_cap"}
    assert caps["spread"].round(4).eq(round(100_000 / 75_000, 4)).all() and caps["headline"].sum() == 1
    assert "a15_order" not in set(reports["figure_id"])  # a preliminary order is not stated interest


def test_reported_ratios_sit_beside_our_arithmetic(version):
    ratios = queries.reported_ratios(Filters(), version).set_index("ratio_id")
    assert ratios.loc["c01_six_times", "reported"] == "≈ 6×"
    assert ratios.loc["c01_six_times", "publisher"] == "Reuters, as relayed by The Decoder"
    assert ratios.loc["c02_tpp_ratio", "basis"] == "tpp"
    # as known before Reuters' 28 January report, its "about six times" is not yet there
    early = queries.reported_ratios(Filters(known=dt.date(2026, 1, 20)), version)
    assert "c01_six_times" not in set(early["ratio_id"]) and "c02_tpp_ratio" in set(early["ratio_id"])


def test_the_caps_headline_carries_the_range_of_its_conflicting_reports(version):
    """The FT's 'up to 100,000' is the headline, and the card must not hide the 75,000 reports."""
    from tracker import cards
    cap = stage(queries.pipeline(Filters(), version), "us_cap")
    reports = queries.figure_reports(Filters(), version)
    same = reports[(reports["stage"] == "us_cap") & (reports["measure"] == cap["measure"])]
    assert (cap["same_low"], cap["same_high"]) == (same["value"].min(), same["value"].max())
    assert cap["same_reports"] == len(same) >= 3
    assert "range 75,000–100,000 chips" in cards.conflict(cap)
    one = stage(queries.pipeline(Filters(), version), "ordered")
    assert cards.conflict(one) == ""  # a single report of its quantity: nothing to say
