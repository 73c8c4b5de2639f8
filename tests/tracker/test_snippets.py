"""'Use this view in code': every snippet, run as an analyst runs it (a fresh Python process
on the published file, the SQL through duckdb, the CSV through pandas), gives the page's rows
in the page's order, under several filter sets; a hostile id stays one literal."""
from __future__ import annotations

import ast
import datetime as dt
import pickle
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from tracker import db, queries, snippets, ui
from tracker.exports.csv_safety import to_csv_bytes
from tracker.filters import Filters

FILTERS = {
    "none": Filters(),
    "company": Filters(companies=("bytedance",)),
    "chip": Filters(chips=("h20",)),  # the reference chip: no trade figure, its own specs
    "dates": Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30)),
    "grade": Filters(grade="M"),
    "known": Filters(known=dt.date(2026, 1, 1)),
}
NORMALISED = ("tpp", "n/a")
# snippet table -> the page's query (tracker/queries.py) it must reproduce
PAGE = {
    "figures": queries.figures,
    "named_figures": lambda f, v: pd.concat(list(queries.row_batches("named_figures", f, v)), ignore_index=True),
    "pipeline": queries.pipeline,
    "figure_reports": queries.figure_reports,
    "events": queries.events,
    "specs": queries.specs,
    "spec_reports": queries.spec_reports,
    "ratios": queries.reported_ratios,
    "terms": queries.policy_terms,
    "sources": queries.sources,
    "subject_vs_reference": queries.subject_vs_reference,
    "normalised": lambda f, v: queries.normalised(f, *NORMALISED, v),
}
WORDED = {"reported", "revised"}  # the page's words for value/bound and the revision log
CSV_TABLES = {"figures": ui.FIGURE_COLUMNS, "events": ui.EVENT_COLUMNS, "specs": ui.SPEC_TABLE_COLUMNS}

RUNNER = textwrap.dedent("""
    import os, pickle, sys
    import duckdb
    cases, out = pickle.load(open(sys.argv[1], "rb")), {}
    for key, (kind, code, where) in cases.items():
        if kind == "sql":
            out[key] = duckdb.connect(where, read_only=True).sql(code).df()
            continue
        if where:
            os.chdir(where)
        scope = {}
        exec(compile(code, key, "exec"), scope)  # the snippet exactly as the page shows it
        out[key] = scope["df"]
    pickle.dump(out, open(sys.argv[2], "wb"))
""")


def view(name: str) -> snippets.View:
    return snippets.normalised(*NORMALISED) if name == "normalised" else snippets.VIEWS[name]


