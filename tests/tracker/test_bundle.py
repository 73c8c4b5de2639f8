"""The view's zip: fixed members, CSVs equal to the frames (formulas neutralised), a data
dictionary for every column."""
import datetime as dt
import io
import zipfile

import pandas as pd

from tracker import db, queries
from tracker.exports import bundle

TODAY = dt.date(2026, 11, 28)
URL = "http://localhost:8501/pipeline?company=alibaba&grade=M"


def frames():
    figures = pd.DataFrame({
        "figure_id": ["a01", "a02"], "value": [400000.0, -5.0], "bound": ["at_least", "exact"],
        "as_of_date": pd.to_datetime(["2026-01-28", "2025-12-31"]),
        "quote": ["=HYPERLINK(\"http://evil\")", "plain words"], "mystery": [1, 2]})
    ratios = pd.DataFrame({"chip": ["H200"], "ratio_to_reference": [6.7]})
    sources = pd.DataFrame({"source_id": ["s1"], "publisher": ["@Reuters"], "grade": ["H"],
                            "url": ["https://example.com/a"]})
    return figures, ratios, sources


def open_bundle(**kw):
    figures, ratios, sources = frames()
    args = dict(view="Pipeline", tables={"figures over time": figures, "Ratios/../x": ratios},
                sources=sources, citation="CITE ME\n", url=URL, today=TODAY)
    return zipfile.ZipFile(io.BytesIO(bundle.bundle(**{**args, **kw})))


def test_bundle_members_in_fixed_order():
    zf = open_bundle()
    assert zf.namelist() == ["README.txt", "CITATION.txt", "VIEW_URL.txt",
                             "figures-over-time.csv", "ratios-x.csv", "sources.csv",
                             "data_dictionary.csv"]
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())
    assert zf.read("CITATION.txt") == b"CITE ME\n"
    assert zf.read("VIEW_URL.txt").decode().strip() == URL
    readme = zf.read("README.txt").decode()
    assert "DERIVED" in readme and "ratios-x.csv" in readme and URL in readme


def test_bundle_csvs_equal_the_frames_with_formulas_neutralised():
    figures, ratios, sources = frames()
    zf = open_bundle()
    back = pd.read_csv(zf.open("figures-over-time.csv"))
    assert list(back.columns) == list(figures.columns)
    assert back["quote"].tolist() == ["'=HYPERLINK(\"http://evil\")", "plain words"]
    assert back["value"].tolist() == [400000.0, -5.0]
    assert back["as_of_date"].tolist() == ["2026-01-28", "2025-12-31"]
    assert back[["figure_id", "bound", "mystery"]].equals(figures[["figure_id", "bound", "mystery"]])
    pd.testing.assert_frame_equal(pd.read_csv(zf.open("ratios-x.csv")), ratios)
    assert pd.read_csv(zf.open("sources.csv"))["publisher"].tolist() == ["'@Reuters"]


def test_data_dictionary_explains_every_column(use_fixture_db):
    words = bundle.vocabulary_meanings(queries.vocabulary(db.current_version()))
    zf = open_bundle(dictionary=pd.concat([words, pd.DataFrame(
        {"column": ["mystery"], "meaning": ["Ours now"], "unit": ["widgets"]})]))
    dd = pd.read_csv(zf.open("data_dictionary.csv"), keep_default_na=False)
    assert list(dd.columns) == ["table", "column", "dtype", "meaning", "unit"]
    figures, ratios, sources = frames()
    assert len(dd) == len(figures.columns) + len(ratios.columns) + len(sources.columns)
    row = dd.set_index(["table", "column"])
    assert "lower bound (more than)" in row.loc[("figures-over-time.csv", "bound"), "meaning"]
    assert row.loc[("ratios-x.csv", "ratio_to_reference"), "meaning"].startswith("DERIVED")
    assert row.loc[("figures-over-time.csv", "mystery"), "meaning"] == "Ours now"
    assert row.loc[("figures-over-time.csv", "value"), "dtype"] == "float64"
    no_meaning = open_bundle()
    dd2 = pd.read_csv(no_meaning.open("data_dictionary.csv"), keep_default_na=False)
    assert dd2.set_index("column").loc["mystery", "meaning"] == bundle.UNKNOWN


def test_bundle_names_collide_safely_and_url_may_be_unknown():
    figures, ratios, sources = frames()
    zf = open_bundle(tables={"sources": figures, "Sources!": ratios, "": ratios}, url=None)
    assert zf.namelist()[3:6] == ["sources-2.csv", "sources-3.csv", "export.csv"]
    assert "not recorded" in zf.read("VIEW_URL.txt").decode()
    assert open_bundle().read("README.txt") == open_bundle().read("README.txt")  # deterministic
