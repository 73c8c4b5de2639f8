"""Bad-input corpus: each case breaks a copy of the fixture in one way and runs the real CLI
against an already-built live DB. It must exit 1, print the located message for that case, never
a traceback, and leave the live DB byte-identical with no tmp files beside it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.etl.helpers import line_of, log_revision, run_etl, set_cell, sha256


def E(file: str, line: int, column: str, message: str) -> str:
    """Regex for one located message: FILE:LINE: COLUMN: message... (message is literal)."""
    return "^" + re.escape(f"{file}:{line}: {column}: {message}")


def cell(file, row_id, column, value, message, shown=True):
    def mutate(d: Path) -> str:
        n = set_cell(d / file, row_id, column, value)
        # the message starts as given; the offending value closes the line, repr-quoted
        tail = ".*" + re.escape(f" ({value!r})") + "$" if shown else ""
        return E(file, n, column, message) + tail
    return mutate


def rewrite(file, fn, expect):
    """fn(text) -> new text; expect(d) -> regex."""
    def mutate(d: Path) -> str:
        p = d / file
        p.write_text(fn(p.read_text(encoding="utf-8")), encoding="utf-8")
        return expect(d)
    return mutate


def append(file, row, expect):
    return rewrite(file, lambda t: t + row + "\n", expect)


def swap_columns(text: str, a: int, b: int) -> str:
    import csv, io
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for r in csv.reader(io.StringIO(text)):
        r[a], r[b] = r[b], r[a]
        w.writerow(r)
    return out.getvalue()


def map_rows(text: str, fn) -> str:
    import csv, io
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for i, r in enumerate(csv.reader(io.StringIO(text))):
        w.writerow(fn(i, r))
    return out.getvalue()


def n_lines(d: Path, file: str) -> int:
    return len((d / file).read_text(encoding="utf-8").splitlines())


TF, SP, SRC, RR = "trade_figures.csv", "chip_specs.csv", "sources.csv", "reported_ratios.csv"

CASES = {
    # --- structure -------------------------------------------------------------------------
    "missing_column": rewrite(SRC, lambda t: map_rows(t, lambda i, r: r[:5] + r[6:]),
                              lambda d: E(SRC, 1, "grade", "missing column")),
    "extra_column": rewrite("companies.csv", lambda t: map_rows(t, lambda i, r: r + ["extra" if i == 0 else "x"]),
                            lambda d: E("companies.csv", 1, "extra", "unexpected column")),
    "duplicate_column": rewrite("chips.csv", lambda t: map_rows(t, lambda i, r: r + [r[-1]]),
                                lambda d: E("chips.csv", 1, "added_on", "duplicate column")),
    "columns_out_of_order": rewrite("companies.csv", lambda t: swap_columns(t, 1, 2),
                                    lambda d: E("companies.csv", 1, "-", "columns out of order")),
    "too_many_fields": rewrite(TF, lambda t: t.replace("Per company.,2026-11-28\n", "Per company.,2026-11-28,extra\n"),
                               lambda d: E(TF, line_of(d / TF, "a15"), "-", "too many fields: 17, header has 16")),
    "too_few_fields": append("figure_companies.csv", "a04",
                             lambda d: E("figure_companies.csv", n_lines(d, "figure_companies.csv"), "-",
                                         "too few fields: 1, header has 3")),
    "broken_quoting": append("events.csv", 'ev_x,2026-01-01,day,company,"abc"def,,heise_20251222_shipments',
                             lambda d: E("events.csv", n_lines(d, "events.csv"), "-", "broken quoting or CSV syntax")),
    "unclosed_quote": append("policy_terms.csv", 'b99,"BIS rule,tpp,1,TPP,exact,,morgan_lewis_20260116_bis,q,',
                             lambda d: E("policy_terms.csv", n_lines(d, "policy_terms.csv"), "-",
                                         "broken quoting or CSV syntax: unexpected end of data")),
    "nul_byte": rewrite("companies.csv", lambda t: t.replace("Tencent,China", "Ten\0cent,China"),
                        lambda d: E("companies.csv", line_of(d / "companies.csv", "tencent"), "-",
                                    "NUL byte")),
    "quoted_newline_shifts_lines": rewrite(
        TF, lambda t: t.replace('"ByteDance, Alibaba and Tencent have', '"ByteDance,\nAlibaba and Tencent have')
        .replace("a05,h200,inventory,Units in stock,,700000", "a05,h200,inventory,Units in stock,,-5"),
        lambda d: E(TF, 5, "value", "negative value not allowed ('-5')")),
    # --- encoding and empty files ----------------------------------------------------------
    "non_utf8_byte": lambda d: ((d / "companies.csv").write_bytes(
        (d / "companies.csv").read_bytes().replace(b"Tencent,China", b"Tenc\xe9nt,China")),
        E("companies.csv", line_of(FIX / "companies.csv", "tencent"), "-", "not valid UTF-8 (b'\\xe9')"))[1],
    "utf8_bom": lambda d: ((d / "chips.csv").write_bytes(b"\xef\xbb\xbf" + (d / "chips.csv").read_bytes()),
                           E("chips.csv", 1, "-", "starts with a UTF-8 byte-order mark"))[1],
    "empty_file": lambda d: ((d / "events.csv").write_bytes(b""), E("events.csv", 1, "-", "file is empty"))[1],
    "header_only": rewrite(SP, lambda t: t.splitlines(keepends=True)[0],
                           lambda d: E(SP, 1, "-", "no data rows (header only)")),
    "missing_file": lambda d: ((d / "policy_terms.csv").unlink() or E("policy_terms.csv", 1, "-", "file is missing")),
    # --- types -----------------------------------------------------------------------------
    "date_format": cell(TF, "a04", "as_of_date", "31/12/2025", "not an ISO date (expected YYYY-MM-DD)"),
    "date_compact": cell("events.csv", "bis_rule_20260113", "date", "20260113", "not an ISO date (expected YYYY-MM-DD)"),
    "impossible_date": cell("events.csv", "bis_rule_20260113", "date", "2026-02-30", "impossible date"),
    "impossible_published": cell(SRC, "heise_20251222_shipments", "published_date", "2025-13-01", "impossible date"),
    "thousands_separator": cell(TF, "a05", "value", "700,000", "not a number (use '.' as decimal point"),
    "number_words": cell(SP, "h200_fp16_dense", "value", "about 989", "not a number"),
    "nan": cell(SP, "h20_tpp", "value", "nan", "NaN or infinite number"),
    "infinity": cell("policy_terms.csv", "b04", "value", "inf", "NaN or infinite number"),
    "overflow_to_inf": cell(TF, "a04", "value", "1e999", "NaN or infinite number"),
    # --- required, vocabularies, ids ------------------------------------------------------
    "empty_required": cell(SRC, "heise_20251222_shipments", "publisher", "", "required value is empty", shown=False),
    "blank_required": cell("companies.csv", "bytedance", "name", "   ", "required value is empty"),
    "empty_quote": cell(SP, "h20_mem", "quote", "", "required value is empty", shown=False),
    "grade_vocab": cell(SRC, "heise_20251222_shipments", "grade", "A", "not an allowed value (expected 'H', 'M' or 'L')"),
    "stage_vocab": cell(TF, "a05", "stage", "exported", "not an allowed value"),
    "unit_vocab": cell(TF, "a05", "unit", "units", "not an allowed value"),
    "bound_vocab": cell(TF, "a04", "bound", "more_than", "not an allowed value"),
    "role_vocab": cell("companies.csv", "tencent", "role", "customer", "not an allowed value"),
    "category_vocab": cell("events.csv", "bis_rule_20260113", "category", "economy", "not an allowed value"),
    "sparsity_vocab": cell(SP, "h200_fp16_dense", "sparsity", "structured", "not an allowed value"),
    "precision_vocab": cell(TF, "a04", "as_of_precision", "week", "not an allowed value"),
    "term_bound_vocab": cell("policy_terms.csv", "b04", "bound", "below", "not an allowed value"),
    "malformed_id_upper": cell(TF, "a04", "figure_id", "A04", "malformed id (expected lower-case [a-z0-9_]+)"),
    "malformed_id_space": cell("companies.csv", "bytedance", "company_id", "byte dance", "malformed id"),
    "released_format": cell("chips.csv", "h20", "released", "2024-13", "expected YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn"),
    "url_scheme": cell(SRC, "heise_20251222_shipments", "url", "ftp://heise.de/x", "not an http(s) URL"),
    "url_javascript": cell(SRC, "heise_20251222_shipments", "url", "javascript:alert(1)", "not an http(s) URL"),
    "url_no_host": cell(SRC, "heise_20251222_shipments", "url", "https://", "not an http(s) URL"),
    # --- keys and references --------------------------------------------------------------
    "duplicate_key": lambda d: append(SRC, (d / SRC).read_text(encoding="utf-8").splitlines()[1],
                                      lambda d2: E(SRC, n_lines(d2, SRC), "source_id",
                                                   "duplicate key (first at line 2)"))(d),
    "duplicate_link": append("figure_companies.csv", "a01,bytedance,2026-12-01",
                             lambda d: E("figure_companies.csv", n_lines(d, "figure_companies.csv"),
                                         "figure_id+company_id", "duplicate key (first at line "
                                         f"{line_of_pair(d, 'figure_companies.csv', 'a01', 'bytedance')})")),
    "duplicate_event_link": append("event_companies.csv", "cn_approvals_20260128,tencent,2026-12-01",
                                   lambda d: E("event_companies.csv", n_lines(d, "event_companies.csv"),
                                               "event_id+company_id", "duplicate key")),
    "unknown_source": cell(TF, "a05", "source_id", "no_such_source", "unknown sources id"),
    "unknown_chip": cell(SP, "h20_mem", "chip_id", "b30a", "unknown chips id"),
    "unknown_vendor": cell("chips.csv", "h20", "vendor", "amd", "unknown companies id"),
    "unknown_company_link": append("figure_companies.csv", "a04,huawei,2026-12-01",
                                   lambda d: E("figure_companies.csv", n_lines(d, "figure_companies.csv"),
                                               "company_id", "unknown companies id ('huawei')")),
    "unknown_figure_link": append("figure_companies.csv", "zz99,bytedance,2026-12-01",
                                  lambda d: E("figure_companies.csv", n_lines(d, "figure_companies.csv"),
                                              "figure_id", "unknown trade_figures id ('zz99')")),
    "unknown_event_link": append("event_companies.csv", "no_event,tencent,2026-12-01",
                                 lambda d: E("event_companies.csv", n_lines(d, "event_companies.csv"),
                                             "event_id", "unknown events id ('no_event')")),
    "unknown_event_source": cell("events.csv", "cn_approvals_20260128", "source_id", "gone", "unknown sources id"),
    # --- values and bounds -----------------------------------------------------------------
    "negative_figure": cell(TF, "a05", "value", "-5", "negative value not allowed"),
    "negative_spec": cell(SP, "h20_mem", "value", "-96", "negative value not allowed"),
    "negative_term": cell("policy_terms.csv", "b05", "value", "-1", "negative value not allowed"),
    "range_without_high": cell(TF, "a11", "value_high", "", "required when bound is range", shown=False),
    "range_high_below": cell(TF, "a11", "value_high", "4000", "below value 5000"),
    "high_without_range": cell(TF, "a05", "value_high", "800000", "must be empty when bound is exact"),
    "spec_range_high_below": lambda d: (set_cell(d / SP, "h20_mem", "bound", "range"),
                                        cell(SP, "h20_mem", "value_high", "90", "below value 96")(d))[1],
    "none_reported_with_zero": cell(TF, "a20", "value", "0", "must be empty when bound is none_reported"),
    "not_quantified_with_value": lambda d: (set_cell(d / TF, "a15", "bound", "not_quantified"),
                                            E(TF, line_of(d / TF, "a15"), "value",
                                              "must be empty when bound is not_quantified")
                                            + r".*\('20000'\)$")[1],
    "value_missing": cell(TF, "a04", "value", "", "required when bound is at_least", shown=False),
    "published_before_as_of": cell(TF, "a04", "published_date", "2025-12-01", "before as_of_date 2025-12-31"),
    "month_not_first_day": lambda d: (set_cell(d / "events.csv", "bis_rule_20260113", "date_precision", "month"),
                                      E("events.csv", line_of(d / "events.csv", "bis_rule_20260113"), "date",
                                        "must be the first day of the month"))[1],
    # --- chip_specs / policy_terms unit rules ----------------------------------------------
    "spec_unit_mismatch": cell(SP, "h200_mem_bw", "unit", "GB/s", "memory_bandwidth_tbs is measured in TB/s"),
    "spec_sparsity_mismatch": cell(SP, "h200_mem", "sparsity", "dense", "must be n/a for memory_gb"),
    "term_unit_mismatch": cell("policy_terms.csv", "b05", "unit", "TPP", "memory_bandwidth_gbs is measured in GB/s"),
    # --- reported_ratios ----------------------------------------------------------------
    "ratio_chip_vs_itself": cell(RR, "six_times", "reference_chip_id", "h200",
                                 "must differ from chip_id (a chip compared with itself)", shown=False),
    "ratio_unknown_reference": cell(RR, "six_times", "reference_chip_id", "b200", "unknown chips id"),
    "ratio_basis_vocab": cell(RR, "six_times", "basis", "performance", "not an allowed value"),
    "ratio_zero": cell(RR, "six_times", "value", "0", "a ratio of 0 is not a reported comparison",
                       shown=False),
    # --- no silent change: every change since the live DB is in revisions.csv ---------------
    "changed_without_revision": lambda d: E(TF, set_cell(d / TF, "a05", "value", "750000"), "value",
                                            "changed from 700000 to 750000 without a revision") + "$",
    "bound_changed_without_revision": lambda d: E(TF, set_cell(d / TF, "a04", "bound", "about"), "bound",
                                                  "changed from 'at_least' to 'about' without a revision"),
    "date_changed_without_revision": lambda d: E(
        "events.csv", set_cell(d / "events.csv", "bis_rule_20260113", "date", "2026-01-14"), "date",
        "changed from 2026-01-13 to 2026-01-14 without a revision"),
    "revision_does_not_match": lambda d: (set_cell(d / TF, "a05", "value", "750000"), E(
        "revisions.csv", log_revision(d, "trade_figures", "a05", "value", "700000", "760000"), "new_value",
        f"the latest revision of a05 value is not its current value: {TF}:{line_of(d / TF, 'a05')} has 750000"))[1],
    "revision_wrong_old_value": lambda d: (set_cell(d / TF, "a05", "value", "750000"), E(
        "revisions.csv", log_revision(d, "trade_figures", "a05", "value", "600000", "750000"), "old_value",
        "a05 value was 700000 in the published database ('600000')"))[1],
    "withdrawn_without_revision": rewrite(TF, lambda t: "".join(
        ln for ln in t.splitlines(keepends=True) if not ln.startswith("a15,")),
        lambda d: E(TF, 1, "figure_id", "row a15 withdrawn without a revision")),
    "withdrawn_but_still_there": lambda d: E(
        "revisions.csv", log_revision(d, "trade_figures", "a05", "", "700000", "", action="withdrawn"),
        "row_id", f"withdrawn, but {TF}:{line_of(d / TF, 'a05')} still has this row ('a05')"),
    "revision_of_unknown_column": lambda d: E(
        "revisions.csv", log_revision(d, "trade_figures", "a05", "price", "1", "2"), "field",
        "not a column of trade_figures.csv ('price')"),
    # --- message hygiene ------------------------------------------------------------------
    "long_value_truncated": cell(SRC, "heise_20251222_shipments", "grade", "Z" * 200,
                                 "not an allowed value", shown=False),
    "control_chars_escaped": cell("companies.csv", "tencent", "role", "\x1b[31mred",
                                  "not an allowed value", shown=False),
}

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "data"


def line_of_pair(d: Path, file: str, a: str, b: str) -> int:
    for n, line in enumerate((FIX / file).read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{a},{b},"):
            return n
    raise KeyError((a, b))


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_rejected_live_db_unchanged(name, data_dir: Path, live_db: Path):
    before = sha256(live_db)
    pattern = CASES[name](data_dir)
    r = run_etl("build", "--data-dir", data_dir, "--db", live_db)
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert re.search(pattern, r.stderr, re.MULTILINE), f"{pattern!r} not in:\n{r.stderr}"
    assert "Traceback" not in r.stderr
    assert sha256(live_db) == before
    assert sorted(p.name for p in live_db.parent.iterdir()) == ["tracker.duckdb", "tracker.duckdb.lock"]
    # every stderr line but the summary is a located message
    lines = r.stderr.strip().splitlines()
    assert lines[-1].startswith("etl: ") and "nothing was written" in lines[-1]
    assert all(re.match(r"^[a-z_]+\.csv:\d+: [^:]+: ", ln) for ln in lines[:-1]), lines


def test_long_and_control_values_are_truncated_and_escaped(data_dir: Path):
    set_cell(data_dir / SRC, "heise_20251222_shipments", "grade", "Z" * 200)
    set_cell(data_dir / "companies.csv", "tencent", "role", "\x1b[31mred")
    r = run_etl("check", "--data-dir", data_dir)
    assert r.returncode == 1
    (grade,) = [ln for ln in r.stderr.splitlines() if ": grade: " in ln]
    assert grade.endswith("('" + "Z" * 57 + "...')")
    (role,) = [ln for ln in r.stderr.splitlines() if ": role: " in ln]
    assert "\x1b" not in role and "\\x1b[31mred" in role
