"""Chart builders are pure: frames in, figures out; honesty rules checked on the figure."""
import json

import pandas as pd
import plotly.io as pio

from tests.words import with_words
from tracker import charts


def figures_frame():
    return with_words(pd.DataFrame({
        "figure_id": ["a04", "a01", "a20", "a11"],
        "stage": ["ordered", "cn_approved", "shipped", "planned_shipment"],
        "value": [2_000_000.0, 400_000.0, None, 5000.0],
        "value_high": [None, None, None, 10000.0],
        "unit": ["chips", "chips", "chips", "modules"],
        "bound": ["at_least", "at_least", "none_reported", "range"],
        "as_of_date": pd.to_datetime(["2025-12-31", "2026-01-28", "2026-01-28", "2025-12-22"]),
        "as_of_precision": ["approx_day", "day", "day", "day"],
        "companies": ["", "Alibaba + ByteDance + <script>x</script>", "", ""],
        "n_companies": [0, 3, 0, 0],
        "publisher": ["Paraluman", "Business Times", "Business Times", "heise"],
        "grade": ["H", "H", "H", "M"],
    }))


def spec(fig):
    """The figure as the browser gets it (plotly JSON)."""
    return json.loads(pio.to_json(fig))


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


def test_data_strings_are_escaped():
    text = pio.to_json(charts.pipeline(figures_frame()))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_hover_has_value_bound_date_publisher():
    bar = [t for t in spec(charts.pipeline(figures_frame()))["data"] if t["type"] == "bar"][0]
    hover = bar["hovertext"][bar["y"].index("Chinese approvals")]
    for part in ("≥ 400,000 chips", "lower bound", "as of 2026-01-28", "Business Times",
                 "shared figure"):
        assert part in hover


def test_over_time_uses_bound_shapes_and_a_log_axis():
    fig = spec(charts.over_time(figures_frame()))
    symbols = [s for t in fig["data"] if t.get("marker", {}).get("symbol")
               for s in t["marker"]["symbol"]]
    assert symbols.count("triangle-up") == 2
    assert fig["layout"]["yaxis"]["type"] == "log"
    assert "chips" in fig["layout"]["yaxis"]["title"]["text"]


def test_empty_frames_give_a_message_not_an_empty_axis():
    fig = spec(charts.pipeline(figures_frame().iloc[0:0]))
    assert fig["data"] == [] and "No figure matches" in fig["layout"]["annotations"][0]["text"]


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


def test_time_charts_name_the_chip_of_non_h200_points():
    df = with_words(figures_frame().assign(
        chip_id=["h200", "h200", "h200", "h20"], chip=["H200 SXM", "H200 SXM", "H200 SXM", "H20"],
        metric=["orders", "approved", "shipped", "planned"], unit="chips",
        value=[2_000_000.0, 400_000.0, None, 5000.0]))
    for fig in (spec(charts.over_time(df)), spec(charts.timeline(df.iloc[:0].assign(
            event_id=[], date=[], date_precision=[], category=[], category_label=[],
            category_colour=[], title=[]), df))):
        points = [t for t in fig["data"] if t.get("name") in ("Orders", "Planned shipments")]
        text = {t["name"]: t["text"] for t in points}
        # each point names its stage (colour is not the only carrier) and a context chip
        assert text == {"Orders": ["Orders"], "Planned shipments": ["Planned shipments · H20"]}
        hover = next(t["hovertext"][0] for t in points if t["name"] == "Planned shipments")
        assert "H20" in hover and "planned" in hover


