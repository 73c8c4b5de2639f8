"""Text alternatives of the charts: made from the frame the chart draws, bounds kept in words,
'none reported' never a zero, a bin saying how many reports it stands for."""
import pandas as pd
import pytest

from tracker import alt_text, charts

CHIPS = dict(unit="chips", unit_kind="chip_count", unit_prefix="", unit_suffix=" chips")


def fig_row(stage, label, value, bound, high=None, order=1, date="2026-01-28", **extra):
    row = dict(stage=stage, stage_label=label, stage_order=order, stage_colour="#3366cc", value=value,
               value_high=high, bound=bound, bound_label=bound, bound_symbol={"at_least": "≥",
               "at_most": "≤", "about": "≈"}.get(bound, ""), as_of_date=pd.Timestamp(date),
               as_of_precision="day", publisher="Reuters", grade="H", companies="", n_companies=0,
               chip="Nvidia H200", metric="m", revised="", **CHIPS)
    return {**row, **extra}


PIPE = pd.DataFrame([
    fig_row("ordered", "Orders", 2_000_000.0, "at_least", order=2),
    fig_row("inventory", "Nvidia inventory", 700_000.0, "about", order=3),
    fig_row("cn_approved", "Chinese approvals", 400_000.0, "at_least", order=4, n_companies=3,
            companies="Alibaba + ByteDance + Tencent"),
    fig_row("planned_shipment", "Planned shipments", 5_000.0, "range", high=10_000.0, order=5,
            unit="modules", unit_suffix=" modules", unit_kind="module_count"),
    fig_row("us_cap", "US cap", 75_000.0, "at_most", order=6),
    fig_row("shipped", "Shipped", None, "none_reported", order=7),
])


def test_amount_keeps_every_bound_in_words():
    words = [alt_text.amount(r) for r in PIPE.to_dict("records")]
    assert words == ["at least 2,000,000 chips", "about 700,000 chips", "at least 400,000 chips",
                     "between 5,000 modules and 10,000 modules", "at most 75,000 chips", "none reported"]


def test_none_reported_is_never_zero():
    text = alt_text.pipeline(PIPE)
    assert "Shipped: none reported (as of 2026-01-28)" in text
    assert " 0 " not in text and "0 chips" not in text.replace("000 chips", "")


def test_pipeline_text_says_what_and_every_headline_with_its_bound():
    text = alt_text.pipeline(PIPE)
    assert text.startswith("Bar chart of the headline H200 figure for each of 6 stages")
    for part in ("Orders: at least 2,000,000 chips", "Nvidia inventory: about 700,000 chips",
                 "Chinese approvals: at least 400,000 chips (shared by Alibaba + ByteDance + Tencent, not split)",
                 "Planned shipments: between 5,000 modules and 10,000 modules", "US cap: at most 75,000 chips"):
        assert part in text
    assert "≥" not in text and "≤" not in text  # words, not symbols a reader may skip


def test_pipeline_numbers_are_the_figures_numbers():
    """Each number in the text is a bar's value (or a range's end) in the figure itself."""
    fig = charts.pipeline(PIPE)
    bars = [v for t in fig.data if t.type == "bar" for v in t.x]
    text = alt_text.pipeline(PIPE)
    for v in bars:
        assert f"{v:,.0f}" in text
    assert "10,000 modules" in text


def test_over_time_states_span_count_largest_and_latest():
    frame = PIPE[PIPE["unit"].eq("chips") & PIPE["value"].notna()].assign(
        as_of_date=pd.to_datetime(["2025-12-31", "2026-01-05", "2026-01-28", "2026-01-10"]))
    events = pd.DataFrame({"date": pd.to_datetime(["2026-01-13"])})
    text = alt_text.over_time(frame, events)
    assert "4 reported chip counts by as-of date (2025-12-31 to 2026-01-28" in text
    assert "The largest is at least 2,000,000 chips (Orders, as of 2025-12-31)" in text
    assert "the latest is at least 400,000 chips (Chinese approvals, as of 2026-01-28)" in text
    assert "1 event is marked" in text


