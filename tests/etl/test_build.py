import csv
import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pytest

import etl.build as build
from etl.publish import BuildError
from etl.tables import TABLES
from etl.validate import validate
from tests.etl.helpers import FIXTURE

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)


def rows(file):
    return list(csv.DictReader(open(FIXTURE / file, encoding="utf-8")))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    d = tmp_path_factory.mktemp("b")
    v = validate(FIXTURE)
    tmp, counts = build.build_database(d / "t.duckdb", v, "bid-1", NOW)
    assert tmp == d / "t.duckdb.tmp" and not (d / "t.duckdb.tmp.wal").exists()
    con = duckdb.connect(str(tmp), read_only=True)
    yield con, counts
    con.close()


def test_tables_loaded_with_csv_row_counts(db):
    con, counts = db
    for t in TABLES:
        assert con.execute("SELECT count(*) FROM query_table(?)", [t.name]).fetchone()[0] == len(rows(t.file)) == counts[t.name]


def test_build_info_has_input_hashes(db):
    con, _ = db
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT table_name, file_name, sha256, row_count, build_id FROM build_info").fetchall()}
    for t in TABLES:
        sha = hashlib.sha256((FIXTURE / t.file).read_bytes()).hexdigest()
        assert got[t.name] == (t.file, sha, len(rows(t.file)), "bid-1")


def test_null_and_types_roundtrip(db):
    con, _ = db
    for r in rows("trade_figures.csv"):
        value, as_of = con.execute("SELECT value, as_of_date FROM trade_figures WHERE figure_id = ?",
                                   [r["figure_id"]]).fetchone()
        assert value == (float(r["value"]) if r["value"] else None)
        assert as_of == dt.date.fromisoformat(r["as_of_date"])


def headline_oracle(figs, sources, grades, units):
    """The headline rule written again from its words (views.sql headline_key), for checking:
    a chip or module count first, then another number, then none reported, then no number;
    then the latest as-of date, the latest publication (missing last), best grade, smallest id."""
    order = {g["grade"]: int(g["grade_order"]) for g in grades}
    grade = {r["source_id"]: order[r["grade"]] for r in sources}
    kind = {u["unit"]: u["kind"] for u in units}

    def klass(f):
        if f["value"]:
            return 0 if kind[f["unit"]] in ("chip_count", "module_count") else 1
        return 2 if f["bound"] == "none_reported" else 3
    best = sorted(figs, key=lambda f: f["figure_id"])
    best = sorted(best, key=lambda f: grade[f["source_id"]])
    best = sorted(best, key=lambda f: f["published_date"] or "", reverse=True)
    best = sorted(best, key=lambda f: f["as_of_date"], reverse=True)
    return sorted(best, key=klass)[0]


def test_pipeline_latest_follows_the_rule(db):
    con, _ = db
    pipeline_chips = {r["chip_id"] for r in rows("chip_roles.csv") if r["role"] == "pipeline"}
    in_pipeline = {r["stage"] for r in rows("stages.csv") if r["in_pipeline"] == "true"}
    figs = [r for r in rows("trade_figures.csv") if r["chip_id"] in pipeline_chips and r["stage"] in in_pipeline]
    links = rows("figure_companies.csv")
    got = {r[0]: r[1:] for r in con.execute(
        "SELECT stage, figure_id, reports, headline_rule, derived FROM derived_pipeline_latest").fetchall()}
    assert got and set(got) == {f["stage"] for f in figs}
    for stage in got:
        cand = [f for f in figs if f["stage"] == stage]
        best = headline_oracle(cand, rows("sources.csv"), rows("grades.csv"), rows("units.csv"))
        fid, reports, rule, derived = got[stage]
        assert fid == best["figure_id"] and reports == len(cand)
        assert rule.startswith("a chip count first") and derived is True


def test_a_number_never_loses_to_a_later_report_without_one(tmp_path: Path, data_dir: Path):
    """The rule's first key, on purpose: a later "none reported" does not hide a count."""
    tf = data_dir / "trade_figures.csv"
    tf.write_text(tf.read_text(encoding="utf-8")
                  + "t9,h200,ordered,m,,,,chips,none_reported,2026-09-01,day,2026-09-01,"
                    "reuters_20260128_approvals,q,,2026-12-01\n", encoding="utf-8")
    v = validate(data_dir)
    assert v.ok, [p.format() for p in v.problems]
    tmp, _ = build.build_database(tmp_path / "n.duckdb", v, "x", NOW)
    con = duckdb.connect(str(tmp), read_only=True)
    fid, reports = con.execute("SELECT figure_id, reports FROM derived_pipeline_latest "
                               "WHERE stage = 'ordered'").fetchone()
    con.close()
    assert fid != "t9" and reports == 3


