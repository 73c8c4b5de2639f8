"""Honesty checks on the real curated CSVs under data/ (read with the csv module, not via the app).

Ids these tests rely on (chosen by the data curator, kept from the dossier where natural):
  a01            the combined China approval: ByteDance + Alibaba + Tencent, "over 400,000" H200
  a14_alibaba,   "more than 200,000 each": per-company in the source, so one figure per company
  a14_bytedance  (not a split of a combined figure)
  a05 / a06 / a24   inventory rows (H200 700,000; GH200 about 100,000; H20 600,000-700,000)
  a23 / n03      none_reported shipped (H200: "no chips have shipped yet") / shipped (chip
                 hopper_dc = Data Center Hopper); a23_delivered: the same sentence read as
                 "nothing delivered" (none_reported, never a 0)
  c01_six_times  Reuters' "roughly six times the performance of the H20" (reported_ratios):
                 about 6, metric not stated
  n07            shipped, at_most 1 percent ("less than 1% of Data Center revenue")
  n08            inventory_charge 400000000 usd ($0.4 bn)
  chips: h200, h20, h100, b200, ascend_910b, ascend_910c (+ hopper_dc, gh200, ...)
"""
import csv
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest

# HONESTY_DATA_DIR: run these checks on a copy (to see a rule fail on purpose), default data/
DATA = Path(os.environ.get("HONESTY_DATA_DIR") or Path(__file__).resolve().parent.parent / "data")
REFERENCE = Path("/work/shared/reference")  # the curation source; the quote test skips without it
STAGES = {"interest", "ordered", "inventory", "cn_approved", "us_licensed", "us_cap",
          "planned_shipment", "shipped", "delivered", "price", "revenue", "inventory_charge"}
BIG3 = {"bytedance", "alibaba", "tencent"}
HUAWEI_CHIPS = {"ascend_910b", "ascend_910c", "ascend_950", "ascend_950pr", "ascend_950dt"}
# A quote that is the dossier's transcription, not the source's own words, says so in front.
TRANSCRIPTION = "[dossier transcription, not the source's wording] "
DOSSIER_TRANSCRIPTIONS = {"jz_910b_fp16", "jz_910b_bw", "jz_910b_tdp", "lw_b200_fp32",
                          "s15_b200_int8_sparse", "s15_b200_tf32_sparse", "s16_b200_mem",
                          "s16_b200_bw", "s16_b200_tdp", "s21_910b_bw", "s21_910b_tdp",
                          "c03_h200_bw", "c03_910c_bw"}


