"""Changes in words (tracker/changes.py) and what is not known yet (tracker/gaps.py): pure parts."""
import datetime as dt

import pandas as pd

from tracker import changes, gaps

FIG = {"figure_id": "a18", "stage_label": "US caps", "value": 100000.0, "value_high": None, "bound": "at_most",
       "bound_symbol": "≤", "unit": "chips", "unit_kind": "chip_count", "unit_prefix": None,
       "unit_suffix": " chips"}
BOUNDS = {"at_least": {"symbol": "≥"}, "at_most": {"symbol": "≤"}, "about": {"symbol": "≈"}, "exact": {"symbol": None}}


def change(field, old, new="x"):
    return {"field": field, "old_value": old, "new_value": new, "reason": "r"}


def test_note_gives_the_old_value_with_its_bound():
    assert changes.note("trade_figures", FIG, dt.date(2026, 12, 1), [change("value", "75000")], BOUNDS) == \
        "revised 2026-12-01, was ≤ 75,000 chips"
    assert changes.note("trade_figures", FIG, dt.date(2026, 12, 1),
                        [change("bound", "at_least"), change("value", "75000")], BOUNDS) == \
        "revised 2026-12-01, was ≥ 75,000 chips"


def test_note_names_other_fields_and_only_names_reworded_text():
    note = changes.note("trade_figures", FIG, dt.date(2026, 12, 1),
                        [change("stage", "delivered"), change("quote", "a long quote " * 10)])
    assert note == "revised 2026-12-01: stage was delivered; quote reworded"
    assert changes.note("sources", {}, dt.date(2026, 12, 1), [change("relays", None)]) == \
        "revised 2026-12-01: relays was empty"


def test_annotate_adds_revised_by_the_frames_id_column():
    df = pd.DataFrame([FIG, {**FIG, "figure_id": "a19"}])
    notes = {("trade_figures", "a18"): {"revised_on": dt.date(2026, 12, 1), "changes": [change("value", "75000")]}}
    out = changes.annotate(df, notes, BOUNDS)
    assert list(out["revised"]) == ["revised 2026-12-01, was ≤ 75,000 chips", ""]
    assert "revised" not in df  # the input is not modified
    assert list(changes.annotate(pd.DataFrame({"x": [1]}), notes).columns) == ["x"]


def test_subject_says_what_the_row_is_with_its_bound():
    c = {**FIG, "table_name": "trade_figures", "row_id": "a18", "what": "US caps", "chip": "H200",
         "companies": "A + B", "n_companies": 2, "dated": dt.date(2026, 3, 3), "date_precision": "day"}
    assert changes.subject(c) == "US caps: ≤ 100,000 chips (H200; shared: A + B (combined)), as of 2026-03-03"
    gone = {"table_name": "trade_figures", "row_id": "a99", "what": None}
    assert changes.subject(gone) == "trade figure a99"
    spec = {"table_name": "chip_specs", "row_id": "s1", "what": "Memory (GB)", "chip": "H200", "value": 141.0,
            "value_high": None, "bound": "exact", "bound_symbol": None, "unit": "GB", "sparsity": "n/a"}
    assert changes.subject(spec) == "H200 Memory (GB): 141 GB"


def test_headline_of_a_revision_and_a_withdrawal():
    c = {**FIG, "table_name": "trade_figures", "row_id": "a18", "what": "US caps", "change": "revised",
         "field": "value", "old_value": "75000", "new_value": "100000"}
    assert changes.headline(c) == "Revised: US caps: ≤ 100,000 chips — value was 75000, now 100000"
    w = {"table_name": "events", "row_id": "e9", "what": None, "change": "withdrawn", "old_value": "a duplicate"}
    assert changes.headline(w) == "Withdrawn: event e9 (was a duplicate)"


def test_by_day_newest_first():
    log = pd.DataFrame({"changed_on": pd.to_datetime(["2026-12-01", "2026-11-28", "2026-12-01"]),
                        "row_id": ["a", "b", "c"]})
    groups = changes.by_day(log)
    assert [d for d, _ in groups] == [dt.date(2026, 12, 1), dt.date(2026, 11, 28)]
    assert list(groups[0][1]["row_id"]) == ["a", "c"]


def test_history_path_quotes_the_id():
    assert changes.history_path("a01") == "whats_new?row=a01"
    assert changes.history_path("a01+bytedance") == "whats_new?row=a01%2Bbytedance"


def test_staleness_and_period_ends():
    assert gaps.staleness(dt.date(2026, 10, 8), pd.Timestamp("2026-12-01 22:00", tz="UTC")) == 54
    assert gaps.staleness(None, dt.date(2026, 12, 1)) is None
    assert gaps.period_end(dt.date(2026, 11, 1), "month") == dt.date(2026, 11, 30)
    assert gaps.period_end(dt.date(2026, 10, 1), "quarter") == dt.date(2026, 12, 31)
    assert gaps.period_end(dt.date(2026, 1, 1), "year") == dt.date(2026, 12, 31)
    assert gaps.period_end(dt.date(2026, 11, 18), "approx_day") == dt.date(2026, 11, 18)


def test_expected_lines_say_not_yet_in_the_data_and_overdue():
    expected = pd.DataFrame([{"what": "Nvidia Q3 FY2027 results", "expected_date": dt.date(2026, 11, 1),
                              "expected_precision": "month", "why_it_matters": "Revenue [x](javascript:1)",
                              "would_update": "shipped", "stage_label": "Shipped"}])
    (on_time,) = gaps.expected_lines(expected, dt.date(2026, 11, 20))
    assert on_time.startswith("**Nvidia Q3 FY2027 results** (Nov 2026): not yet in the data  \n")
    assert "\\[x\\]\\(javascript\\:1\\)" in on_time                  # data strings escaped
    (late,) = gaps.expected_lines(expected, dt.date(2026, 12, 1))
    assert "not yet in the data, overdue" in late
