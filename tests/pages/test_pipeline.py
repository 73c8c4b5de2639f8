"""Orders vs approvals vs stock: every report, filters applied, downloads exact."""
import datetime as dt

import duckdb

from tests.pages.helpers import chart_text, charts, download_frame, run


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
    at = run("pipeline")  # the fixture has no quantity reported twice
    assert any("reported by more than one source" in i.value for i in at.info)
