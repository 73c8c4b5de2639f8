"""A build checks and loads each curated table in one pass (etl/build.py Target.load): on hostile
inputs it must report exactly what the row validator reports (the oracle, test_sqlcheck), keep
no table whose rows have a problem (a header problem alone does not stop the pass: the build
is deleted all the same), and load every other table's rows as the CSV has them, in order;
on valid inputs it must load what the two-pass build (validate, then load the snapshots) loads."""
from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import build
from etl.tables import BY_NAME, TABLES
from etl.validate import ROW_TABLES, validate
from tests.etl.helpers import FIXTURE
from tests.etl.test_bad_inputs import CASES
from tests.etl.test_sqlcheck import REVISION_CASES, _mutate, _ordered, oracle

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


def one_pass(data_dir: Path, db: Path) -> tuple[list[str], dict[str, list[tuple]]]:
    """(every problem, in the oracle's order; the keys of each table the pass loaded, in the
    build's row order). The unfinished build is deleted on close."""
    v = validate(data_dir, limit=0, target=lambda files, stage: build.Target(db, stage))
    try:
        assert v.unlisted == 0
        con = v.stage.con
        loaded = {t: con.execute(f'SELECT {", ".join(BY_NAME[t].key)} FROM build.main.{t}').fetchall()
                  for t in v.target.loaded}
        return _ordered(v.problems), loaded
    finally:
        v.close()
        assert not build.tmp_paths(db)[0].exists()


def csv_keys(data_dir: Path, table: str) -> list[tuple]:
    with open(data_dir / BY_NAME[table].file, encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if any(r.values())]
    return [tuple(r[k] for k in BY_NAME[table].key) for r in rows]


def check(data_dir: Path, db: Path) -> None:
    problems, loaded = one_pass(data_dir, db)
    assert problems == oracle(data_dir)
    rows_bad = {p.split(":", 1)[0].removesuffix(".csv") for p in problems if p.split(":")[1] != "1"}
    assert not rows_bad & set(loaded), "a table whose rows have problems was kept"
    for table, keys in loaded.items():
        assert keys == csv_keys(data_dir, table), table


@pytest.mark.parametrize("name", sorted(set(CASES) - REVISION_CASES))
def test_bad_input_case_one_pass(name, data_dir: Path, tmp_path: Path):
    CASES[name](data_dir)
    check(data_dir, tmp_path / "t.duckdb")


@pytest.mark.parametrize("seed", range(40))
def test_random_edits_one_pass(seed: int, tmp_path: Path):
    d = tmp_path / "data"
    shutil.copytree(FIXTURE, d)
    _mutate(d, random.Random(seed))
    check(d, tmp_path / "t.duckdb")


def test_valid_input_loads_in_one_pass_every_table_duckdb_reads(tmp_path: Path):
    v = validate(FIXTURE, target=lambda files, stage: build.Target(tmp_path / "t.duckdb", stage))
    try:
        assert v.ok
        curated = {t.name for t in TABLES if t.name not in ROW_TABLES}
        python = {t for t, s in v.stage.staged.items() if s.python and t in curated}   # Python's reader read them
        # the reference tables copied from their staged rows, the curated ones in one pass
        assert v.target.loaded == {t.name for t in TABLES} - python and "trade_figures" in v.target.loaded
    finally:
        v.close()


def _contents(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t.name: con.execute(f"SELECT * FROM {t.name}").fetchall() for t in TABLES}
    finally:
        con.close()


def test_one_pass_loads_what_the_two_pass_build_loads(tmp_path: Path, data_dir: Path):
    """Every cell type, a quoted newline, quotes and commas: the same rows, values and order."""
    tf = data_dir / "trade_figures.csv"
    tf.write_text(tf.read_text(encoding="utf-8")
                  + 't9,h200,ordered,m,,1.5e3,2e3,chips,range,2026-09-01,day,2026-09-02,'
                    'reuters_20260128_approvals,"two\nlines, ""quoted""",,2026-12-01\n', encoding="utf-8")
    v = validate(data_dir, target=lambda files, stage: build.Target(tmp_path / "one.duckdb", stage))
    assert v.ok, [p.format() for p in v.problems]
    assert "trade_figures" in v.target.loaded
    one, _ = build.build_database(tmp_path / "one.duckdb", v, "x", NOW)
    v.close()
    v = validate(data_dir)                    # no target: every table loaded after validation
    two, _ = build.build_database(tmp_path / "two.duckdb", v, "x", NOW)
    v.close()
    a, b = _contents(one), _contents(two)
    assert a == b and len(a["trade_figures"]) == len(csv_keys(data_dir, "trade_figures"))


@pytest.mark.parametrize("edit, what", [
    ("INSERT INTO trade_figures SELECT * FROM trade_figures LIMIT 1", "trade_figures: rows repeat a key"),
    ("UPDATE trade_figures SET chip_id = 'zz' WHERE rowid = 0", "trade_figures.chip_id: rows point at no chips"),
    ("UPDATE sources SET read = false WHERE source_id = (SELECT source_id FROM trade_figures LIMIT 1)",
     "trade_figures.source_id: rows point at no sources")])
def test_post_load_assertion_checks_what_the_pass_did_not(edit: str, what: str, tmp_path: Path):
    """The second line of defence (build._assert_keys_and_references) still finds a repeated key
    or an unresolved reference in a table the validator did not load; it leaves alone the tables
    that one pass checked as they loaded."""
    v = validate(FIXTURE)
    tmp, _ = build.build_database(tmp_path / "t.duckdb", v, "x", NOW)
    v.close()
    con = duckdb.connect(str(tmp))
    try:
        con.execute(edit)
        with pytest.raises(build.BuildError, match=what):
            build._assert_keys_and_references(con)
        build._assert_keys_and_references(con, {t.name for t in TABLES})
    finally:
        con.close()