def test_ratios_to_the_reference_show_inputs(db):
    con, _ = db
    specs = {r["spec_id"]: r for r in rows("chip_specs.csv")}
    reference = {r["chip_id"] for r in rows("chip_roles.csv") if r["role"] == "reference"}
    out = con.execute("SELECT spec_id, ref_spec_id, ratio_to_reference, ratio_note, sparsity "
                      "FROM derived_chip_metrics_vs_reference").fetchall()
    assert len(out) >= 4
    for spec_id, ref_id, ratio, note, sparsity in out:
        a, b = specs[spec_id], specs[ref_id]
        assert b["chip_id"] in reference and a["metric"] == b["metric"] and b["sparsity"] == sparsity
        assert ratio == pytest.approx(float(a["value"]) / float(b["value"]))
        bounded = {a["bound"], b["bound"]} - {"exact", "about"}
        assert ("no bound" in note) == bool(bounded)


def test_reference_equivalents_cover_every_pair(db):
    con, _ = db
    specs = rows("chip_specs.csv")
    role = {(r["role"], r["chip_id"]) for r in rows("chip_roles.csv")}
    basis = lambda r: r["metric"] == "tpp" or (r["metric"] == "fp16_bf16_tflops" and r["sparsity"] == "dense")
    want = {(a["spec_id"], b["spec_id"]): float(a["value"]) / float(b["value"])
            for a in specs for b in specs
            if ("subject", a["chip_id"]) in role and ("reference", b["chip_id"]) in role
            and a["metric"] == b["metric"] and a["sparsity"] == b["sparsity"] and basis(a) and basis(b)}
    got = {(r[0], r[1]): r[2] for r in con.execute(
        "SELECT subject_spec_id, reference_spec_id, reference_equivalents "
        "FROM derived_subject_in_reference_equivalents").fetchall()}
    assert got.keys() == want.keys() and len(want) >= 2
    for k in want:
        assert got[k] == pytest.approx(want[k])


def test_thresholds_convert_tbs_to_gbs(db):
    con, _ = db
    terms = {r["metric"]: float(r["value"]) for r in rows("policy_terms.csv")}
    specs = {r["spec_id"]: r for r in rows("chip_specs.csv")}
    out = con.execute("SELECT spec_id, compared_value, compared_unit, conversion, threshold_value, "
                      "below_threshold FROM derived_spec_vs_thresholds").fetchall()
    assert {r[0] for r in out} == {k for k, r in specs.items() if r["metric"] in ("tpp", "memory_bandwidth_tbs")}
    for spec_id, cmp_value, unit, conv, thr, below in out:
        s = specs[spec_id]
        if s["metric"] == "memory_bandwidth_tbs":
            assert cmp_value == pytest.approx(float(s["value"]) * 1000) and unit == "GB/s" and "TB/s" in conv
            assert thr == terms["memory_bandwidth_gbs"]
        else:
            assert thr == terms["tpp"]
        assert below == (cmp_value < thr)


def test_all_views_are_derived_named(db):
    con, _ = db
    names = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
    derived = [n for n in names if n.startswith("derived_")]
    assert len(derived) >= 5
    assert {"figure_rows", "spec_rows", "source_rows"} <= set(names)  # the rows the macros filter
    macros = {r[0] for r in con.execute("SELECT function_name FROM duckdb_functions() "
                                        "WHERE function_type = 'table_macro'").fetchall()}
    assert {"derived_pipeline", "filtered_figures", "derived_ratio_to_reference"} <= macros


def test_failed_assertion_rolls_back_and_removes_tmp(tmp_path: Path, monkeypatch):
    v = validate(FIXTURE)
    v.row_counts["chips"] += 1                        # the CSV "has" one more row than loads
    with pytest.raises(BuildError, match="chips: loaded 2 rows"):
        build.build_database(tmp_path / "t.duckdb", v, "x", NOW)
    assert list(tmp_path.iterdir()) == []


