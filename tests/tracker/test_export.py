"""CSV downloads: exact rows, text cells neutralised for spreadsheets, safe file names."""
import io

import pandas as pd
import pytest

from tracker.export import neutralise, safe_filename, to_csv_bytes


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+cmd", "-2+3", "@SUM(A1)",
                                  "\tlead", "\rcr"])
def test_formula_prefixes_are_quoted(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "2,000,000", " =later", "", None, 3.5, -2])
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