def test_report_rows_name_the_quantity_in_words_and_count_the_reports():
    df = pd.DataFrame({
        "chip": ["H200", "H200", "H200"], "stage_label": ["US caps"] * 3,
        "measure": ["per_customer_cap", "per_customer_cap", None], "companies": ["", "", ""],
        "unit": ["chips"] * 3, "value": [75000.0, 75000.0, 1e6], "value_high": [None] * 3,
        "bound": ["at_most"] * 3, "publisher": ["BT", "Congero", "BT"], "grade": ["M", "L", "M"],
        "as_of_date": pd.to_datetime(["2026-03-03", "2026-05-01", "2026-03-03"]),
        "reports": [2, 2, 2], "spread": [1.0, 1.0, 1.0], "headline": [False, True, True],
        "headline_rule": ["latest"] * 3})
    fig = spec(charts.reports(df, ["chip", "stage_label", "measure", "companies", "unit"],
                              lambda r: str(r["value"]), "t", "x", log=True))
    rows = set(fig["layout"]["yaxis"]["categoryarray"])
    assert rows == {"H200 · US caps · per customer cap · chips  (2 reports, spread 1.00×)",
                    "H200 · US caps · chips  (2 reports, spread 1.00×)"}  # no "nan" for no measure


def test_report_legend_lists_grades_best_first():
    grades = with_words(pd.DataFrame({"grade": ["L", "H", "M"]}))  # no-op words; order from the data
    order = {g: i for i, g in enumerate(["H", "M", "L"])}  # the fixture's grades.csv order
    df = pd.DataFrame({
        "chip": ["H200"] * 3, "stage_label": ["US caps"] * 3, "unit": ["chips"] * 3,
        "value": [75000.0, 90000.0, 1e5], "value_high": [None] * 3, "bound": ["at_most"] * 3,
        "publisher": ["a", "b", "c"], "grade": list(grades["grade"]),
        "grade_order": [order[g] + 1 for g in grades["grade"]],
        "reports": [3] * 3, "spread": [1.33] * 3, "headline": [True, False, False],
        "headline_rule": ["latest"] * 3})
    fig = spec(charts.reports(df, ["chip", "stage_label", "unit"], lambda r: str(r["value"]), "t", "x"))
    names = [t["name"] for t in fig["data"] if t["name"].startswith("grade")]
    assert names == ["grade H", "grade M", "grade L"]


def test_time_chart_legend_follows_stage_order_and_leaves_room_for_names():
    fig = spec(charts.over_time(figures_frame().iloc[::-1]))  # approvals' row first
    names = [t["name"] for t in fig["data"] if t.get("name")]
    order = list(with_words(pd.DataFrame({"stage": ["cn_approved", "ordered"]}))
                 .sort_values("stage_order")["stage_label"])
    assert [n for n in names if n in order] == order  # demand → delivery, whatever the row order
    right = pd.Timestamp(fig["layout"]["xaxis"]["range"][1])
    assert right > figures_frame()["as_of_date"].max()  # a name drawn right of the last point fits


# --- colour is never the only carrier (issue 11) ---------------------------------------------
def test_time_chart_legend_explains_bound_shapes_in_words():
    df = with_words(figures_frame())
    fig = spec(charts.over_time(df))
    keys = {t["name"]: t["marker"]["symbol"] for t in fig["data"] if t.get("legendgroup") == "bounds"}
    drawn = {b for b in df.loc[df["value"].notna() & df["unit"].eq("chips"), "bound"]}
    assert keys and len(keys) == len(drawn)
    assert keys.get("▲ lower bound (at least)", "triangle-up") == "triangle-up"
    assert all(t["x"] == [None] for t in fig["data"] if t.get("legendgroup") == "bounds")  # legend only


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


def test_report_markers_carry_their_grade_letter():
    df = pd.DataFrame({
        "chip": ["H200"] * 2, "stage_label": ["Orders"] * 2, "unit": ["chips"] * 2,
        "value": [1e5, 2e5], "value_high": [None] * 2, "bound": ["exact", "at_least"],
        "publisher": ["a", "b"], "grade": ["H", "L"], "reports": [2] * 2, "spread": [2.0] * 2,
        "headline": [True, False], "headline_rule": ["latest"] * 2})
    fig = spec(charts.reports(df, ["chip", "stage_label"], lambda r: str(r["value"]), "t", "x"))
    text = {t["name"]: t["text"] for t in fig["data"] if t["name"].startswith("grade")}
    assert text == {"grade H": ["H"], "grade L": ["L"]}
