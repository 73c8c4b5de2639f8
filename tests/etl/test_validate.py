from pathlib import Path

from etl.problems import Problem
from etl.tables import TABLES
from etl.validate import validate
from tests.etl.helpers import FIXTURE, line_of, set_cell


def test_fixture_is_valid_and_counted():
    v = validate(FIXTURE)
    assert v.ok, [p.format() for p in v.problems]
    for t in TABLES:
        lines = (FIXTURE / t.file).read_text(encoding="utf-8").splitlines()
        assert v.row_counts[t.name] == len([ln for ln in lines[1:] if ln])


def test_fixture_has_what_the_app_team_relies_on():
    import csv
    rows = lambda f: list(csv.DictReader(open(FIXTURE / f, encoding="utf-8")))
    links = rows("figure_companies.csv")
    per_fig = {}
    for r in links:
        per_fig.setdefault(r["figure_id"], set()).add(r["company_id"])
    assert any(len(c) == 3 for c in per_fig.values())            # a combined figure
    bounds = {r["bound"] for r in rows("trade_figures.csv")}
    assert {"none_reported", "range"} <= bounds
    specs = {(r["chip_id"], r["metric"], r["sparsity"]) for r in rows("chip_specs.csv")}
    for chip in ("h200", "h20"):
        assert (chip, "fp16_bf16_tflops", "dense") in specs
        assert {(chip, m) for m in ("tpp", "memory_bandwidth_tbs", "memory_gb")} <= {s[:2] for s in specs}
    terms = {(r["metric"], r["value"], r["bound"]) for r in rows("policy_terms.csv")}
    assert {("tpp", "21000", "less_than"), ("memory_bandwidth_gbs", "6500", "less_than")} <= terms


def test_every_problem_of_a_run_is_reported(data_dir: Path):
    """Problems in several files and several rows all come out of one run, in file order."""
    a = set_cell(data_dir / "sources.csv", "heise_20251222_shipments", "grade", "X")
    b = set_cell(data_dir / "trade_figures.csv", "a04", "value", "-1")
    c = set_cell(data_dir / "trade_figures.csv", "a05", "as_of_date", "2026-02-30")
    d = set_cell(data_dir / "chip_specs.csv", "h20_mem", "unit", "TB/s")
    (data_dir / "events.csv").write_bytes(b"")
    got = [(p.file, p.line, p.column) for p in validate(data_dir).problems]
    assert got == [("sources.csv", a, "grade"), ("trade_figures.csv", b, "value"),
                   ("trade_figures.csv", c, "as_of_date"), ("chip_specs.csv", d, "unit"),
                   ("events.csv", 1, "-")]


def test_several_problems_in_one_row(data_dir: Path):
    n = set_cell(data_dir / "trade_figures.csv", "a04", "stage", "nope")
    set_cell(data_dir / "trade_figures.csv", "a04", "quote", "")
    set_cell(data_dir / "trade_figures.csv", "a04", "unit", "units")
    cols = [p.column for p in validate(data_dir).problems if p.line == n]
    assert sorted(cols) == ["quote", "stage", "unit"]


def test_unreadable_table_does_not_cascade(data_dir: Path):
    """A broken sources.csv header is one problem, not one per referencing row."""
    p = data_dir / "sources.csv"
    lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
    p.write_text(lines[0].replace("source_id", "src") + "".join(lines[1:]), encoding="utf-8")
    msgs = [p.format() for p in validate(data_dir).problems]
    assert {m.split(":")[0] for m in msgs} == {"sources.csv"}
    assert any(m.startswith("sources.csv:1: source_id: missing column") for m in msgs)


def test_problem_format_truncates_and_escapes():
    p = Problem("x.csv", 3, "notes", "bad", "a" * 100 + "\n")
    s = p.format()
    assert s.startswith("x.csv:3: notes: bad ('") and s.endswith("...')") and "\n" not in s
    assert Problem("x.csv", 1, "-", "file is missing").format() == "x.csv:1: -: file is missing"


def test_reference_to_row_with_other_problems_is_still_known(data_dir: Path):
    set_cell(data_dir / "chips.csv", "h20", "architecture", "")   # h20 row invalid, id fine
    probs = validate(data_dir).problems
    assert [(p.file, p.column) for p in probs] == [("chips.csv", "architecture")]
    assert probs[0].line == line_of(data_dir / "chips.csv", "h20")
