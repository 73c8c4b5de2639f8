"""Drill-down on the pages: a link with ?drill= narrows the view to that stage or chip and lists
the reports behind it (with sources and a CSV), the drilled bar is drawn selected, "Clear the
selection" undoes it, and a bad value is dropped from the URL with a visible warning."""
from __future__ import annotations

import json

import pandas as pd

from tests.pages.helpers import charts, param, run
from tracker import db, queries

REPORTS = "Reports behind the selection"


def opened(page: str, drill: str):
    """A page opened from a link carrying ?drill= (the page itself reads it, as in a browser)."""
    at = run(page)
    at.query_params["drill"] = drill
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def reports_table(at) -> pd.DataFrame:
    heads = [m.value for m in at.markdown if REPORTS in m.value]
    assert len(heads) == 1, heads
    frames = [d.value for d in at.dataframe if "source_id" in d.value.columns and "url" in d.value.columns]
    assert frames, "no reports table with its sources"
    return frames[-1]


def test_a_stage_link_lists_the_reports_behind_the_bar():
    at = opened("pipeline", "stage:ordered")
    rows = reports_table(at)
    pipe = queries.pipeline(queries.Filters(), db.ready_version())
    expected = int(pipe.loc[pipe["stage"] == "ordered", "reports"].iloc[0])
    assert len(rows) == expected >= 2  # as many as the bar's "reports", every one listed
    assert set(rows["stage"]) == {"ordered"} or set(rows.get("stage_label", [])) == {"Orders"}
    assert rows["url"].notna().all() and rows["publisher"].notna().all()
    assert param(at, "drill") == ["stage:ordered"]
    bars = charts(at)[0]["data"][0]
    picked = bars["selectedpoints"]
    assert [bars["customdata"][i] for i in picked] == [["stage", "ordered"]]
    assert any(b.label == "Clear the selection" for b in at.button)


def test_the_overview_reads_the_same_link():
    at = run("overview", {"drill": "stage:cn_approved"})
    rows = reports_table(at)
    assert len(rows) == 1 and param(at, "drill") == ["stage:cn_approved"]


def test_the_drill_narrows_within_the_filters():
    at = run("pipeline", {"dates": ["2026-01-01", "2026-06-30"]})
    at.query_params["drill"] = "stage:ordered"
    at.run()
    assert [m.value for m in at.markdown if REPORTS in m.value]
    assert not [d for d in at.dataframe if "source_id" in d.value.columns and "ordered" in set(d.value.get("stage", []))]


def test_clear_undoes_it():
    at = opened("pipeline", "stage:ordered")
    next(b for b in at.button if b.label == "Clear the selection").click().run()
    assert param(at, "drill") is None
    assert not [m.value for m in at.markdown if REPORTS in m.value]
    assert "selectedpoints" not in charts(at)[0]["data"][0]


def test_a_chip_link_lists_that_chips_spec_reports():
    at = opened("chips", "chip:h200")
    rows = reports_table(at)
    assert len(rows) > 1 and set(rows["chip"]) == {"Nvidia H200"}
    assert param(at, "drill") == ["chip:h200"]


def test_a_bad_value_is_dropped_with_a_warning():
    for page, bad in (("pipeline", "stage:no-such-stage"), ("pipeline", "chip:h200"), ("chips", "chip:x'<b>")):
        at = opened(page, bad)
        assert any("Ignored the drill-down" in w.value for w in at.warning), (page, bad)
        assert param(at, "drill") is None
        assert not [m.value for m in at.markdown if REPORTS in m.value]


def test_a_company_link_lists_the_reports_that_name_it():
    at = opened("pipeline", "company:bytedance")
    rows = reports_table(at)
    assert sorted(rows["figure_id"]) == ["a01", "a15"]  # its own and the shared one, labelled
    assert rows.loc[rows["figure_id"] == "a01", "shared"].iloc[0]
    assert param(at, "drill") == ["company:bytedance"]
    company = next(c for c in charts(at) if "company" in json.dumps(c["data"][0].get("customdata", [])))
    bars = company["data"][0]
    assert [bars["customdata"][i] for i in bars["selectedpoints"]] == [["company", "bytedance"]]
    # the pipeline chart on the same page stays undrilled
    assert "selectedpoints" not in charts(at)[0]["data"][0]
    at.query_params["drill"] = "company:tencent"
    at.run()
    assert sorted(reports_table(at)["figure_id"]) == ["a01"]  # a15 names ByteDance only


def test_a_company_drill_never_widens_the_company_filter():
    at = run("pipeline", {"company": ["tencent"]})
    at.query_params["drill"] = "company:bytedance"
    at.run()
    assert sorted(reports_table(at)["figure_id"]) == ["a01"]  # names both; a15 names ByteDance only
