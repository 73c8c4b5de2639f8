"""One definition per number: what the pages show equals what an analyst gets by typing the
same macro call in Explore SQL (the sandboxed worker, on the same published file), on the
fixture and on the curated data, under several filters."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from tests.conftest import FIXTURE_DATA, ROOT, build_db
from tests.pages.helpers import charts, decode, run
from tracker import db, queries
from tracker.explorer.service import ExplorerService
from tracker.filter_sql import ARGUMENTS, parameters
from tracker.filters import Filters

# page query -> (macro, the columns that carry its numbers and ids)
QUERIES = {
    "figures": ("filtered_figures", ["figure_id", "value", "value_high", "bound", "as_of_date"]),
    "pipeline": ("derived_pipeline", ["stage", "figure_id", "value", "value_high", "bound", "reports"]),
    "figure_reports": ("derived_figure_reports", ["figure_id", "value", "reports", "spread", "headline"]),
    "events": ("filtered_events", ["event_id", "date"]),
    "specs": ("filtered_specs", ["spec_id", "value", "value_high", "bound", "derived", "grade"]),
    "spec_reports": ("derived_spec_reports", ["spec_id", "value", "reports", "spread", "headline"]),
    "reported_ratios": ("filtered_ratios", ["ratio_id", "value", "bound"]),
    "policy_terms": ("filtered_terms", ["term_id", "value", "bound"]),
    "sources": ("filtered_sources", ["source_id", "grade", "figures", "specs"]),
    "subject_vs_reference": ("derived_subject_vs_reference",
                             ["spec_id", "ref_spec_id", "ratio_to_reference", "ratio_note"]),
}
EMPTY = {("fixture", "figure_reports")}  # the fixture reports no quantity twice
FILTERS = {
    "none": Filters(),
    "company": Filters(companies=("bytedance",)),
    "grade M, known on 2026-03-01": Filters(grade="M", known=dt.date(2026, 3, 1)),
    "dates": Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)),
    "chip": Filters(chips=("h200",)),
}


def literal(value) -> str:
    """A filter value as an analyst types it in SQL (test-only: values are known and plain)."""
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]" + ("::VARCHAR[]" if not value else "")
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    assert "'" not in str(value)
    return f"'{value}'"


def typed_sql(macro: str, f: Filters, **extra) -> str:
    args = {**parameters(f), **extra}
    return f"SELECT * FROM {macro}(" + ", ".join(f"{k} := {literal(args[k])}" for k in
                                                  [*ARGUMENTS, *extra]) + ")"


def same(page: pd.DataFrame, typed: pd.DataFrame, columns: list[str]) -> None:
    key = columns[0]
    a = page[columns].sort_values(columns[:2]).reset_index(drop=True)
    b = typed[columns].sort_values(columns[:2]).reset_index(drop=True)
    for col in columns:
        x, y = a[col], b[col]
        if pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
            np.testing.assert_allclose(x.astype(float), y.astype(float), equal_nan=True, err_msg=col)
        else:
            assert x.astype(str).tolist() == y.astype(str).tolist(), (key, col)


@pytest.fixture(scope="module", params=["fixture", "curated"])
def published(request, tmp_path_factory):
    data = FIXTURE_DATA if request.param == "fixture" else ROOT / "data"
    path = build_db(data, tmp_path_factory.mktemp(request.param) / "tracker.duckdb")
    service = ExplorerService(path)
    assert service.disabled_reason is None, service.disabled_reason
    yield request.param, path, service
    service.close()


@pytest.fixture
def version(published, monkeypatch):
    monkeypatch.setenv("H200_DB", str(published[1]))
    return db.current_version()


@pytest.mark.parametrize("filters", list(FILTERS))
@pytest.mark.parametrize("name", list(QUERIES))
def test_every_page_query_equals_the_explorer_macro(published, version, name, filters):
    macro, columns = QUERIES[name]
    f = FILTERS[filters]
    page = getattr(queries, name)(f, version)
    typed = published[2].run(typed_sql(macro, f))
    assert typed.error is None, typed.error
    assert len(page) == len(typed.frame)
    if filters == "none" and (published[0], name) not in EMPTY:
        assert len(page) > 0, f"{name} has no rows: the comparison would prove nothing"
    same(page, typed.frame, columns)


def test_ratio_to_reference_equals_the_explorer_macro(published, version):
    f = Filters()
    page = queries.normalised(f, "fp16_bf16_tflops", "dense", version)
    typed = published[2].run(typed_sql("derived_ratio_to_reference", f,
                                       of_metric="fp16_bf16_tflops", of_sparsity="dense")).frame
    assert len(page) > 1
    same(page, typed, ["spec_id", "ref_spec_id", "value", "ratio_to_reference"])
    whole = published[2].run("SELECT * FROM derived_chip_metrics_vs_reference "
                             "WHERE metric = 'fp16_bf16_tflops' AND sparsity = 'dense'").frame
    same(page, whole, ["spec_id", "ratio_to_reference"])  # the unfiltered view says the same


def test_the_overview_chart_draws_the_explorers_pipeline(published, monkeypatch):
    """On the page itself: every bar of the Overview's pipeline chart is a chip count of
    derived_pipeline_latest, the view the explorer lists."""
    monkeypatch.setenv("H200_DB", str(published[1]))
    spec = [s for s in charts(run("overview")) if "pipeline" in s["layout"]["title"]["text"]][0]
    bar = [t for t in spec["data"] if t["type"] == "bar"][0]
    drawn = dict(zip(bar["y"], decode(bar["x"])))
    view = published[2].run("SELECT stage_label, value FROM derived_pipeline_latest "
                            "WHERE unit_kind = 'chip_count' AND value IS NOT NULL").frame
    assert drawn and drawn == dict(zip(view["stage_label"], view["value"]))