def run_snippets(cases: dict, tmp_path) -> dict:
    """Run every case in one fresh Python process (2 cores: one interpreter start)."""
    (tmp_path / "runner.py").write_text(RUNNER)
    (tmp_path / "cases.pkl").write_bytes(pickle.dumps(cases))
    done = subprocess.run([sys.executable, str(tmp_path / "runner.py"), str(tmp_path / "cases.pkl"),
                           str(tmp_path / "out.pkl")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return pickle.loads((tmp_path / "out.pkl").read_bytes())


def same_rows(page: pd.DataFrame, got: pd.DataFrame, what: str) -> None:
    missing = set(page.columns) - WORDED - set(got.columns)
    assert not missing, (what, missing)
    cols = [c for c in page.columns if c not in WORDED]
    assert len(got) == len(page), (what, len(got), len(page))
    pd.testing.assert_frame_equal(got[cols].reset_index(drop=True), page[cols].reset_index(drop=True),
                                  check_dtype=False, obj=what)


@pytest.fixture(scope="module")
def results(fixture_db, tmp_path_factory):
    """(filters, table) -> (the page's rows, the Python snippet's, the SQL's), and the CSV runs."""
    import os
    os.environ["H200_DB"] = str(fixture_db)  # the page queries read the same file
    version = db.ready_version()
    tmp = tmp_path_factory.mktemp("snippets")
    cases, pages, csv_pages = {}, {}, {}
    for fname, f in FILTERS.items():
        for table in PAGE:
            pages[fname, table] = PAGE[table](f, version)
            cases[f"{fname}|{table}|py"] = ("py", snippets.python(view(table), f, str(fixture_db)), None)
            cases[f"{fname}|{table}|sql"] = ("sql", snippets.sql(view(table), f), str(fixture_db))
        for table, columns in CSV_TABLES.items():  # the file the page's download writes, then read_csv
            rows = ui.chart_rows(pages[fname, table], columns)
            folder = tmp / f"csv-{fname}-{table}"
            folder.mkdir()
            (folder / snippets.csv_name(table, f)).write_bytes(to_csv_bytes(rows))
            csv_pages[fname, table] = rows
            cases[f"{fname}|{table}|csv"] = ("py", snippets.pandas(table, f), str(folder))
    os.environ.pop("H200_DB")
    return pages, csv_pages, run_snippets(cases, tmp)


@pytest.mark.parametrize("fname", FILTERS)
@pytest.mark.parametrize("table", PAGE)
def test_snippets_give_the_page_rows(results, fname, table):
    pages, _, out = results
    page = pages[fname, table]
    same_rows(page, out[f"{fname}|{table}|py"], f"python {fname} {table}")
    same_rows(page, out[f"{fname}|{table}|sql"], f"sql {fname} {table}")


def test_the_filter_sets_are_not_vacuous(results):
    pages, _, _ = results
    for fname in FILTERS:  # each set drops some rows of some table
        fewer = [t for t in PAGE if len(pages[fname, t]) < len(pages["none", t])]
        assert fname == "none" or fewer, fname
    assert len(pages["none", "normalised"]) and len(pages["none", "named_figures"])


@pytest.mark.parametrize("fname", FILTERS)
@pytest.mark.parametrize("table", CSV_TABLES)
def test_the_csv_snippet_reads_the_page_download(results, fname, table):
    _, csv_pages, out = results
    page, got = csv_pages[fname, table], out[f"{fname}|{table}|csv"]
    assert list(got.columns) == list(page.columns)
    key = page.columns[0]
    assert got[key].astype(str).tolist() == page[key].astype(str).tolist()  # same rows, same order
    if "value" in page:
        pd.testing.assert_series_equal(got["value"].astype(float), page["value"].astype(float),
                                       check_index=False)


HOSTILE = "x'); DROP MACRO filtered_figures; --\n' OR TRUE OR '\"\"\"\\"


def test_a_hostile_id_stays_one_literal(fixture_db, tmp_path):
    assert duckdb.sql(f"SELECT {snippets.sql_literal(HOSTILE)} AS v").fetchall()[0][0] == HOSTILE
    assert duckdb.sql(f"SELECT {snippets.sql_literal([HOSTILE, 'b'])} AS v").fetchall()[0][0] == [HOSTILE, "b"]
    f = Filters(companies=(HOSTILE,), chips=("h200'--",))
    text = snippets.sql(snippets.VIEWS["figures"], f)
    assert len(duckdb.extract_statements(text)) == 1
    code = snippets.python(snippets.VIEWS["figures"], f, str(fixture_db))
    ast.parse(code)
    params = next(n.value for n in ast.parse(code).body
                  if isinstance(n, ast.Assign) and n.targets[0].id == "params")
    assert ast.literal_eval(params)["companies"] == [HOSTILE]
    assert all(HOSTILE.splitlines()[0] not in line for line in code.splitlines() if line.lstrip().startswith("#"))
    out = run_snippets({"py": ("py", code, None), "sql": ("sql", text, str(fixture_db))}, tmp_path)
    assert out["py"].empty and out["sql"].empty  # no such company: nothing, and no error
    assert duckdb.connect(str(fixture_db), read_only=True).sql(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'filtered_figures'").fetchall()[0][0] == 1


def test_literals():
    assert snippets.sql_literal(["a", "b"]) == "['a', 'b']"
    assert snippets.sql_literal([]) == "[]::VARCHAR[]"
    assert snippets.sql_literal(dt.date(2026, 1, 28)) == "DATE '2026-01-28'"
    assert snippets.sql_literal("it's") == "'it''s'"
    assert snippets.sql_literal(None) == "NULL"
    with pytest.raises(ValueError):
        snippets.sql_literal("a\x00b")
    with pytest.raises(ValueError):
        snippets.python(snippets.View("filtered_figures", extra=(("x; DROP", 1),)), Filters(), "db")