def test_a_bin_says_how_many_reports_it_stands_for_and_its_strongest_claim():
    base = dict(stage="ordered", stage_label="Orders", stage_order=2, grain="month", **CHIPS,
                bin_start=pd.Timestamp("2026-01-01"), bin_end=pd.Timestamp("2026-01-31"))
    lower = dict(base, bound="at_least", reports=12, value_min=1_000.0, value_max=50_000.0)
    upper = dict(base, bound="at_most", reports=3, value_min=7_000.0, value_max=9_000.0)
    exact = dict(base, bound="exact", reports=1, value_min=20.0, value_max=20.0)
    spread = dict(base, bound="exact", reports=2, value_min=20.0, value_max=30.0)
    assert alt_text.bin_amount(lower) == "at least 50,000 chips (12 reports)"
    assert alt_text.bin_amount(upper) == "at most 7,000 chips (3 reports)"
    assert alt_text.bin_amount(exact) == "20 chips (1 report)"
    assert alt_text.bin_amount(spread) == "between 20 chips and 30 chips (2 reports)"
    text = alt_text.over_time_bins(pd.DataFrame([lower, upper]), None, {"grain": "month"})
    assert "15 reported chip counts in 2 marks, one per stage, bound and month" in text
    assert "nothing is summed" in text and "at least 50,000 chips (12 reports)" in text


SPEC = dict(chip="Nvidia H200", publisher="Nvidia", unit="TPP", spec_id="s1", sparsity="n/a",
            bound="exact", value_high=None, grade="H", revised="")


def test_threshold_text_names_the_limit_with_its_bound_and_who_crosses_it():
    rows = pd.DataFrame([dict(SPEC, value=15_832.0), dict(SPEC, chip="Nvidia B30A", value=25_000.0,
                                                          bound="about")])
    term = pd.Series(dict(value=21_000.0, bound="less_than", bound_symbol="<", unit="TPP",
                          rule="BIS rule", effective_date=pd.Timestamp("2026-01-15"), publisher="BIS"))
    text = alt_text.against_threshold(rows, term, "TPP")
    assert "2 reported TPP values against the limit of BIS rule, less than 21,000 TPP (effective 2026-01-15)" in text
    assert "1 is at or above it: Nvidia B30A about 25,000 TPP (Nvidia)" in text
    fig = charts.against_threshold(rows, term, "t", "TPP")
    assert any(s.x0 == 21_000.0 for s in fig.layout.shapes)  # the figure's own line


def test_ratio_keeps_the_bound_and_a_ratio_of_two_bounds_has_none():
    exact_ref = dict(ratio_to_reference=6.68, bound="at_least", ref_bound="exact")
    both = dict(ratio_to_reference=6.0, bound="at_least", ref_bound="at_least")
    assert alt_text.ratio(exact_ref) == "at least 6.68×"
    assert alt_text.ratio(both) == "6× (indicative: both values are bounds)"
    assert alt_text.ratio(dict(ratio_to_reference=2.5, bound="exact", ref_bound="at_least")) == "at most 2.50×"


def test_reports_text_names_the_widest_spread_and_its_headline():
    rows = pd.DataFrame([
        dict(fig_row("ordered", "Orders", 2_000_000.0, "at_least"), reports=2, spread=2.0, headline=True),
        dict(fig_row("ordered", "Orders", 1_000_000.0, "exact"), reports=2, spread=2.0, headline=False,
             publisher="FT"),
    ])
    text = alt_text.reports(rows, ["chip", "stage_label", "unit"])
    assert text.startswith("2 reports of 1 quantity reported more than once")
    assert "Nvidia H200 · Orders · chips, 2 reports from 1,000,000 chips to at least 2,000,000 chips" in text
    assert "its headline: at least 2,000,000 chips (Reuters)" in text


@pytest.mark.parametrize("make", [
    lambda: alt_text.pipeline(PIPE.iloc[0:0]),
    lambda: alt_text.over_time(PIPE.iloc[0:0]),
    lambda: alt_text.reports(PIPE.iloc[0:0], ["chip"]),
])
def test_an_empty_chart_says_nothing_matches(make):
    assert make().startswith("No ") and "filters" in make()


def test_scenario_says_it_is_a_scenario_and_its_verdict():
    frame = pd.DataFrame({"month": [0, 1, 2], "cumulative_supply": [100.0, 200.0, 300.0], "orders": 250.0,
                          "cap_total": None})
    text = alt_text.scenario(frame, 2)
    assert text.startswith("SCENARIO, not data") and "from 100 chips to 300 chips" in text
    assert "orders of 250 chips; the orders are met in month 2." in text


def test_money_keeps_its_prefix_and_no_unit_id():
    row = dict(bound="about", value=1e10, value_high=None, unit="usd", unit_kind="money", unit_prefix="$",
               unit_suffix="")
    assert alt_text.amount(row) == "about $10.0 bn"
