"""The revision checker alone (etl/revisions.py), on in-memory snapshots: typed comparison, the
log against the data, changes against a baseline, the append-only log."""
from __future__ import annotations

from pathlib import Path

from etl import revisions
from etl.tables import BY_NAME

LOG_HEADER = "revision_id,revised_on,action,table_name,row_id,field,old_value,new_value,reason,source_id\n"
TF_HEADER = ("figure_id,chip_id,stage,metric,measure,value,value_high,unit,bound,as_of_date,"
             "as_of_precision,published_date,source_id,quote,notes,added_on\n")


def figure(fid: str, value: str = "75000", bound: str = "at_most", as_of: str = "2026-03-03") -> str:
    return (f"{fid},h200,us_cap,cap per customer,per_customer,{value},,chips,{bound},{as_of},day,"
            f"{as_of},s_x,\"up to 75,000\",,2026-11-28\n")


def snap(figures: list[str], log: list[str] = (), where: str = "test", header: str = TF_HEADER):
    texts = {"trade_figures": header + "".join(figures), "revisions": LOG_HEADER + "".join(log)}
    return revisions.from_texts(where, lambda t: texts.get(t.name))


def rev(rid, row, field, old, new, action="revised", on="2026-12-01"):
    return f"{rid},{on},{action},trade_figures,{row},{field},{old},{new},a reason,\n"


def formatted(problems) -> list[str]:
    return [p.format() for p in problems]


BASE = snap([figure("a01"), figure("a02")], where="the published database")


def test_typed_values_compare_equal_across_spellings():
    assert revisions.same("trade_figures", "value", "400000", "400000.0")
    assert revisions.same("trade_figures", "value", "4e5", "400000")
    assert revisions.same("trade_figures", "as_of_date", "2026-03-03", "2026-03-03")
    assert not revisions.same("trade_figures", "value", "75000", "100000")
    assert revisions.same("sources", "read", "true", "true")
    assert revisions.typed("trade_figures", "value", "") is None


def test_unchanged_data_has_no_problems():
    assert revisions.problems(snap([figure("a01"), figure("a02")]), BASE) == []


def test_reformatted_number_is_not_a_change():
    assert revisions.problems(snap([figure("a01", "75000.0"), figure("a02")]), BASE) == []


def test_changed_value_without_revision_is_located_at_the_row():
    got = formatted(revisions.problems(snap([figure("a01"), figure("a02", "100000")]), BASE))
    assert got == ["trade_figures.csv:3: value: changed from 75000 to 100000 without a revision"]


def test_changed_bound_and_date_without_revision():
    got = formatted(revisions.problems(snap([figure("a01", bound="about", as_of="2026-03-04"),
                                             figure("a02")]), BASE))
    assert "trade_figures.csv:2: bound: changed from 'at_most' to 'about' without a revision" in got
    assert any(g.startswith("trade_figures.csv:2: as_of_date: changed from 2026-03-03 to 2026-03-04") for g in got)


def test_logged_change_passes():
    now = snap([figure("a01"), figure("a02", "100000")], [rev("r1", "a02", "value", "75000", "100000")])
    assert revisions.problems(now, BASE) == []


def test_a_chain_of_revisions_since_the_baseline_passes():
    now = snap([figure("a01"), figure("a02", "90000")],
               [rev("r1", "a02", "value", "75000", "100000", on="2026-12-01"),
                rev("r2", "a02", "value", "100000", "90000", on="2026-12-02")])
    assert revisions.problems(now, BASE) == []


def test_revision_whose_new_value_is_not_current():
    now = snap([figure("a01"), figure("a02", "100000")], [rev("r1", "a02", "value", "75000", "110000")])
    assert formatted(revisions.problems(now)) == [
        "revisions.csv:2: new_value: the latest revision of a02 value is not its current value: "
        "trade_figures.csv:3 has 100000 ('110000')"]


def test_only_the_latest_revision_of_a_field_must_be_current():
    now = snap([figure("a01", "90000"), figure("a02")],
               [rev("r2", "a01", "value", "100000", "90000", on="2026-12-02"),
                rev("r1", "a01", "value", "75000", "100000", on="2026-12-01")])
    assert revisions.problems(now) == []


