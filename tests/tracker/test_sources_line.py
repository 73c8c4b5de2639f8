"""One source-line writer, two faces: plain text for citations and image footers, markdown for
the caption under a chart. Both are pinned here word for word."""
import pandas as pd

from tracker.exports import sources_line

ROWS = pd.DataFrame({"publisher": ["Reuters", "SCMP", "Reuters", "[x](javascript:alert(1))\nok"],
                     "grade": ["H", "M", "H", "L"],
                     "as_of_date": pd.to_datetime(["2026-01-28", "2026-01-02", "2026-01-20",
                                                   "2025-12-01"])})


def test_parts_group_by_publisher_once_with_their_days():
    parts = sources_line.parts(ROWS, "as_of_date")
    assert [(p.publisher, p.dates, p.grade) for p in parts] == [
        ("Reuters", ("2026-01-20", "2026-01-28"), "H"), ("SCMP", ("2026-01-02",), "M"),
        ("[x](javascript:alert(1))\nok", ("2025-12-01",), "L")]
    assert [p.dates for p in sources_line.parts(ROWS, None)] == [(), (), ()]
    assert [p.dates for p in sources_line.parts(ROWS, "no_such_column")] == [(), (), ()]


def test_plain_face():
    assert sources_line.plain(ROWS) == ("Reuters, 2026-01-20, 2026-01-28 (H); SCMP, 2026-01-02 (M); "
                                        "[x](javascript:alert(1)) ok, 2025-12-01 (L)")
    assert sources_line.plain(ROWS, None) == "Reuters (H); SCMP (M); [x](javascript:alert(1)) ok (L)"
    assert sources_line.plain(ROWS.iloc[:0]) == "none"
    assert sources_line.plain(pd.DataFrame({"grade": ["H"]})) == "none"


def test_markdown_face_escapes_every_data_string():
    assert sources_line.markdown(ROWS, "as_of_date") == (
        "Sources: Reuters, 2026\\-01\\-20, 2026\\-01\\-28 (H); SCMP, 2026\\-01\\-02 (M); "
        "\\[x\\]\\(javascript\\:alert\\(1\\)\\) ok, 2025\\-12\\-01 (L)")
    assert sources_line.markdown(ROWS) == ("Sources: Reuters (H); SCMP (M); "
                                           "\\[x\\]\\(javascript\\:alert\\(1\\)\\) ok (L)")
    assert sources_line.markdown(ROWS.iloc[:0]) == ""


def test_many_dates_and_many_publishers_are_cut_with_a_pointer():
    many = pd.DataFrame({"publisher": [f"P{i:02d}" for i in range(14)] + ["P00"] * 3,
                         "grade": ["M"] * 17,
                         "as_of_date": pd.to_datetime([f"2026-01-{d:02d}" for d in range(1, 18)])})
    plain = sources_line.plain(many)
    assert plain.startswith("P00, 2026-01-01, 2026-01-15, 2026-01-16… (M); P01, 2026-01-02 (M)")
    assert plain.endswith("P11, 2026-01-12 (M); and 2 more (see sources.csv)")
    assert sources_line.markdown(many).endswith("P11 (M); and 2 more (see the data table)")
