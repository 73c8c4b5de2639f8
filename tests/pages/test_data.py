"""Data: every filtered table with its download."""
from tests.pages.helpers import download_frame, run


def test_each_table_downloads_its_filtered_rows(downloads):
    at = run("data", {"company": ["bytedance"]})
    figures = download_frame(at, "dl_trade-figures", downloads)
    assert sorted(figures["figure_id"]) == ["a01", "a15"]
    specs = download_frame(at, "dl_chip-specs", downloads)
    assert len(specs) == 9 and {"publisher", "url", "quote"} <= set(specs.columns)
    events = download_frame(at, "dl_events", downloads)
    assert sorted(events["event_id"]) == ["bis_rule_20260113", "cn_approvals_20260128"]
    terms = download_frame(at, "dl_policy-terms", downloads)
    assert set(terms["term_id"]) == {"b03", "b04", "b05"}
    ratios = download_frame(at, "dl_reported-ratios", downloads)
    assert list(ratios["ratio_id"]) == ["six_times"] and ratios["reported"].tolist() == ["≈ 6×"]
