"""What's new, the Overview's 'N changes since', revised figures saying so, and what is not
known yet, over the fixture (tests/fixtures/data): 21 rows added 2026-11-28; on 2026-11-30 a05's
bound revised from about to exact (r001) and a99 withdrawn (r002); one expected report, Nvidia's
Q1 FY2027 results (May 2026); newest report 2026-01-28."""
import datetime as dt
import re

from tests.pages.helpers import chart_text, charts, download_frame, other_warnings, param, run
from tracker.gaps import STALE_PREFIX


def texts(at, kind="markdown") -> str:
    return "\n".join(e.value for e in getattr(at, kind))


def page_links(at) -> list:
    return [(p.proto.label, p.proto.page) for p in at.get("page_link")]


def test_grouped_by_day_newest_first_with_what_each_row_is():
    at = run("whats_new")
    days = [h.value for h in at.subheader]
    assert days == ["2026-11-30 · 2 changes", "2026-11-28 · 21 changes"]
    md = texts(at)
    assert md.index("**Withdrawn (1)**") < md.index("**Revised (1)**") < md.index("**Added (21)**")
    # each line: what the figure is, with its bound, its source, where shown, its history
    assert "Nvidia inventory: 700,000 chips" in md.replace("\\", "") and "bound was about, now exact" in md
    assert "[shown on Orders vs approvals vs stock](pipeline)" in md and "[history](whats_new?row=a05)" in md
    assert "(https://www.paraluman.com/" in md                              # a05's source link
    assert "trade figure a99" in md and "Duplicate of a05" in md.replace("\\", "")
    assert "≥ 400,000 chips" in md                                          # a01 added, with its bound
    assert any("23 changes" in c.value and "1 withdrawn, 1 revised, 21 added" in c.value for c in at.caption)
    assert not other_warnings(at)


def test_a_long_log_lists_the_newest_and_counts_them_all(monkeypatch):
    from tracker import whats_new
    monkeypatch.setattr(whats_new, "MAX_LINES", 5)  # as if a million rows had arrived
    at = run("whats_new")
    assert [h.value for h in at.subheader] == ["2026-11-30 · 2 changes", "2026-11-28 · 21 changes"]
    md = texts(at)
    assert "**Withdrawn (1)**" in md and "**Added (3)**" in md         # 2 + 3 lines listed
    assert any("23 changes" in c.value and "21 added" in c.value for c in at.caption)
    assert any("Listing the newest 5 of 23 changes" in i.value for i in at.info)


def test_since_link_keeps_later_changes_only():
    at = run("whats_new", {"since": "2026-11-29"})
    assert [h.value for h in at.subheader] == ["2026-11-30 · 2 changes"]
    assert at.date_input(key="w_since").value == dt.date(2026, 11, 29)


def test_changing_the_date_writes_since_to_the_url():
    at = run("whats_new")
    at.date_input(key="w_since").set_value(dt.date(2026, 11, 30)).run()
    assert param(at, "since") == ["2026-11-30"]
    assert [h.value for h in at.subheader] == ["2026-11-30 · 2 changes"]


def test_bad_since_warns_and_falls_back_to_the_default():
    at = run("whats_new", {"since": "yesterday'; DROP TABLE revisions; --"})
    assert any("Ignored a `since` date" in w for w in other_warnings(at))
    assert at.date_input(key="w_since").value == dt.date(2026, 10, 31)   # 30 days before 2026-11-30
    assert len(at.subheader) == 2


def test_row_history():
    at = run("whats_new", {"row": "a05"})
    assert any("History of row `a05`" in i.value for i in at.info)
    md = texts(at)
    assert "bound was about, now exact" in md and "a01" not in md
    assert [h.value for h in at.subheader] == ["2026-11-30 · 1 change", "2026-11-28 · 1 change"]
    assert ("Show every row's changes", "whats_new") in page_links(at)


def test_unknown_row_says_so_and_never_raises():
    at = run("whats_new", {"row": "<script>alert(1)</script>"})
    assert any("No change recorded for this row" in i.value for i in at.info)


def test_overview_says_how_many_changes_since_and_links_there():
    at = run("overview")
    assert ("23 changes since 2026-10-31 (What's new)", "whats_new") in page_links(at)


def test_overview_card_says_a_figure_was_revised_and_links_its_history():
    caps = texts(run("overview"), "caption")
    assert "revised 2026\\-11\\-30, was ≈ 700,000 chips" in caps
    assert "[history](whats_new?row=a05)" in caps


def test_revised_figure_says_so_in_chart_hover_label_and_table(downloads):
    at = run("pipeline")
    text = chart_text(charts(at)[0])
    assert "revised 2026-11-30, was ≈ 700,000 chips" in text
    assert re.search(r"700,000 chips( · |<br>\W*)revised", text)  # the bar label (a phone: on its next line)
    rows = download_frame(at, "dl_figures-over-time", downloads).set_index("figure_id")
    assert rows.loc["a05", "revised"] == "revised 2026-11-30, was ≈ 700,000 chips"
    assert rows.loc["a04", "revised"] == ""
    assert "[history](whats_new?row=a05)" in texts(at)


def test_what_is_not_known_yet_on_the_overview_and_sources():
    for name in ("overview", "sources"):
        at = run(name)
        assert "What is not known yet" in [h.value for h in at.subheader]
        md = texts(at)
        assert "**Nvidia Q1 FY2027 results** (May 2026): not yet in the data, overdue" in md
        stages = [d.value for d in at.dataframe if "latest report" in d.value.columns][0]
        by_stage = stages.set_index("stage")
        assert by_stage.loc["Chinese approvals", "latest report"] == "2026-01-28"
        assert by_stage.loc["Delivered", "latest report"] == "no report"


def test_stale_data_warns_on_every_page():
    for name in ("overview", "whats_new", "explore"):
        at = run(name)
        (stale,) = [w.value for w in at.warning if w.value.startswith(STALE_PREFIX)]
        assert "2026-01-28" in stale and "days before this build" in stale


def test_feed_link_on_every_page():
    at = run("timeline")
    assert any("[Changes as an Atom feed](app/static/feed.xml)" in c.value for c in at.caption)
