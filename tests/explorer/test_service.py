"""Normal use of the service: results, truncation, schema, examples, timings, restarts."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from tests.explorer.conftest import fixture_rows
from tracker.explorer.examples import NEEDED, examples
from tracker.explorer.service import MAX_ROWS


def test_select_returns_a_frame(service):
    result = service.run("SELECT source_id, grade FROM sources ORDER BY source_id")
    assert result.error is None and not result.truncated
    assert result.frame["source_id"].tolist()[:2] == ["chinacrunch_bernstein_tpp", "heise_20251222_shipments"]
    assert len(result.frame) == 7


def test_truncates_at_max_rows(service):
    result = service.run("SELECT * FROM range(20000) t(i)")
    assert result.error is None and result.truncated
    assert len(result.frame) == MAX_ROWS == 10_000
    assert result.frame["i"].iloc[-1] == 9_999


def test_exactly_max_rows_is_not_truncated(service):
    result = service.run(f"SELECT * FROM range({MAX_ROWS})")
    assert len(result.frame) == MAX_ROWS and not result.truncated


def test_types_come_back_usable(service):
    result = service.run("SELECT sum(i) AS s, 1 AS a, 2 AS a, DATE '2026-01-28' AS d, "
                         "[1, 2] AS l FROM range(10) t(i)")
    frame = result.frame
    assert list(frame.columns) == ["s", "a", "a_1", "d", "l"]  # duplicate name made unique
    assert frame["s"].dtype == "float64"  # HUGEINT sum -> float, chartable
    assert pd.api.types.is_datetime64_any_dtype(frame["d"])


def test_errors_are_short(service):
    result = service.run("SELECT no_such_column FROM sources")
    assert result.error.startswith("BinderException: ") and "\n" not in result.error


def test_schema_lists_tables_and_columns(service):
    frame = service.schema().frame
    assert {"sources", "trade_figures", "chip_specs", "build_info"} <= set(frame["table_name"])
    cols = frame[frame["table_name"] == "sources"]["column_name"].tolist()
    assert cols[:2] == ["source_id", "publisher"]


@pytest.mark.parametrize("label", list(examples(NEEDED)))
def test_examples_run_fast(service, label):
    sql = examples(NEEDED)[label]
    service.run("SELECT 1")  # warm
    started = time.monotonic()
    result = service.run(sql)
    elapsed = time.monotonic() - started
    assert result.error is None, result.error
    assert len(result.frame) > 0
    assert elapsed < 0.5, f"{label}: {elapsed:.3f} s"


def test_example_answers(service):
    ex = examples(NEEDED)
    stages = service.run(ex["Pipeline by stage"]).frame
    stage_rows = fixture_rows("stages").set_index("stage")
    shown = [s for s in stage_rows.index if s in set(fixture_rows("trade_figures")["stage"])
             and stage_rows.loc[s, "in_pipeline"] == "true"]
    assert stages["stage_label"].tolist() == stage_rows.loc[shown, "label"].tolist()
    grades = service.run(ex["Figures per source grade"]).frame
    figures, sources = fixture_rows("trade_figures"), fixture_rows("sources")
    expected = figures.merge(sources, on="source_id")["grade"].value_counts()
    assert dict(zip(grades["grade"], grades["figures"])) == {g: int(expected.get(g, 0)) for g in grades["grade"]}
    ratio = service.run(ex["Specs relative to the reference chip"]).frame
    h200 = ratio[(ratio["chip"] == "Nvidia H200") & (ratio["metric_label"].str.startswith("FP16"))]
    assert h200["ratio"].iloc[0] == pytest.approx(6.68)
    known = service.run(ex["Pipeline, filtered"]).frame  # H and M only, as known on 2026-03-01
    assert "Chinese approvals" in set(known["stage_label"])


def test_examples_need_only_what_the_database_has():
    assert examples(set()) == {}
    assert set(examples({"grades"})) == {"Figures per source grade"}


def test_a_dead_worker_is_replaced(service):
    for worker in list(service._idle):
        worker.proc.kill()
        worker.proc.wait()
    result = service.run("SELECT 2 AS x")  # dead idle workers are skipped, a new one starts
    assert result.error is None and result.frame["x"].iloc[0] == 2
