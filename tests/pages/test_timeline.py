"""Timeline: events by category with figures overlaid, filtered like everything else."""
from tests.pages.helpers import chart_text, charts, download_frame, run


def test_events_and_figures_share_the_time_axis():
    text = chart_text(charts(run("timeline"))[0])
    assert "BIS final rule" in text and "China approves first batch" in text
    assert "≥ 400,000 chips" in text


def test_company_filter_keeps_policy_context_only(downloads):
    at = run("timeline", {"company": ["nvidia"]})
    rows = download_frame(at, "dl_timeline-events", downloads)
    assert list(rows["event_id"]) == ["bis_rule_20260113"]
    assert rows["publisher"].iloc[0] == "Morgan Lewis"
