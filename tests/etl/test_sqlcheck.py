"""The set-based validator (etl/sqlcheck.py over etl/stage.py) says what the row validator says.

The oracle is the row path itself (etl/validate.py validate_file: Python's csv reader, pydantic
per row, keys and references in Python) run on every table; the set-based path must give the
same problems, at the same lines, with the same messages, on every bad-input case and on random
edits of the fixture with values chosen to sit on the edges of the cell types."""
from __future__ import annotations

import csv
import io
import random
import shutil
from pathlib import Path

import pytest

from etl import sqlcheck
from etl.read import read_file
from etl.tables import BY_NAME, TABLES
from etl.validate import ROW_TABLES, relay_problems, validate, validate_file
from tests.etl.helpers import FIXTURE, set_cell
from tests.etl.test_bad_inputs import CASES

REVISION_CASES = {n for n in CASES if "revision" in n or "withdrawn" in n or "changed" in n}


def oracle(data_dir: Path) -> list[str]:
    keys, kept, out = {}, {}, []
    for table in TABLES:
        problems, _, keyset = validate_file(read_file(data_dir, table), keys, kept)
        if table.name == "sources":
            problems += relay_problems(kept)
        out += problems
        keys[table.name] = keyset
    return _ordered(out)


def set_based(data_dir: Path) -> list[str]:
    v = validate(data_dir, limit=0)
    try:
        assert v.unlisted == 0
        return _ordered(v.problems)
    finally:
        v.close()


def _ordered(problems) -> list[str]:
    """Problems in file order, then line; within a line as found (the row path's order of its
    required cells is a frozenset's)."""
    order = {t.file: i for i, t in enumerate(TABLES)}
    return [p.format() for p in sorted(problems, key=lambda p: (order[p.file], p.line, p.column, p.message))]


@pytest.mark.parametrize("name", sorted(set(CASES) - REVISION_CASES))
def test_bad_input_case_same_as_row_path(name, data_dir: Path):
    CASES[name](data_dir)
    assert set_based(data_dir) == oracle(data_dir)


EDGE = ["", " ", "\t", "\u00a0", "x", "X", "a b", "a_1", "0", "-0", "1", "-1", "1.5", "1e3", "1e999",
        "nan", " NaN ", "+inf", "-Infinity", "1,000", ".5", "٣", "2026-01-01", "2026-02-30", "0000-01-01",
        "2026-1-1", "20260101", "2026-04-01", "2026-07-15", "2027-01-01", "day", "month", "quarter", "year",
        "range", "exact", "about", "at_least", "none_reported", "not_quantified", "less_than", "chips",
        "TPP", "GB/s", "h200", "h20", "nvidia", "tencent", "dense", "n/a", "sparse", "tpp",
        "memory_gb", "fp16_bf16_tflops", "revised", "withdrawn", "reuters_20260128_approvals",
        "nvidia_h200_datasheet", "a05", "zz", "2024", "2024-Q3", "٢٠٢٤", "interest", "shipped",
        'with "quotes", and commas', "line\nbreak"]


def _mutate(d: Path, rnd: random.Random) -> None:
    curated = [t for t in TABLES if t.name not in ROW_TABLES]
    for _ in range(rnd.randint(1, 4)):
        table = rnd.choice(curated)
        path = d / table.file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        if len(rows) < 2:
            continue
        r = rnd.randrange(1, len(rows))
        c = rnd.randrange(len(rows[0]))
        if rnd.random() < 0.15:
            rows.append(list(rows[r]))                     # a duplicate row
        else:
            rows[r][c] = rnd.choice(EDGE)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_same_as_row_path(seed: int, tmp_path: Path):
    d = tmp_path / "data"
    shutil.copytree(FIXTURE, d)
    _mutate(d, random.Random(seed))
    assert set_based(d) == oracle(d)


def test_every_model_rule_has_its_sql():
    """A curated model with cross-field rules has them in sqlcheck.RULES (and the cells of
    every curated table have a set-based check)."""
    from etl.models import MODELS
    from etl.cells import Row
    for t in TABLES:
        if t.name in ROW_TABLES:
            continue
        sqlcheck.cells(t.name)
        has_rules = MODELS[t.name].checks is not Row.checks
        assert has_rules == (t.name in sqlcheck.RULES), t.name


def test_lines_after_quoted_newlines_and_blank_tail(data_dir: Path):
    """DuckDB reads the file; the lines still count quoted newlines and the trailing blank lines."""
    p = data_dir / "events.csv"
    lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    first = next(csv.reader([rows[0]]))
    first[5] = "two\nlines"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(first)
    p.write_text(header + buf.getvalue() + "".join(rows[1:]) + "\n\n", encoding="utf-8")
    n = set_cell(p, next(csv.reader([rows[1]]))[0], "date", "2026-02-30")
    v = validate(data_dir)
    try:
        assert [x.format() for x in v.problems] == [f"events.csv:{n}: date: impossible date ('2026-02-30')"]
        assert n == 4 and not v.stage.staged["events"].python
    finally:
        v.close()


def test_many_problems_are_counted_and_the_first_listed(data_dir: Path):
    p = data_dir / "trade_figures.csv"
    text = p.read_text(encoding="utf-8")
    body = "".join(f"x{i},h200,shipped,m,,-1,,chips,exact,2026-01-01,day,,reuters_20260128_approvals,q,,2026-12-01\n"
                   for i in range(300))
    p.write_text(text + body, encoding="utf-8")
    v = validate(data_dir, limit=20)
    try:
        assert v.count == 300 and len(v.problems) == 20 and v.unlisted == 280
        first = len(text.splitlines()) + 1
        assert v.problems[0].format() == f"trade_figures.csv:{first}: value: negative value not allowed ('-1')"
        assert [x.line for x in v.problems] == list(range(first, first + 20))
    finally:
        v.close()


def test_whitespace_class_is_all_of_str_isspace():
    """sqlcheck builds its whitespace class from code points up to SPACE_MAX only (a full scan
    cost every run 0.3 s): no str.isspace() character lies beyond it."""
    import sys
    assert not [c for c in range(sqlcheck.SPACE_MAX + 1, sys.maxunicode + 1) if chr(c).isspace()]
    assert chr(sqlcheck.SPACE_MAX).isspace()