def test_duckdb_error_becomes_build_error(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(build, "VIEWS_SQL", tmp_path / "bad.sql")
    (tmp_path / "bad.sql").write_text("CREATE VIEW derived_x AS SELECT nope FROM nowhere;")
    with pytest.raises(BuildError, match="CatalogException"):
        build.build_database(tmp_path / "t.duckdb", validate(FIXTURE), "x", NOW)
    assert [p.name for p in tmp_path.iterdir()] == ["bad.sql"]


def test_refuses_invalid_inputs(tmp_path: Path, data_dir: Path):
    (data_dir / "chips.csv").unlink()
    with pytest.raises(BuildError):
        build.build_database(tmp_path / "t.duckdb", validate(data_dir), "x", NOW)
    assert list(tmp_path.iterdir()) == [tmp_path / "data"]


def test_pipeline_tie_breakers(tmp_path: Path, data_dir: Path):
    """Same as_of_date: published_date decides (missing last), then grade, then figure_id."""
    tf = data_dir / "trade_figures.csv"
    row = "{id},h200,{stage},m,,1,,chips,exact,2026-06-01,day,{pub},{src},q,,2026-12-01\n"
    extra = [
        # us_licensed: published_date decides; an empty published_date sorts last
        dict(id="t1", stage="us_licensed", pub="2026-06-02", src="heise_20251222_shipments"),  # M
        dict(id="t2", stage="us_licensed", pub="", src="reuters_20260128_approvals"),         # H
        # delivered: same dates, grade decides (H beats M beats L)
        dict(id="t3", stage="delivered", pub="2026-06-02", src="chinacrunch_bernstein_tpp"),   # L
        dict(id="t4", stage="delivered", pub="2026-06-02", src="heise_20251222_shipments"),    # M
        # us_cap: same dates and grade, smallest figure_id wins
        dict(id="t6", stage="us_cap", pub="2026-06-02", src="reuters_20260128_approvals"),
        dict(id="t5", stage="us_cap", pub="2026-06-02", src="reuters_20260114_orders"),
    ]
    tf.write_text(tf.read_text(encoding="utf-8") + "".join(row.format(**r) for r in extra), encoding="utf-8")
    v = validate(data_dir)
    assert v.ok, [p.format() for p in v.problems]
    tmp, _ = build.build_database(tmp_path / "x.duckdb", v, "x", NOW)
    con = duckdb.connect(str(tmp), read_only=True)
    got = dict(con.execute("SELECT stage, figure_id FROM derived_pipeline_latest").fetchall())
    con.close()
    assert (got["us_licensed"], got["delivered"], got["us_cap"]) == ("t1", "t4", "t5")


@pytest.mark.parametrize("broken", [
    "CREATE VIEW zz_broken AS SELECT figure_id FROM trade_figures WHERE error('boom') IS NULL",  # by check()
    "CREATE OR REPLACE VIEW change_keys AS SELECT CAST(error('boom') AS DATE) AS changed_on, "
    "'added' AS change, 'x' AS table_name, figure_id AS row_id, NULL::VARCHAR AS revision_id "
    "FROM trade_figures",                                                       # by views.sql's own tables
])
def test_a_view_that_fails_on_the_rows_fails_the_build(broken, monkeypatch, tmp_path):
    """Every view runs over the loaded rows before the build commits: by check(), or for
    EVALUATED_BY_VIEWS_SQL by the statement in views.sql that makes a table from it."""
    text = build.VIEWS_SQL.read_text(encoding="utf-8")
    if "change_keys" in broken:   # redefine it before the table that is made from it
        at = text.index("CREATE TABLE change_day_counts")
        text = text[:at] + broken + ";\n" + text[at:]
    else:
        text += "\n" + broken + ";\n"
    views = tmp_path / "views.sql"
    views.write_text(text, encoding="utf-8")
    monkeypatch.setattr(build, "VIEWS_SQL", views)
    with pytest.raises(BuildError, match="boom"):
        build.build_database(tmp_path / "t.duckdb", validate(FIXTURE), "bid-x", NOW)


def test_the_views_check_skips_are_read_whole_by_views_sql():
    """EVALUATED_BY_VIEWS_SQL may only name views that a `CREATE TABLE ... AS` of views.sql
    reads from: a view dropped from those statements must go back to check()."""
    import re
    text = build.VIEWS_SQL.read_text(encoding="utf-8")
    tables = [m.group(0) for m in re.finditer(r"^CREATE TABLE \w+ AS\n.*?;$", text, flags=re.S | re.M)]
    for view in build.EVALUATED_BY_VIEWS_SQL:
        assert any(re.search(rf"\bFROM {view}\b", t) for t in tables), view
