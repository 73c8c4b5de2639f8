"""Overview: headline cards with bounds and sources, the pipeline chart, latest events."""
import datetime as dt

from tests.pages.helpers import chart_text, charts, download_frame, param, run


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_cards_keep_bounds_and_never_show_zero():
    cards = metrics(run("overview"))
    assert cards["Orders"] == "≥ 2,000,000 chips"
    assert cards["Chinese approvals"] == "≥ 400,000 chips"
    assert cards["Shipped"] == "none reported"
    assert cards["US licences"] == "—"  # no figure: unknown, not zero
    assert "0" not in cards["Shipped"]


def test_shared_figure_is_labelled_under_a_single_company_filter():
    at = run("overview", {"company": ["tencent"]})
    assert metrics(at)["Chinese approvals"] == "≥ 400,000 chips"
    assert any("Shared figure" in c.value and "combined, not split" in c.value for c in at.caption)
    label = chart_text(charts(at)[0]).replace("<br>", " ")  # the bar label wraps (any screen)
    assert "shared: Alibaba Group + ByteDance + Tencent" in label


def test_grade_filter_changes_the_pipeline():
    at = run("overview")
    before = chart_text(charts(at)[0])
    at.radio(key="w_grade").set_value("H").run()
    after = chart_text(charts(at)[0])
    assert "5,000–10,000 modules" in before and "5,000–10,000 modules" not in after


def test_pipeline_download_is_the_charted_rows_with_sources(downloads):
    at = run("overview", {"grade": "H"})
    rows = download_frame(at, "dl_overview-pipeline", downloads)
    assert sorted(rows["stage"]) == sorted(["ordered", "inventory", "cn_approved", "shipped"])
    assert {"publisher", "url", "quote", "bound", "as_of_date"} <= set(rows.columns)
    assert rows.set_index("stage").loc["shipped", "value"] == ""  # none reported: empty, not 0


def test_latest_events_are_listed_with_sources():
    text = " ".join(m.value for m in run("overview").markdown)
    assert "China approves first batch" in text and "Morgan Lewis" in text


def test_as_known_on_changes_cards_and_url():
    at = run("overview")
    at.date_input(key="w_known").set_value(dt.date(2026, 1, 20)).run()
    assert metrics(at)["Chinese approvals"] == "—"  # not yet reported on 20 January
    assert metrics(at)["Orders"] == "≥ 2,000,000 chips"  # published 14 January
    assert param(at, "known") == ["2026-01-20"]
    at.date_input(key="w_known").set_value(dt.date(2026, 1, 29)).run()
    assert metrics(at)["Chinese approvals"] == "≥ 400,000 chips"


def test_known_param_seeds_the_control():
    at = run("overview", {"known": "2026-01-20"})
    assert at.date_input(key="w_known").value == dt.date(2026, 1, 20)
    assert any("as known on 2026-01-20" in c.value for c in at.caption)
