"""The explorer's chart builder, without Streamlit (its CSV: tests/tracker/test_csv_safety.py)."""
from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

from tracker.explorer.chart import MAX_POINTS, build_chart


def _values(arr):
    if isinstance(arr, dict):
        return np.frombuffer(base64.b64decode(arr["bdata"]), arr["dtype"]).tolist()
    return list(arr)


def test_no_chart_without_numbers():
    assert build_chart(pd.DataFrame({"a": ["x", "y"]})) is None
    assert build_chart(pd.DataFrame({"n": pd.Series([], dtype="int64")})) is None
    assert build_chart(pd.DataFrame({"b": [True, False]})) is None


def test_bar_over_first_text_column_escaped():
    frame = pd.DataFrame({"stage": ["ordered", "<b>x</b>"], "figures": [2, 1]})
    spec = json.loads(build_chart(frame).to_json())
    trace = spec["data"][0]
    assert trace["type"] == "bar"
    assert _values(trace["x"]) == ["ordered", "&lt;b&gt;x&lt;/b&gt;"]
    assert _values(trace["y"]) == [2, 1]


def test_line_over_dates():
    frame = pd.DataFrame({"d": pd.to_datetime(["2026-02-01", "2026-01-01"]), "v": [2.0, 1.0]})
    trace = json.loads(build_chart(frame).to_json())["data"][0]
    assert trace["type"] == "scatter" and trace["mode"] == "lines+markers"
    assert _values(trace["y"]) == [1.0, 2.0]  # sorted by date


def test_numbers_only_plot_by_row_and_cap_points():
    frame = pd.DataFrame({"i": range(MAX_POINTS + 5)})
    fig = build_chart(frame)
    assert len(_values(json.loads(fig.to_json())["data"][0]["y"])) == MAX_POINTS
    assert f"first {MAX_POINTS:,} rows" in fig.layout.title.text
