"""Timeline: events by category with figures overlaid, filtered like everything else."""
from tests.pages.helpers import chart_text, charts, download_frame, run


def test_events_and_figures_share_the_time_axis():
    text = chart_text(charts(run("timeline"))[0])
    assert "BIS final rule" in text and "China approves first batch" in text
    assert "≥ 400,000 chips" in text


def test_company_filter_keeps_policy_context_only(downloads):
    at = run("timeline", {"company": ["nvidia"]})
    rows = download_frame(at, "dl_timeline", downloads)
    assert list(rows.loc[rows["kind"] == "event", "id"]) == ["bis_rule_20260113"]
    assert rows["publisher"].iloc[0] == "Morgan Lewis"
    assert not (rows["kind"] == "figure").any()  # no figure names Nvidia in the fixture


def test_download_is_exactly_what_the_chart_draws(downloads):
    rows = download_frame(run("timeline"), "dl_timeline", downloads)
    events, figures = rows[rows["kind"] == "event"], rows[rows["kind"] == "figure"]
    assert sorted(events["id"]) == ["bis_rule_20260113", "cn_approvals_20260128"]
    assert sorted(figures["id"]) == ["a01", "a04", "a05", "a15"]  # chip counts; not a20 (none reported)
    assert (figures["unit"] == "chips").all() and rows["url"].str.startswith("https://").all()


def test_events_are_listed_latest_first_with_their_source():
    at = run("timeline")
    (listed,) = [d.value for d in at.dataframe if "event" in d.value.columns]
    assert list(listed["event_id"]) == ["cn_approvals_20260128", "bis_rule_20260113"]
    assert list(listed["category"]) == ["China policy", "US policy"]
    assert listed["url"].str.startswith("https://").all() and listed["publisher"].str.len().gt(0).all()
    # under a company filter only the policy context stays, as in the chart
    at = run("timeline", {"company": ["nvidia"]})
    (listed,) = [d.value for d in at.dataframe if "event" in d.value.columns]
    assert list(listed["event_id"]) == ["bis_rule_20260113"]
