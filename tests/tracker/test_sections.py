"""tracker/sections.py's link reading (pure); the tabs themselves are tested on the Orders page
(tests/pages/test_pipeline.py) and in the browser (tests/e2e/test_drill_browser.py)."""
from tracker import sections
from tracker.filters import MAX_PARAM_LEN

SLUGS = ["over-time", "conflicts", "per-company"]


def test_a_known_section_is_taken_and_none_is_no_choice():
    assert sections.from_link(["conflicts"], SLUGS) == ("conflicts", None)
    assert sections.from_link([], SLUGS) == (None, None)
    assert sections.from_link(["per-company", "conflicts"], SLUGS) == ("per-company", None)  # the first


def test_an_unknown_or_huge_section_warns_and_quotes_it_safely():
    slug, warning = sections.from_link(["[x](javascript:alert(1))"], SLUGS)
    assert slug is None and "`section`" in warning and "](javascript" not in warning
    slug, warning = sections.from_link(["a" * (MAX_PARAM_LEN * 3)], SLUGS)
    assert slug is None and len(warning) < MAX_PARAM_LEN + 120
    assert sections.from_link(["Conflicts"], SLUGS)[0] is None  # slugs are exact
