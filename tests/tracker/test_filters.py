"""URL parameters -> filters: valid parts kept, everything else dropped with a warning."""
import datetime as dt

import pytest

from tracker.filters import Filters, Options, parse_params, to_params

OPTS = Options({"bytedance": "ByteDance", "alibaba": "Alibaba"}, {"h200": "H200", "h20": "H20"},
               dt.date(2025, 12, 1), dt.date(2026, 9, 30),
               {"H": "H only", "M": "H and M", "L": "All grades"})


def test_valid_params_round_trip():
    raw = {"company": ["bytedance", "alibaba"], "chip": ["h20"],
           "dates": ["2026-01-01", "2026-02-01"], "grade": ["M"], "known": ["2026-01-20"]}
    parsed = parse_params(raw, OPTS)
    assert parsed.warnings == []
    assert parsed.filters == Filters(("bytedance", "alibaba"), ("h20",), dt.date(2026, 1, 1),
                                     dt.date(2026, 2, 1), "M", dt.date(2026, 1, 20))
    assert to_params(parsed.filters) == raw


def test_defaults_leave_the_url_empty():
    assert to_params(Filters()) == {}
    assert parse_params({}, OPTS).filters == Filters()


@pytest.mark.parametrize("bad", ["NoSuchCo", "<script>alert(1)</script>", "' OR 1=1 --",
                                 "bytedance'; DROP TABLE sources; --", "x" * 10_000, ""])
def test_unknown_company_is_dropped_with_warning_and_never_widens(bad):
    parsed = parse_params({"company": ["bytedance", bad]}, OPTS)
    assert parsed.filters.companies == ("bytedance",)  # the valid part, not "all companies"
    assert len(parsed.warnings) == 1
    assert "<script>" not in parsed.warnings[0] and len(parsed.warnings[0]) < 200


def test_warning_text_cannot_carry_markdown():
    parsed = parse_params({"chip": ["[x](javascript:alert(1))"]}, OPTS)
    assert "](" not in parsed.warnings[0] and "javascript:alert(1)" not in parsed.warnings[0]


@pytest.mark.parametrize("dates, start, end, warns", [
    (["2026-02-30", "2026-03-01"], dt.date(2025, 12, 1), dt.date(2026, 3, 1), 1),
    (["2026-01-01", "garbage"], dt.date(2026, 1, 1), dt.date(2026, 9, 30), 1),
    (["2026-03-01", "2026-01-01"], dt.date(2026, 1, 1), dt.date(2026, 3, 1), 1),
    (["nope", "nada"], None, None, 2),
    (["2026-01-01", "2026-02-01", "2026-03-01"], dt.date(2026, 1, 1), dt.date(2026, 2, 1), 1),
])
def test_dates_keep_their_valid_part(dates, start, end, warns):
    parsed = parse_params({"dates": dates}, OPTS)
    assert (parsed.filters.start, parsed.filters.end) == (start, end)
    assert len(parsed.warnings) == warns


def test_bad_grade_and_known_fall_back_with_warnings():
    parsed = parse_params({"grade": ["Z"], "known": ["yesterday"]}, OPTS)
    assert parsed.filters.grade is None and parsed.filters.known is None
    assert len(parsed.warnings) == 2
    assert "use H or M or L" in parsed.warnings[0]  # the grades the data defines


def test_the_lowest_grade_is_the_default_and_stays_out_of_the_url():
    assert parse_params({"grade": ["L"]}, OPTS).filters == Filters()
    assert to_params(parse_params({"grade": ["M"]}, OPTS).filters) == {"grade": ["M"]}
    assert OPTS.lowest_grade == "L" and Options({}, {}, dt.date.min, dt.date.max).lowest_grade is None


def test_describe_names_the_view_for_file_names():
    words = Filters(("bytedance",), (), dt.date(2026, 1, 1), dt.date(2026, 2, 1), "H").describe()
    assert words == ["company-bytedance", "2026-01-01-to-2026-02-01", "grade-H"]
