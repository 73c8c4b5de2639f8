"""Issue 10, on the pages: at 100,000 more trade figures every chart draws a bounded number of
marks and says how many reports a mark stands for, its CSV holds the marks and the rows button
every report; tables show one page with a count and page controls; the Compute page's figure
list stays bounded. And the fixture (a few rows) still draws one mark per report."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from tests.pages.helpers import chart_text, charts, decode, download_bytes, download_frame, download_keys, run
from tests.scale_db import make_big_db
from tracker import queries

ROWS = 100_000


@pytest.fixture(scope="module")
def big_db(fixture_db, tmp_path_factory):
    return make_big_db(fixture_db, tmp_path_factory.mktemp("big") / "big.duckdb", ROWS)


@pytest.fixture
def big(big_db, monkeypatch):
    monkeypatch.setenv("H200_DB", str(big_db))
    return big_db


def title(spec: dict) -> str:
    """The chart's title as one line (chart_layout wraps long titles with <br>)."""
    return spec["layout"]["title"]["text"].replace("<br>", " ")


def marks(spec: dict) -> int:
    """How many marks the chart draws (points of every trace)."""
    return sum(len(decode(t.get("x", [])) or []) for t in spec["data"])


def test_pipeline_page_bins_every_report_within_the_budget(big, downloads):
    at = run("pipeline")
    specs = {title(s).split(":")[0]: s for s in charts(at)}
    over = specs["Reported quantities by as-of date"]
    assert marks(over) <= queries.MARK_BUDGET + 10  # + the event ticks
    assert f"{ROWS + 4:,} reports in" in title(over)
    assert "×50k" in chart_text(over)  # the January orders: one mark for 50,000 lower bounds
    assert any("each mark stands for the reports of one stage and bound" in c.value for c in at.caption)
    bins = download_frame(at, "dl_figures-over-time", downloads)
    assert len(bins) <= queries.MARK_BUDGET and bins["reports"].astype(int).sum() == ROWS + 4
    january = bins[(bins["stage"] == "ordered") & (bins["bin_start"] == "2025-01-01")].iloc[0]
    assert january["bound"] == "at_least" and january["reported"].startswith("≥ 999 chips: 50,000 reports")
    every = pd.read_csv(io.BytesIO(download_bytes(at, "rows_figures-over-time", downloads)), dtype=str)
    assert len(every) == ROWS + 6 and every["figure_id"].is_unique  # every figure, not only chip counts
    assert "rows_figures-over-time" not in [k for k in download_keys(at) if k.startswith("dl_")]
    at = run("pipeline", {"section": "conflicts"})  # a tab: it runs only when open
    conflicts = {title(s).split(":")[0]: s for s in charts(at)}["Every report of quantities reported more than once"]
    assert marks(conflicts) < 60 and "reports in" in title(conflicts)


def test_bundle_holds_the_marks_not_the_rows(big, downloads):
    import zipfile
    at = run("pipeline")
    zf = zipfile.ZipFile(io.BytesIO(download_bytes(at, "dl_bundle", downloads)))
    bins = pd.read_csv(zf.open("figures-over-time.csv"))
    assert len(bins) <= queries.MARK_BUDGET and "reports" in bins


def test_per_company_table_is_paged(big):
    at = run("pipeline", {"section": "per-company"})
    assert not [n for n in at.number_input if n.key.startswith("page_per-company")]  # folded: lazy
    at.session_state["per_company_open"] = True
    at.run()
    (picker,) = [n for n in at.number_input if n.key.startswith("page_per-company")]
    total = ROWS // 7 + 2 + 1  # every 7th generated row, and a01 + a15 of the fixture
    assert picker.max == -(-total // queries.PAGE_SIZE)
    shown = [d.value for d in at.dataframe if "figure_id" in d.value.columns][-1]
    assert len(shown) == queries.PAGE_SIZE
    assert any(f"of {total:,}, 50 a page" in c.value for c in at.caption)


def test_data_page_shows_one_page_counts_all_and_downloads_all(big, downloads):
    at = run("data")
    assert at.tabs[0].label == f"Trade figures ({ROWS + 6:,})"
    first = [d.value for d in at.dataframe if "figure_id" in d.value.columns][0]
    assert len(first) == queries.PAGE_SIZE
    (picker,) = [n for n in at.number_input if n.key.startswith("page_trade-figures")]
    picker.set_value(2).run()
    second = [d.value for d in at.dataframe if "figure_id" in d.value.columns][0]
    every = download_frame(at, "dl_trade-figures", downloads)
    assert len(every) == ROWS + 6
    assert list(second["figure_id"]) == list(every["figure_id"][50:100])  # rows 51-100
    assert any("Rows 51–100 of" in c.value for c in at.caption)


def test_timeline_bins_the_figures_and_keeps_every_event(big, downloads):
    at = run("timeline")
    (spec,) = charts(at)
    assert marks(spec) <= queries.MARK_BUDGET + 10 and "reports in" in title(spec)
    text = chart_text(spec)
    assert "BIS final rule" in text and "China approves first batch" in text
    rows = download_frame(at, "dl_timeline", downloads)
    assert set(rows["kind"]) == {"event", "bin (DERIVED)"} and (rows["kind"] == "event").sum() == 2


def test_compute_offers_a_bounded_list(big):
    at = run("compute")
    box = at.selectbox(key="w_qty_figure")
    assert len(box.options) <= queries.CHOICES + 1
    assert any("latest of" in c.value and "chip counts" in c.value for c in at.caption)


def test_few_rows_draw_one_mark_per_report():
    at = run("pipeline")  # the fixture: 6 figures
    over = [s for s in charts(at) if title(s) == "Reported quantities by as-of date"]
    assert over and not any("stands for" in c.value for c in at.caption)
    assert "rows_figures-over-time" not in download_keys(at)


def test_a_charts_data_table_is_sent_only_when_opened():
    at = run("pipeline")
    assert not [d for d in at.dataframe if "figure_id" in d.value.columns]  # folded: not sent
    at.session_state["data_figures-over-time"] = True
    at.run()
    (table,) = [d.value for d in at.dataframe if "figure_id" in d.value.columns]
    assert len(table) == 6 and {"publisher", "url", "quote"} <= set(table.columns)