def rows(name):
    with open(DATA / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def d():
    names = ["sources", "companies", "chips", "trade_figures", "figure_companies", "chip_specs",
             "reported_ratios", "events", "event_companies", "policy_terms", "grades", "stages",
             "spec_derivations", "expected_reports"]
    return {n: rows(n) for n in names}


@pytest.fixture(scope="module")
def links(d):
    out = defaultdict(set)
    for r in d["figure_companies"]:
        out[r["figure_id"]].add(r["company_id"])
    return out


def test_every_row_traces_to_a_source_with_http_url(d):
    urls = {s["source_id"]: s["url"] for s in d["sources"]}
    # a source that was read has the address where we read it; an unread original may have none
    read = [s for s in d["sources"] if s["read"] == "true"]
    assert all(re.match(r"^https?://\S+$", s["url"]) for s in read)
    assert all(re.match(r"^https?://\S+$", u) for u in urls.values() if u)
    for table in ("trade_figures", "chip_specs", "reported_ratios", "policy_terms", "events"):
        missing = [r for r in d[table] if r["source_id"] not in urls]
        assert not missing, (table, missing[:3])


def test_figures_specs_terms_have_quotes(d):
    for table in ("trade_figures", "chip_specs", "reported_ratios", "policy_terms"):
        empty = [r for r in d[table] if not r["quote"].strip()]
        assert not empty, (table, empty[:3])


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference material not available")
def test_quotes_are_verbatim_from_the_reference(d):
    text = " ".join(p.read_text(encoding="utf-8") for p in REFERENCE.iterdir() if p.is_file())
    text = re.sub(r"\s+", " ", text.replace('""', '"'))
    for table in ("trade_figures", "chip_specs", "reported_ratios", "policy_terms"):
        bad = [r["quote"] for r in d[table]
               if re.sub(r"\s+", " ", r["quote"].removeprefix(TRANSCRIPTION)) not in text]
        assert not bad, (table, bad[:3])
    # the dossier's own words are never shown as the source's
    specs = {s["spec_id"]: s["quote"] for s in d["chip_specs"]}
    unmarked = [i for i in DOSSIER_TRANSCRIPTIONS if not specs[i].startswith(TRANSCRIPTION)]
    assert not unmarked, unmarked


def test_combined_400k_approval_is_one_figure_linked_to_the_three(d, links):
    hits = [f for f in d["trade_figures"] if f["stage"] == "cn_approved" and f["value"]
            and float(f["value"]) == 400000]
    assert len(hits) == 1, hits
    f = hits[0]
    assert (f["figure_id"], f["bound"], f["chip_id"], f["unit"]) == ("a01", "at_least", "h200", "chips")
    assert links["a01"] == BIG3


def test_combined_figures_are_never_split(d, links):
    figs = {f["figure_id"]: f for f in d["trade_figures"]}
    key = lambda f: (f["chip_id"], f["stage"], f["unit"], f["as_of_date"])
    # 1. no other figure at the stage/date of a combined figure carries only part of its parties
    for fid, parties in links.items():
        if len(parties) < 2:
            continue
        for oid, other in links.items():
            if oid != fid and key(figs[oid]) == key(figs[fid]) and other < parties:
                pytest.fail(f"{oid} looks like a split of combined figure {fid}")
    # 2. no figure with the 400k approval's stage/value/date is linked to a single one of the three
    a01 = figs["a01"]
    for fid, f in figs.items():
        if (f["stage"], f["value"], f["as_of_date"]) == (a01["stage"], a01["value"], a01["as_of_date"]):
            assert fid == "a01" or not (len(links[fid]) == 1 and links[fid] <= BIG3), fid
    # 3. no Chinese approval is attributed to exactly one of the three (none is sourced per company)
    single = [fid for fid, f in figs.items() if f["stage"] == "cn_approved"
              and len(links[fid]) == 1 and links[fid] <= BIG3]
    assert not single, single


def test_per_company_interest_is_per_company(links):
    assert links["a14_alibaba"] == {"alibaba"} and links["a14_bytedance"] == {"bytedance"}


def test_unknown_is_not_zero(d):
    for f in d["trade_figures"]:
        if f["bound"] in ("none_reported", "not_quantified"):
            assert f["value"] == "" and f["value_high"] == "", f["figure_id"]
        else:
            assert f["value"] != "", f["figure_id"]
        if f["stage"] in ("shipped", "delivered", "revenue", "us_licensed") and f["value"]:
            assert float(f["value"]) != 0, f["figure_id"]
    nothing = {f["figure_id"]: f for f in d["trade_figures"] if f["bound"] == "none_reported"}
    assert nothing["a23"]["stage"] == "shipped" and nothing["n03"]["stage"] == "shipped"
    assert nothing["a23_delivered"]["stage"] == "delivered"
    assert {f["stage"] for f in nothing.values()} >= {"shipped", "delivered"}


def test_key_figures_keep_the_source_bound(d):
    figs = {f["figure_id"]: f for f in d["trade_figures"]}
    n07 = figs["n07"]
    assert (n07["stage"], n07["value"], n07["unit"], n07["bound"]) == ("shipped", "1", "percent", "at_most")
    assert "less than" in n07["notes"].lower()
    n08 = figs["n08"]
    assert (n08["stage"], float(n08["value"]), n08["unit"], n08["bound"]) == \
        ("inventory_charge", 400000000, "usd", "exact")
    assert figs["a04"]["bound"] == "at_least" and figs["a02"]["value"] == ""


def test_every_stage_is_covered(d):
    assert STAGES <= {f["stage"] for f in d["trade_figures"]}


def test_a_plan_is_not_a_shipment(d):
    plans = [f for f in d["trade_figures"] if f["figure_id"].startswith(("a11", "a12"))]
    assert len(plans) >= 2  # the mid-February delivery plans (dossier A11, A12) are in the data
    assert {f["stage"] for f in plans} == {"planned_shipment"}, [f["figure_id"] for f in plans]


def test_minimum_counts(d):
    minimum = {"sources": 25, "companies": 12, "chips": 8, "trade_figures": 30,
               "chip_specs": 50, "events": 30}
    for table, n in minimum.items():
        assert len(d[table]) >= n, (table, len(d[table]))
    chips = {c["chip_id"] for c in d["chips"]}
    assert {"h200", "h20", "h100", "b200", "ascend_910b", "ascend_910c"} <= chips


def test_ranges_and_dates(d):
    for table in ("trade_figures", "chip_specs"):
        for r in d[table]:
            if r["value_high"]:
                assert r["bound"] == "range" and float(r["value_high"]) >= float(r["value"]), r
            else:
                assert r["bound"] != "range", r
    for f in d["trade_figures"]:
        assert not f["published_date"] or f["published_date"] >= f["as_of_date"], f["figure_id"]


def test_no_derived_specs(d):
    assert not [s for s in d["chip_specs"] if s["chip_id"] == "h100" and s["metric"] == "tpp"]
    assert not [s for s in d["sources"] if "saulelectric" in s["url"]]
    # the H200's dense compute is only known by equivalence with the H100 (derived): not stored
    assert not [s for s in d["chip_specs"] if s["chip_id"] == "h200" and s["sparsity"] == "dense"]


def _conflicts(specs, chips):
    groups = defaultdict(set)
    for s in specs:
        if s["chip_id"] in chips:
            groups[(s["chip_id"], s["metric"], s["sparsity"])].add(float(s["value"]))
    return {k for k, v in groups.items() if len(v) > 1}


def test_conflicting_reports_are_kept_side_by_side(d):
    assert ("b200", "memory_gb", "n/a") in _conflicts(d["chip_specs"], {"b200"})
    assert _conflicts(d["chip_specs"], HUAWEI_CHIPS)
    tpp = {float(s["value"]) for s in d["chip_specs"] if (s["chip_id"], s["metric"]) == ("h200", "tpp")}
    assert {15832.0, 15840.0} <= tpp


def test_reuters_six_times_is_a_sourced_ratio_with_no_metric(d):
    """The seed's only performance figure ("environ six fois") is data with its bound, and says
    it names no metric; the sourced TPP ratio (about 6.7) sits beside it."""
    ratios = {r["ratio_id"]: r for r in d["reported_ratios"]}
    six = ratios["c01_six_times"]
    assert (six["chip_id"], six["reference_chip_id"], six["basis"], six["bound"], float(six["value"])) \
        == ("h200", "h20", "not_stated", "about", 6.0)
    assert "six times" in six["quote"]
    tpp = [r for r in ratios.values() if r["basis"] == "tpp" and r["chip_id"] == "h200"]
    assert tpp and all(r["bound"] == "about" for r in tpp)


def test_different_quantities_of_one_stage_are_told_apart(d):
    """The per-customer cap (75,000) and the total (a million) are different quantities of
    us_cap; reports of one quantity share a measure, so the conflict view never compares them."""
    by_id = {f["figure_id"]: f for f in d["trade_figures"]}
    assert by_id["a18"]["measure"] == by_id["a22_cap"]["measure"] == "per_customer_cap"
    assert by_id["a19"]["measure"] == "total_cap"


# --- Second-hand sourcing (design.md rule 8) ---------------------------------------------------
# A source row is one document. read=true: its text was read; read=false: an original known only
# through a document that relays it. Everything shown cites what was read.
CITING = ("trade_figures", "chip_specs", "reported_ratios", "events", "policy_terms", "spec_derivations")


def unread_citations(d):
    read = {s["source_id"]: s["read"] for s in d["sources"]}
    return [(table, r[next(iter(r))], r["source_id"]) for table in CITING for r in d[table]
            if read.get(r["source_id"]) != "true"]


def relay_problems(d):
    by_id = {s["source_id"]: s for s in d["sources"]}
    out = []
    for s in d["sources"]:
        if s["read"] not in ("true", "false"):
            out.append((s["source_id"], "read is not true/false"))
        if not s["relays"]:
            continue
        original = by_id.get(s["relays"])
        if original is None:
            out.append((s["source_id"], f"relays unknown source {s['relays']}"))
        elif original["read"] != "false":
            out.append((s["source_id"], f"relays {s['relays']}, a source that was read"))
        if s["read"] != "true":
            out.append((s["source_id"], "an unread original relays nothing"))
    return out


def grade_problems(d):
    order = {g["grade"]: int(g["grade_order"]) for g in d["grades"]}   # 1 = best
    by_id = {s["source_id"]: s for s in d["sources"]}
    return [(s["source_id"], s["grade"], s["relays"], by_id[s["relays"]]["grade"])
            for s in d["sources"] if s["relays"] in by_id
            and order[s["grade"]] < order[by_id[s["relays"]]["grade"]]]


def test_everything_shown_cites_a_source_that_was_read(d):
    """A quote is never attributed to an original that was not read: it cites the digest, copy
    or note where it was read, which relays the original."""
    assert not unread_citations(d), unread_citations(d)[:5]


def test_relays_names_an_unread_original(d):
    assert not relay_problems(d), relay_problems(d)[:5]
    # every unread original is there because a read document relays it
    relayed = {s["relays"] for s in d["sources"] if s["relays"]}
    orphans = [s["source_id"] for s in d["sources"] if s["read"] == "false" and s["source_id"] not in relayed]
    assert not orphans, orphans


def test_a_relayed_report_is_never_graded_above_its_original(d):
    assert not grade_problems(d), grade_problems(d)[:5]


def test_read_rows_say_where_they_were_read_and_originals_are_not_shown_as_read(d):
    for s in d["sources"]:
        if s["read"] == "true":
            assert re.match(r"^https?://\S+$", s["url"]), s["source_id"]
    # the syndicated copies that once carried a free-text 'via' now relay a sources row
    assert "via" not in d["sources"][0]
    by_id = {s["source_id"]: s for s in d["sources"]}
    assert by_id["s_bt_approval"]["relays"] and by_id[by_id["s_bt_approval"]["relays"]]["publisher"] == "Reuters"


def test_addendum_2_second_hand_facts(d, links):
    """The FT's deliveries and cap, read in a digest / RSS capture, cite what was read."""
    figs = {f["figure_id"]: f for f in d["trade_figures"]}
    by_id = {s["source_id"]: s for s in d["sources"]}
    for fid, publisher in (("p01_bytedance", "Financial Times"), ("p02_ft_cap", "Tom's Hardware")):
        reading = by_id[figs[fid]["source_id"]]
        original = by_id[reading["relays"]]
        assert reading["read"] == "true" and reading["grade"] == "L" and original["read"] == "false"
        assert original["publisher"] == publisher
    # per company because the source says "each"; about, as "roughly"
    assert links["p01_bytedance"] == {"bytedance"} and links["p01_tencent"] == {"tencent"}
    assert {figs[f]["bound"] for f in ("p01_bytedance", "p01_tencent")} == {"about"}
    # the FT's up to 100,000 is a second report of the per-customer cap, beside the 75,000s
    caps = {f["figure_id"]: float(f["value"]) for f in d["trade_figures"]
            if f["stage"] == "us_cap" and f["measure"] == "per_customer_cap"}
    assert caps == {"a18": 75000, "a22_cap": 75000, "p02_ft_cap": 100000}
    assert figs["p02_ft_cap"]["bound"] == "at_most"
    # a new stage has a definition; "most of these chips" is not a number
    stages = {s["stage"]: s for s in d["stages"]}
    assert {"kept_offshore", "leased_abroad", "diverted"} <= set(stages)
    assert all(stages[s]["definition"].strip() for s in stages)
    assert figs["p01_offshore"]["bound"] == "not_quantified" and figs["p01_offshore"]["value"] == ""
    # the Tencent lease counts unnamed Nvidia chips, never H200s
    assert figs["p09_chips"]["chip_id"] != "h200" and figs["p09_chips"]["stage"] == "leased_abroad"


def test_rows_say_when_they_entered_and_the_missing_reports_are_listed(d):
    for table in ("sources", "companies", "chips", "trade_figures", "chip_specs", "reported_ratios",
                  "events", "policy_terms", "figure_companies", "event_companies"):
        bad = [r for r in d[table] if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["added_on"] or "")]
        assert not bad, (table, bad[:2])
    new = [f["figure_id"] for f in d["trade_figures"] if f["figure_id"].startswith("p")]
    assert new and all(f["added_on"] == "2026-12-01" for f in d["trade_figures"] if f["figure_id"] in new)
    expected = {r["report_id"]: r for r in d["expected_reports"]}
    assert "nvda_q3fy27_results" in expected and expected["nvda_q3fy27_results"]["expected_date"].startswith("2026-11")
