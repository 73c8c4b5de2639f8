"""The view's bundle ("Cite or take this view"): one CSV per table the page showed, in page
order, each byte for byte the CSV of that table's own download, plus the sources they cite."""
import io
import zipfile

import pandas as pd
import pytest

from tests.pages.helpers import download_bytes, download_keys, run
from tracker.exports.csv_safety import safe_filename

FIXED = ["README.txt", "CITATION.txt", "VIEW_URL.txt", "sources.csv", "data_dictionary.csv"]
NOT_IN_BUNDLE = {"dl_bundle", "dl_scenario-months-to-fill"}  # a what-if, not data
# page, filters, how many tables the fixture gives under them (so an empty bundle cannot pass)
# (the Orders page's later sections are tabs: the bundle holds the open one's tables)
CASES = [("overview", {}, 1), ("pipeline", {}, 2), ("pipeline", {"company": ["bytedance"]}, 2),
         ("pipeline", {"section": "conflicts"}, 1), ("pipeline", {"section": "per-company"}, 2),
         ("chips", {}, 2), ("chips", {"grade": "H"}, 1), ("chips", {"section": "relative"}, 1),
         ("chips", {"section": "conflicts"}, 1), ("timeline", {}, 1), ("data", {}, 5),
         ("data", {"company": ["bytedance"]}, 5), ("compute", {}, 1)]


@pytest.mark.parametrize("page, params, n", CASES, ids=[f"{p}-{len(q)}" for p, q, _ in CASES])
def test_bundle_holds_every_table_the_page_showed(downloads, page, params, n):
    at = run(page, params)
    zf = zipfile.ZipFile(io.BytesIO(download_bytes(at, "dl_bundle", downloads)))
    tables = [k for k in download_keys(at) if k.startswith("dl_") and k not in NOT_IN_BUNDLE]
    assert len(tables) == n, tables
    members = [m for m in zf.namelist() if m not in FIXED]
    assert members == [safe_filename(k[len("dl_"):]) for k in tables]
    for key, member in zip(tables, members):
        assert zf.read(member) == download_bytes(at, key, downloads), member
    cited = set(pd.read_csv(zf.open("sources.csv"))["source_id"])
    shown = set().union(*(pd.read_csv(zf.open(m))["source_id"].dropna() for m in members
                          if "source_id" in pd.read_csv(zf.open(m), nrows=0)))
    assert shown and cited == shown  # the sources of exactly these rows


def test_no_bundle_where_a_page_shows_no_table(downloads):
    at = run("sources")
    assert "dl_bundle" not in download_keys(at)


def test_caption_and_citation_name_the_sources_of_the_rows_shown():
    at = run("pipeline", {"company": ["bytedance"]})  # two charts over the same two sources
    captions = [c.value for c in at.caption if c.value.startswith("Sources: ")]
    assert captions == ["Sources: The Business Times, 2026\\-01\\-28 (H); "
                        "TrendForce News, 2025\\-12\\-23 (M)"] * 2  # markdown face, escaped
    assert not at.code  # the citation is drawn only when its expander is opened
    at.session_state["cite_view"] = True
    at.run()
    citation = at.code[0].value.splitlines()
    assert citation[1:3] == ["Filters: companies ByteDance.",
                             "Sources: The Business Times (H); TrendForce News (M)."]  # plain face
