"""tracker/charts/bars.py: Bar charts: counts as bars and none-reported in words, bound markers, derived ratios, thresholds."""
import pandas as pd

from tests.words import with_words
from tests.tracker.charts.frames import figures_frame, spec
from tracker import charts


def test_pipeline_draws_counts_as_bars_and_none_reported_as_words():
    fig = spec(charts.pipeline(figures_frame()))
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert len(bars) == 1
    assert sorted(bars[0]["y"]) == ["Chinese approvals", "Orders"]  # no 0 bar for "shipped"
    notes = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "none reported" in notes and "5,000–10,000 modules" in notes
    labels = " ".join(bars[0]["text"]).replace("<br>", " ").replace("\u2007", "")  # lines as read
    assert "≥ 2,000,000 chips" in labels and "shared: Alibaba + ByteDance" in labels


def test_open_bounds_get_a_marker():
    fig = spec(charts.pipeline(figures_frame()))
    markers = [t for t in fig["data"] if t["type"] == "scatter"]
    assert [m["name"] for m in markers] == ["▶ more than (lower bound)"]
    assert markers[0]["marker"]["symbol"] == "triangle-right" and len(markers[0]["x"]) == 2


def test_ratio_chart_is_labelled_derived_with_reference_line():
    frame = with_words(pd.DataFrame({
        "chip": ["H200", "H20"], "chip_id": ["h200", "h20"], "is_reference": [False, True],
        "publisher": ["a", "b"], "spec_id": ["s1", "s2"], "value": [989.0, 148.0],
        "bound": ["exact", "exact"], "unit": ["TFLOPS"] * 2, "sparsity": ["dense"] * 2,
        "value_high": [None, None], "ref_value": [148.0, 148.0], "ref_spec_id": ["s2", "s2"],
        "ref_chip": ["H20", "H20"], "ratio_to_reference": [989 / 148, 1.0],
        "ratio_note": ["exact inputs"] * 2, "grade": ["H", "L"]}))
    fig = spec(charts.normalised(frame, "FP16/BF16 tensor (TFLOPS)"))
    assert fig["layout"]["title"]["text"].replace("<br>", " ") == "DERIVED: FP16/BF16 tensor (TFLOPS) relative to H20 = 1"
    assert "6.68×" in fig["data"][0]["text"]
    assert any(s.get("x0") == 1 for s in fig["layout"]["shapes"])
    assert fig["data"][0]["marker"]["color"] == ["#dc3912", "#3366cc"]  # the reference bar apart


def test_bars_over_a_threshold_are_hatched_and_labelled_not_only_red():
    rows = pd.DataFrame({"chip": ["A", "B"], "publisher": ["p", "q"], "spec_id": ["s1", "s2"],
                         "value": [100.0, 300.0], "bound": ["exact", "about"], "bound_symbol": ["", "≈"],
                         "unit": ["TPP"] * 2, "sparsity": ["n/a"] * 2, "grade": ["H", "M"], "revised": ""})
    term = pd.Series({"value": 200.0, "bound": "less_than", "bound_symbol": "<", "rule": "rule X",
                      "effective_date": pd.Timestamp("2026-01-15"), "publisher": "BIS", "unit": "TPP"})
    fig = spec(charts.against_threshold(rows, term, "t", "TPP"))
    bar = fig["data"][0]  # rows drawn bottom-up: B (over) first
    assert bar["marker"]["pattern"]["shape"] == ["/", ""]
    assert "at or over the limit" in bar["text"][0] and "at or over" not in bar["text"][1]
    assert [t["name"] for t in fig["data"][1:]] == ["▨ hatched: at or over the limit", "below the limit"]
