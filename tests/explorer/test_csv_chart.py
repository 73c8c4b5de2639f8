"""CSV sanitising and the chart builder, without Streamlit."""
from __future__ import annotations

import base64
import io
import json
from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from tracker.explorer.chart import MAX_POINTS, build_chart
from tracker.explorer.csvsafe import neutralise, safe_filename, to_safe_csv


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  '=HYPERLINK("http://evil")'])
def test_formula_cells_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "a=b", "", " =x", 5, -5.0, None])
def test_other_cells_are_kept(cell):
    assert neutralise(cell) == cell


def test_csv_neutralises_text_and_headers_but_not_numbers():
    frame = pd.DataFrame({"=cmd()": ["=2+3", "ok", None], "n": [-1, 2, 3],
                          "l": [["=x"], ["a"], ["b"]]})
    text = to_safe_csv(frame).decode("utf-8")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert list(back.columns) == ["'=cmd()", "n", "l"]
    assert back["'=cmd()"].tolist() == ["'=2+3", "ok", ""]
    assert back["n"].tolist() == [-1, 2, 3]  # a negative number stays a number
    assert text.splitlines()[1] == "'=2+3,-1,['=x']"


def test_safe_filename():
    when = datetime(2026, 11, 28, 15, 30)
    assert safe_filename(now=when) == "explorer_20261128-1530.csv"
    assert safe_filename("../../etc/passwd\r\n", now=when) == "etc-passwd_20261128-1530.csv"
    assert safe_filename("..", now=when) == "explorer_20261128-1530.csv"


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
