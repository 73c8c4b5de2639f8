"""Drill-down, pure parts: a plotly selection payload -> the narrowing; URL values validated;
what each bar stands for carried in the figure."""
from __future__ import annotations

import pandas as pd

from tracker import charts
from tracker.drill import Drill, from_selection, parse

KNOWN = {"stage": {"ordered": "Orders", "cn_approved": "Chinese approvals"}}


def payload(*customdata) -> dict:
    """What st.plotly_chart keeps in session_state after a click (snake_case keys)."""
    return {"selection": {"points": [{"curve_number": 0, "point_number": i, "point_index": i, "x": 1.0,
                                      "y": "Orders", "customdata": c, "legendgroup": ""}
                                     for i, c in enumerate(customdata)],
                          "point_indices": list(range(len(customdata))), "box": [], "lasso": []}}


def test_a_clicked_bar_narrows_to_its_stage():
    assert from_selection(payload(["stage", "ordered"]), ("stage",)) == Drill("stage", "ordered")
    assert Drill("stage", "ordered").param == "stage:ordered"


def test_the_first_drillable_point_wins_and_other_kinds_are_ignored():
    assert from_selection(payload(["chip", "h200"], ["stage", "cn_approved"]), ("stage",)) == \
        Drill("stage", "cn_approved")
    assert from_selection(payload(["chip", "h200"]), ("stage",)) is None
    assert from_selection(payload(None, "x", [1, 2], ["stage"]), ("stage",)) is None


def test_no_selection_is_no_drill():
    assert from_selection(payload(), ("stage",)) is None
    assert from_selection(None, ("stage",)) is None
    assert from_selection({}, ("stage",)) is None
    assert from_selection({"selection": {"points": None}}, ("stage",)) is None


def test_url_values_pass_only_when_known():
    assert parse([], KNOWN) == (None, [])
    assert parse(["stage:ordered"], KNOWN) == (Drill("stage", "ordered"), [])
    for bad in ("stage:nope", "chip:ordered", "ordered", "stage:", ":ordered", "stage:ordered\n", "x" * 200):
        drill, warnings = parse([bad], KNOWN)
        assert drill is None and len(warnings) == 1, bad
        assert "\n" not in warnings[0] and "[" not in warnings[0]
    drill, warnings = parse(["stage:ordered", "stage:cn_approved"], KNOWN)
    assert drill == Drill("stage", "ordered") and len(warnings) == 1


def _pipe() -> pd.DataFrame:
    return pd.DataFrame({
        "stage": ["ordered", "cn_approved", "shipped"], "stage_label": ["Orders", "Chinese approvals", "Shipped"],
        "stage_colour": ["#111", "#222", "#333"], "unit": ["chips", "chips", "chips"],
        "value": [400000.0, 82000.0, None], "value_high": [None, None, None],
        "bound": ["at_least", "exact", "none_reported"], "bound_symbol": ["≥", "", ""],
        "bound_label": ["at least", "exact", "none reported"], "metric": ["m", "m", "m"],
        "as_of_date": pd.to_datetime(["2026-01-01"] * 3), "as_of_precision": ["day"] * 3,
        "publisher": ["P"] * 3, "grade": ["H"] * 3, "chip": ["H200"] * 3, "companies": ["", "", ""],
        "n_companies": [0, 0, 0]})


def test_pipeline_bars_carry_their_stage_and_draw_the_drilled_one_selected():
    fig = charts.pipeline(_pipe())
    bars = fig.data[0]
    assert [list(c) for c in bars.customdata] == [["stage", "cn_approved"], ["stage", "ordered"]]
    assert bars.selectedpoints is None
    assert all(list(c)[0] == "stage" for t in fig.data for c in (t.customdata or []))  # bound markers too
    picked = charts.pipeline(_pipe(), selected="ordered").data[0]
    assert list(picked.selectedpoints) == [1]


def test_company_bars_are_counts_that_carry_their_company():
    counts = pd.DataFrame({"company_id": ["bytedance", "tencent"], "company": ["ByteDance", "Ten<b>cent"],
                           "reports": [2, 1], "shared_reports": [1, 1]})
    bar = charts.company_reports(counts, selected="tencent").data[0]
    assert [list(c) for c in bar.customdata] == [["company", "tencent"], ["company", "bytedance"]]
    assert list(bar.selectedpoints) == [0] and list(bar.x) == [1, 2]
    assert "Ten&lt;b&gt;cent" in bar.y  # data strings escaped for plotly
    assert "not of chips" in charts.company_reports(counts).layout.xaxis.title.text


def test_one_report_is_singular():
    counts = pd.DataFrame({"company_id": ["tencent"], "company": ["Tencent"], "reports": [1], "shared_reports": [1]})
    assert list(charts.company_reports(counts).data[0].text) == ["1 report (1 shared)"]
