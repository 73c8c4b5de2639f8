"""What every page must do: run, draw the shared filters, read and write the URL."""
import pytest

from tests.pages.helpers import PAGES, charts, other_warnings, param, run

CHART_PAGES = ["overview", "pipeline", "chips", "timeline"]


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_with_filters_and_build_line(page):
    at = run(page)
    assert at.multiselect(key="w_company") and at.multiselect(key="w_chip")
    assert at.radio(key="w_grade").value == "L"
    assert any("database built" in c.value for c in at.caption)
    assert not other_warnings(at)


@pytest.mark.parametrize("page", CHART_PAGES)
def test_chart_pages_draw_charts_with_titles(page):
    specs = charts(run(page))
    assert specs and all(s["layout"]["title"]["text"] for s in specs)


@pytest.mark.parametrize("page", PAGES)
def test_query_params_seed_the_filters(page):
    at = run(page, {"company": ["bytedance", "tencent"], "chip": ["h200"],
                    "dates": ["2025-12-25", "2026-01-31"], "grade": "M"})
    assert at.multiselect(key="w_company").value == ["bytedance", "tencent"]
    assert at.multiselect(key="w_chip").value == ["h200"]
    assert [str(d) for d in at.date_input(key="w_dates").value] == ["2025-12-25", "2026-01-31"]
    assert at.radio(key="w_grade").value == "M"
    assert not [w for w in at.warning if "Ignored" in w.value or "reversed" in w.value]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", [
    {"company": ["<script>alert(1)</script>"]},
    {"chip": ["h200' OR 1=1 --"]},
    {"dates": ["2026-13-45", "tomorrow"]},
    {"grade": "A+"},
    {"company": ["x" * 10_000]},
])
def test_invalid_params_warn_and_never_raise(page, params):
    at = run(page, params)
    assert len(other_warnings(at)) >= 1
    assert at.multiselect(key="w_company").value == [] and at.multiselect(key="w_chip").value == []
    assert "<script>" not in " ".join(w.value for w in at.warning)


def test_changing_a_filter_writes_the_url():
    at = run("pipeline")
    at.multiselect(key="w_company").set_value(["bytedance"]).run()
    at.radio(key="w_grade").set_value("H").run()
    assert param(at, "company") == ["bytedance"] and param(at, "grade") == ["H"]
    at.button(key="w_reset").click().run()
    assert param(at, "company") is None and param(at, "grade") is None


def test_filters_survive_a_page_switch():
    at = run("overview")
    at.multiselect(key="w_company").set_value(["alibaba"]).run()
    at.switch_page("pages/1_pipeline.py").run()
    assert not at.exception
    assert at.multiselect(key="w_company").value == ["alibaba"]
    assert param(at, "company") == ["alibaba"]


def test_a_filter_that_matches_nothing_says_so():
    at = run("pipeline", {"dates": ["2020-01-01", "2020-02-01"]})
    assert any("No " in i.value and "matches the filters" in i.value for i in at.info)
