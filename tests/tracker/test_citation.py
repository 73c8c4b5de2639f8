"""The texts every export carries: the citation, the filters, sources and build in words, the link."""
import datetime as dt

import pandas as pd

from tracker.exports import citation, sources_line
from tracker.filters import Filters, Options

TODAY = dt.date(2026, 11, 28)
URL = "http://localhost:8501/pipeline?company=alibaba&grade=M"
BUILD = "Data build b42 of 2026-11-20"


def test_citation_carries_title_filters_sources_build_url_and_date():
    text = citation.citation_text("H200 pipeline", "companies Alibaba", "Reuters, 2026-01-28 (H)",
                                 BUILD, URL, today=TODAY)
    assert text.splitlines() == [
        "H200 export tracker — H200 pipeline.", "Filters: companies Alibaba.",
        "Sources: Reuters, 2026-01-28 (H).", "Data build b42 of 2026-11-20.", f"View: {URL}",
        "Accessed 2026-11-28."]


def test_citation_without_url_or_filters_says_so_and_stays_one_line_each():
    lines = citation.citation_lines("T\nwith newline", "", "A\nB", BUILD, None, today=TODAY)
    assert len(lines) == 6 and lines[0] == "H200 export tracker — T with newline."
    assert lines[1] == "Filters: none (all data)." and lines[2] == "Sources: A B."
    assert lines[4] == "View: link not recorded."


def test_describe_helpers():
    opts = Options({"alibaba": "Alibaba"}, {"h200": "H200"}, dt.date(2025, 1, 1), dt.date(2026, 6, 1),
                   {"H": "H only", "M": "H and M", "L": "all"})
    f = Filters(("alibaba",), ("h200",), dt.date(2025, 12, 1), dt.date(2026, 2, 1), "M",
                dt.date(2026, 3, 1))
    assert citation.describe_filters(f, opts) == (
        "companies Alibaba; chips H200; as-of dates 2025-12-01 to 2026-02-01; source grades H/M; "
        "as known on 2026-03-01 (later publications hidden)")
    assert citation.describe_filters(Filters()) == "none (all data)"
    assert citation.describe_filters(Filters(grade="M")) == "minimum source grade M"  # no order known
    data = pd.DataFrame({"publisher": ["Reuters", "SCMP", "Reuters"], "grade": ["H", "M", "H"],
                         "as_of_date": pd.to_datetime(["2026-01-28", "2026-01-02", "2026-01-28"])})
    assert sources_line.plain(data) == "Reuters, 2026-01-28 (H); SCMP, 2026-01-02 (M)"
    assert citation.describe_build("b42", "2026-11-20T08:15:00") == BUILD
    assert citation.view_url("http://h/pipeline", f).startswith(
        "http://h/pipeline?company=alibaba&chip=h200&dates=2025-12-01&dates=2026-02-01&grade=M")
    assert citation.view_url("http://h/pipeline", Filters()) == "http://h/pipeline"
