"""Sources and method: every source with grade and link; method; the build and its hashes."""
import duckdb

from tests.pages.helpers import download_frame, run


def test_every_source_is_listed_with_grade_and_link(downloads, fixture_db):
    at = run("sources")
    rows = download_frame(at, "dl_sources", downloads)
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        n = con.execute("SELECT count(*) FROM sources").fetchone()[0]
        hashes = {r[0] for r in con.execute("SELECT sha256 FROM build_info").fetchall()}
    assert len(rows) == n and set(rows["grade"]) <= {"H", "M", "L"}
    assert rows["url"].str.startswith("http").all()
    build_table = at.dataframe[-1].value
    assert set(build_table["sha256"]) == hashes


def test_method_explains_bounds_and_curation():
    at = run("sources")
    text = " ".join(m.value for m in at.markdown)
    assert "Combined figures stay combined" in text and "Unknown is not zero" in text
    tables = [d.value for d in at.dataframe]
    bounds = next(t for t in tables if "bound" in t.columns)
    assert {"at_least", "none_reported", "range"} <= set(bounds["bound"])  # from data/bounds.csv
    stages = next(t for t in tables if "definition" in t.columns)
    assert list(stages["stage"])[:2] == ["interest", "ordered"] and stages["definition"].str.len().gt(10).all()
