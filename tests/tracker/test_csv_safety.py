"""CSV downloads (pages, bundle, SQL explorer): exact rows, text cells and headers neutralised
for spreadsheets, safe file names."""
import io
from datetime import datetime

import pandas as pd
import pytest

from tracker.exports.csv_safety import neutralise, safe_filename, stamped_filename, to_csv_bytes


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+cmd", "-2+3", "@SUM(A1)",
                                  "\tlead", "\rcr", "=1+1", "+1"])
def test_formula_prefixes_are_quoted(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "2,000,000", " =later", "a=b", "", None, 3.5, -2, 5])
def test_other_cells_are_unchanged(cell):
    assert neutralise(cell) == cell


def test_csv_bytes_keep_rows_and_numbers():
    frame = pd.DataFrame({"quote": ["=1+1", "fine", None], "value": [-5.0, 400000.0, None],
                          "as_of_date": pd.to_datetime(["2026-01-28", "2025-12-31", "2026-02-01"])})
    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)))
    assert list(back.columns) == ["quote", "value", "as_of_date"]
    assert back["quote"].tolist()[:2] == ["'=1+1", "fine"]
    assert back["value"].tolist()[:2] == [-5.0, 400000.0]  # numbers are not text: not prefixed
    assert back["as_of_date"].tolist() == ["2026-01-28", "2025-12-31", "2026-02-01"]


def test_file_names_are_safe():
    name = safe_filename("pipeline", "company-../../etc/passwd", "<script>")
    assert name.endswith(".csv") and "/" not in name and "<" not in name and ".." not in name
    assert safe_filename() == "export.csv"
    assert len(safe_filename("x" * 500)) <= 124


def test_csv_neutralises_headers_and_list_cells_but_not_numbers():
    # the explorer's columns come from user SQL: SELECT 1 AS "=cmd()", lists from LIST()
    frame = pd.DataFrame({"=cmd()": ["=2+3", "ok", None], "n": [-1, 2, 3],
                          "l": [["=x"], ["a"], ["b"]]})
    text = to_csv_bytes(frame).decode("utf-8")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert list(back.columns) == ["'=cmd()", "n", "l"]
    assert back["'=cmd()"].tolist() == ["'=2+3", "ok", ""]
    assert back["n"].tolist() == [-1, 2, 3]  # a negative number stays a number
    assert text.splitlines()[1] == "'=2+3,-1,['=x']"


def test_stamped_file_names():
    when = datetime(2026, 11, 28, 15, 30)
    assert stamped_filename("explorer", now=when) == "explorer_20261128-1530.csv"
    assert stamped_filename("../../etc/passwd\r\n", now=when) == "etc-passwd_20261128-1530.csv"
    assert stamped_filename("..", now=when) == "export_20261128-1530.csv"
