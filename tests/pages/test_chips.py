"""Chip performance: specs with sources, DERIVED ratios to the H20, rule thresholds."""
from tests.pages.helpers import chart_text, charts, decode, download_frame, run


RELATIVE = {"section": "relative"}  # the charts are tabs (tracker/sections.py); thresholds first


def by_title(specs, words):
    return [s for s in specs if words in title(s)][0]


def title(spec) -> str:
    """The chart's title as read: plotly line breaks (long titles wrap on a phone) as spaces."""
    return spec["layout"]["title"]["text"].replace("<br>", " ")


def test_ratio_chart_is_derived_and_relative_to_h20():
    spec = by_title(charts(run("chips", RELATIVE)), "relative to Nvidia H20 = 1")
    assert spec["layout"]["title"]["text"].startswith("DERIVED")
    ratios = dict(zip(spec["data"][0]["y"], decode(spec["data"][0]["x"])))
    h200 = [v for k, v in ratios.items() if k.startswith("Nvidia H200")][0]
    assert round(h200, 2) == 6.68


def test_metric_picker_changes_the_ratio_chart():
    at = run("chips", RELATIVE)
    at.selectbox(key="w_metric").set_value("memory_gb").run()
    spec = by_title(charts(at), "relative to Nvidia H20 = 1")
    assert "Memory (GB)" in title(spec)
    assert "1.47×" in chart_text(spec)


def test_thresholds_are_drawn_with_rule_and_source():
    specs = charts(run("chips"))
    tpp = by_title(specs, "TPP against")
    line = [s for s in tpp["layout"]["shapes"] if s.get("x0") == 21000]
    assert line and "Morgan Lewis" in chart_text(tpp) and "BIS rule" in chart_text(tpp)


def test_grade_filter_drops_low_grade_specs():
    at = run("chips")
    at.radio(key="w_grade").set_value("H").run()
    assert not any("TPP against" in title(s) for s in charts(at))  # TPP specs are L
    assert any("No TPP value matches" in i.value for i in at.info)


def test_spec_download_has_sources(downloads):
    rows = download_frame(run("chips"), "dl_tpp-vs-threshold", downloads)
    assert sorted(rows["spec_id"]) == ["h200_tpp_bernstein", "h200_tpp_ifp", "h20_tpp"]
    assert {"publisher", "url", "quote"} <= set(rows.columns)


def test_conflicting_spec_reports_are_side_by_side_with_the_headline_ringed():
    spec = by_title(charts(run("chips", {"section": "conflicts"})), "more than one source")
    rows = " ".join(spec["data"][0]["y"])
    assert "Nvidia H200" in rows and "TPP" in rows and "spread 1.00×" in rows
    assert any(t["name"] == "headline value" for t in spec["data"])



def test_the_charts_are_tabs_and_only_the_open_one_runs():
    at = run("chips")
    assert [t.label for t in at.tabs] == ["Export thresholds", "Ratios (DERIVED)", "Conflicting reports"]
    drawn = [title(s) for s in charts(at)]
    assert len(drawn) == 2 and all("against" in t for t in drawn), drawn
    assert not [s for s in at.selectbox if s.key == "w_metric"]  # the ratio tab's picker is not run
    at.query_params["drill"] = "chip:h200"  # a chip drill (a link or a click) opens the ratio tab
    at.run()
    assert any("relative to Nvidia H20 = 1" in title(s) for s in charts(at))