def test_revision_whose_old_value_is_not_the_baseline():
    now = snap([figure("a01"), figure("a02", "100000")], [rev("r1", "a02", "value", "70000", "100000")])
    assert formatted(revisions.problems(now, BASE)) == [
        "revisions.csv:2: old_value: a02 value was 75000 in the published database ('70000')"]


def test_an_old_revision_does_not_cover_a_new_change():
    base = snap([figure("a01"), figure("a02", "100000")], [rev("r1", "a02", "value", "75000", "100000")])
    now = snap([figure("a01"), figure("a02", "75000")], [rev("r1", "a02", "value", "75000", "100000")])
    got = formatted(revisions.problems(now, base))
    assert "trade_figures.csv:3: value: changed from 100000 to 75000 without a revision" in got


def test_withdrawn_row_without_revision():
    got = formatted(revisions.problems(snap([figure("a01")]), BASE))
    assert got == ["trade_figures.csv:1: figure_id: row a02 withdrawn without a revision "
                   "(add an action withdrawn row to revisions.csv)"]


def test_withdrawn_row_with_revision_passes_and_may_keep_revising_nothing():
    now = snap([figure("a01")], [rev("r1", "a02", "value", "75000", "", action="withdrawn")])
    assert revisions.problems(now, BASE) == []


def test_withdrawn_row_still_present():
    now = snap([figure("a01"), figure("a02")], [rev("r1", "a02", "", "", "", action="withdrawn")])
    assert formatted(revisions.problems(now)) == [
        "revisions.csv:2: row_id: withdrawn, but trade_figures.csv:3 still has this row ('a02')"]


def test_revision_of_a_missing_row_or_column_or_key():
    now = snap([figure("a01")], [rev("r1", "zz", "value", "1", "2"), rev("r2", "a01", "price", "1", "2"),
                                 rev("r3", "a01", "figure_id", "a01", "a09")])
    got = formatted(revisions.problems(now))
    assert "revisions.csv:2: row_id: no such row in trade_figures.csv (and no withdrawal logged) ('zz')" in got
    assert "revisions.csv:3: field: not a column of trade_figures.csv ('price')" in got
    assert any(g.startswith("revisions.csv:4: field: a key column is never revised") for g in got)


def test_an_added_column_is_not_a_change():
    base = snap([figure("a01").replace(",2026-11-28\n", "\n")], header=TF_HEADER.replace(",added_on", ""))
    assert revisions.problems(snap([figure("a01")]), base) == []


def test_the_log_is_append_only():
    base = snap([figure("a01"), figure("a02", "100000")], [rev("r1", "a02", "value", "75000", "100000")])
    edited = snap([figure("a01"), figure("a02", "100000")],
                  [rev("r1", "a02", "value", "75000", "100000").replace("a reason", "another reason")])
    assert formatted(revisions.problems(edited, base)) == [
        "revisions.csv:2: reason: changed from 'a reason' to 'another reason': the log is append-only "
        "(add a new revision instead)"]
    gone = snap([figure("a01"), figure("a02", "100000")])
    assert any("revision r1 was removed" in p for p in formatted(revisions.problems(gone, base)))


def test_expected_reports_come_and_go_freely():
    assert "expected_reports" in revisions.NOT_CHECKED and BY_NAME["expected_reports"] not in revisions.CHECKED


def test_database_baseline_reads_typed_values(built_db: Path):
    base = revisions.from_database(built_db)
    assert base.where == "the published database"
    line, cells = base.cells("trade_figures", "a05")
    assert cells["value"] == "700000" and cells["as_of_date"] == "2025-12-31"
    assert base.cells("figure_companies", "a15+bytedance") is not None
    from tests.etl.helpers import FIXTURE
    assert revisions.problems(revisions.from_dir(FIXTURE), base) == []


def test_a_file_with_the_baselines_digest_is_not_parsed():
    loaded = []

    def load(table):
        loaded.append(table.name)
        return None
    digests = {"trade_figures": "same", "chip_specs": "same"}
    base = revisions.Snapshot("b", load, dict(digests))
    now = revisions.Snapshot("c", load, {**digests, "chip_specs": "changed"})
    assert revisions.problems(now, base) == []
    assert "trade_figures" not in loaded and "chip_specs" in loaded
