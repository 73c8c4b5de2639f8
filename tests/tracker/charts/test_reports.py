"""tracker/charts/reports.py: Conflicting reports: rows named in words with their count, grades best first, grade letters on markers."""
import pandas as pd

from tests.words import with_words
from tests.tracker.charts.frames import spec
from tracker import charts


def test_report_rows_name_the_quantity_in_words_and_count_the_reports():
    df = pd.DataFrame({
        "chip": ["H200", "H200", "H200"], "stage_label": ["US caps"] * 3,
        "measure": ["per_customer_cap", "per_customer_cap", None], "companies": ["", "", ""],
        "unit": ["chips"] * 3, "value": [75000.0, 75000.0, 1e6], "value_high": [None] * 3,
        "bound": ["at_most"] * 3, "publisher": ["BT", "Congero", "BT"], "grade": ["M", "L", "M"],
        "as_of_date": pd.to_datetime(["2026-03-03", "2026-05-01", "2026-03-03"]),
        "reports": [2, 2, 2], "spread": [1.0, 1.0, 1.0], "headline": [False, True, True],
        "headline_rule": ["latest"] * 3})
    fig = spec(charts.reports(df, ["chip", "stage_label", "measure", "companies", "unit"],
                              lambda r: str(r["value"]), "t", "x", log=True))
    rows = set(fig["layout"]["yaxis"]["categoryarray"])
    assert rows == {"H200 · US caps · per customer cap · chips  (2 reports, spread 1.00×)",
                    "H200 · US caps · chips  (2 reports, spread 1.00×)"}  # no "nan" for no measure


def test_report_legend_lists_grades_best_first():
    grades = with_words(pd.DataFrame({"grade": ["L", "H", "M"]}))  # no-op words; order from the data
    order = {g: i for i, g in enumerate(["H", "M", "L"])}  # the fixture's grades.csv order
    df = pd.DataFrame({
        "chip": ["H200"] * 3, "stage_label": ["US caps"] * 3, "unit": ["chips"] * 3,
        "value": [75000.0, 90000.0, 1e5], "value_high": [None] * 3, "bound": ["at_most"] * 3,
        "publisher": ["a", "b", "c"], "grade": list(grades["grade"]),
        "grade_order": [order[g] + 1 for g in grades["grade"]],
        "reports": [3] * 3, "spread": [1.33] * 3, "headline": [True, False, False],
        "headline_rule": ["latest"] * 3})
    fig = spec(charts.reports(df, ["chip", "stage_label", "unit"], lambda r: str(r["value"]), "t", "x"))
    names = [t["name"] for t in fig["data"] if t["name"].startswith("grade")]
    assert names == ["grade H", "grade M", "grade L"]


def test_report_markers_carry_their_grade_letter():
    df = pd.DataFrame({
        "chip": ["H200"] * 2, "stage_label": ["Orders"] * 2, "unit": ["chips"] * 2,
        "value": [1e5, 2e5], "value_high": [None] * 2, "bound": ["exact", "at_least"],
        "publisher": ["a", "b"], "grade": ["H", "L"], "reports": [2] * 2, "spread": [2.0] * 2,
        "headline": [True, False], "headline_rule": ["latest"] * 2})
    fig = spec(charts.reports(df, ["chip", "stage_label"], lambda r: str(r["value"]), "t", "x"))
    text = {t["name"]: t["text"] for t in fig["data"] if t["name"].startswith("grade")}
    assert text == {"grade H": ["H"], "grade L": ["L"]}
