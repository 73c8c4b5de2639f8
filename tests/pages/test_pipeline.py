"""Orders vs approvals vs stock: every report, filters applied, downloads exact."""
import datetime as dt
import io
import zipfile

import duckdb

from tests.pages.helpers import chart_text, charts, download_bytes, download_frame, other_warnings, param, run


def test_every_report_is_drawn_over_time():
    at = run("pipeline")
    over_time = chart_text(charts(at)[1])
    assert "20,000 chips" in over_time and "≥ 2,000,000 chips" in over_time


def test_company_filter_hides_market_wide_figures_and_says_so():
    at = run("pipeline")
    at.multiselect(key="w_company").set_value(["bytedance"]).run()
    text = chart_text(charts(at)[1])
    assert "≥ 2,000,000 chips" not in text and "20,000 chips" in text
    assert any("market-wide figures" in i.value for i in at.info)


def test_chip_filter_to_h20_empties_the_h200_pipeline():
    at = run("pipeline", {"chip": ["h20"]})
    assert any("No H200 figure matches" in i.value for i in at.info)


def test_date_filter_changes_the_chart():
    at = run("pipeline")
    at.date_input(key="w_dates").set_value((dt.date(2026, 1, 1), dt.date(2026, 1, 28))).run()
    text = chart_text(charts(at)[1])
    assert "≥ 400,000 chips" in text and "2,000,000" not in text


def test_download_equals_filtered_rows(downloads, fixture_db):
    at = run("pipeline", {"grade": "H"})
    rows = download_frame(at, "dl_figures-over-time", downloads)
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        expected = sorted(r[0] for r in con.execute(
            "SELECT figure_id FROM trade_figures JOIN sources USING (source_id) WHERE grade = 'H'"
        ).fetchall())
    assert sorted(rows["figure_id"]) == expected
    assert rows["url"].str.startswith("https://").all() and rows["quote"].str.len().gt(0).all()
    assert rows.set_index("figure_id").loc["a01", "companies"] == "Alibaba Group + ByteDance + Tencent"


def test_no_repeated_reports_is_said_not_drawn():
    at = run("pipeline", {"section": "conflicts"})  # the fixture has no quantity reported twice
    assert any("reported by more than one source" in i.value for i in at.info)


# --- the later sections are tabs that run only when open (tracker/sections.py, issue 10) -------
def drawn(at, name: str) -> bool:
    return any(f"chart_{name}" in c.proto.id for c in at.get("plotly_chart"))


def test_a_filter_change_runs_only_the_open_section():
    at = run("pipeline")
    assert [t.label for t in at.tabs] == ["Over time", "Conflicting reports", "Per company"]
    assert drawn(at, "pipeline-by-stage") and drawn(at, "figures-over-time")
    assert not drawn(at, "reports-per-company") and len(at.get("plotly_chart")) == 2
    assert param(at, "section") is None  # the first tab is the default: the link stays short
    at.multiselect(key="w_company").set_value(["bytedance"]).run()
    assert len(at.get("plotly_chart")) == 2 and not drawn(at, "reports-per-company")


def test_a_section_link_opens_that_tab_and_the_share_link_keeps_it(downloads):
    url = "http://localhost:8501/pipeline"
    at = run("pipeline", {"section": "per-company", "grade": "H"}, context={"url": url})
    assert drawn(at, "reports-per-company") and not drawn(at, "figures-over-time")
    assert param(at, "section") == ["per-company"] and not other_warnings(at)
    view_url = zipfile.ZipFile(io.BytesIO(download_bytes(at, "dl_bundle", downloads))).read("VIEW_URL.txt").decode()
    assert "section=per-company" in view_url and "grade=H" in view_url
    at.multiselect(key="w_chip").set_value(["h200"]).run()  # the tab stays open across reruns
    assert drawn(at, "reports-per-company") and param(at, "section") == ["per-company"]


def test_a_section_the_page_lacks_is_dropped_with_a_warning():
    at = run("pipeline", {"section": "<b>nope</b>"})
    assert any("`section`" in w and "no such section" in w for w in other_warnings(at))
    assert param(at, "section") is None and drawn(at, "figures-over-time")


def test_sections_in_french_keep_their_link():
    at = run("pipeline", {"section": "conflicts", "lang": "fr"})
    labels = [t.label for t in at.tabs]
    assert labels == ["Dans le temps", "Informations divergentes", "Par entreprise"]
    assert param(at, "section") == ["conflicts"]
